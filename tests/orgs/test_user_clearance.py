"""A person's own clearance (issue 18 item 13): a cap on the 密级 each of their roles may open, checked by the
access module with the role's; set only by the administrator, with a reason, as an audit event."""

import pytest
from django.core.exceptions import ValidationError

from tests.dates import D
from yujing.audit.models import Event
from yujing.cases import selectors as case_selectors
from yujing.orgs import access
from yujing.orgs.models import User
from yujing.orgs.secrecy import set_secrecy
from yujing.orgs.services import set_clearance


@pytest.fixture
def secret_case(open_case, users):
    case = open_case("admonition", "MH0001", on="2026-09-02")  # the county office handles it
    return set_secrecy(obj=case, level="secret", reason="提级管理", by=users["yjb"])


def test_a_capped_person_does_not_open_what_their_role_could(secret_case, users, login):
    case = secret_case
    assert [c.pk for c in case_selectors.case_list(user=users["yjb"])] == [case.pk]
    set_clearance(user=users["yjb"], level="confidential", reason="县纪委常委会决定（2026年第9次）", by=users["admin"])
    yjb = User.objects.get(username="yjb")
    assert yjb.clearance == "confidential"
    assert list(case_selectors.case_list(user=yjb)) == []
    assert not access.can(yjb, "case.view", case)
    client = login("yjb")
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/api/cases/{case.pk}").status_code == 404
    assert case.number not in client.get("/cases/").content.decode()
    # nor may the person set a level above their own clearance (they would lock themselves out)
    clue = case.clues.get()
    with pytest.raises(ValidationError) as info:
        set_secrecy(obj=clue, level="secret", reason="x", by=yjb)
    assert list(info.value.message_dict) == ["level"]
    assert info.value.message_dict["level"][0].startswith("您的角色不能定为“机密”")
    # another holder of the role, uncapped, still opens it
    assert access.can(users["shuji"], "case.view", case)
    event = Event.objects.get(action="orgs.user.clearance_set")
    assert (event.actor_id, event.data) == (users["admin"].pk, {
        "user": yjb.pk, "from": "", "to": "confidential", "reason": "县纪委常委会决定（2026年第9次）"})

    set_clearance(user=yjb, level="", reason="决定撤销", by=users["admin"])
    assert [c.pk for c in case_selectors.case_list(user=User.objects.get(username="yjb"))] == [case.pk]
    assert login("yjb").get(f"/cases/{case.pk}/").status_code == 200


def test_a_cap_above_the_roles_clearance_opens_nothing_more(secret_case, users):
    set_clearance(user=users["qs_jiwei"], level="secret", reason="误设", by=users["admin"])
    township = User.objects.get(username="qs_jiwei")
    assert [g.levels for g in access.grants(township)] == [("normal", "confidential")]


def test_a_capped_person_is_not_reminded_of_a_secret_item(approved, users):
    from yujing.oversight.models import Notification
    from yujing.oversight.reminders import send_reminders

    case = approved("admonition", "MH0007", on="2026-09-02", approve_on="2026-09-04", approver="qs_dangwei")
    set_secrecy(obj=case, level="secret", reason="提级", by=users["yjb"])
    set_clearance(user=users["yjb"], level="confidential", reason="决定", by=users["admin"])
    send_reminders(today=D("2026-10-30"))
    assert not Notification.objects.filter(user=users["yjb"], body__contains=case.number).exists()


def test_only_the_administrator_sets_a_clearance_and_says_why(users):
    with pytest.raises(ValidationError) as info:
        set_clearance(user=users["yjb"], level="normal", reason="x", by=users["shuji"])
    assert info.value.messages == ["只有系统管理员可以维护单位、用户和角色"]
    with pytest.raises(ValidationError) as info:
        set_clearance(user=users["yjb"], level="top", reason=" ", by=users["admin"])
    assert info.value.message_dict == {"level": ["请选择密级上限"], "reason": ["请说明设定或取消本人密级上限的依据"]}
    with pytest.raises(ValidationError) as info:
        set_clearance(user=users["yjb"], level="", reason="撤销", by=users["admin"])
    assert info.value.message_dict == {"level": ["该用户未设本人密级上限"]}
    assert User.objects.get(username="yjb").clearance == ""
    assert not Event.objects.filter(action="orgs.user.clearance_set").exists()


def test_the_command_sets_it_as_the_administrator_only(users):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("set_clearance", "yjb", "confidential", "--by", "admin", "--reason", "常委会决定", stdout=out)
    assert out.getvalue() == "yjb 的本人密级上限：秘密。\n"
    with pytest.raises(CommandError) as info:
        call_command("set_clearance", "yjb", "none", "--by", "shuji", "--reason", "撤销")
    assert str(info.value) == "只有系统管理员可以维护单位、用户和角色"
    assert User.objects.get(username="yjb").clearance == "confidential"
    assert Event.objects.filter(action="orgs.user.clearance_set").count() == 1
