"""密级: a clue's or case's level further limits who may open it; only the one service sets it, says why,
and never lets anyone lock themselves out."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.dates import D
from yujing.audit.models import Event
from yujing.cases import selectors as case_selectors
from yujing.clues import services as clue_services
from yujing.clues.models import Clue
from yujing.clues.services import Concerned, Outcome, Proposal
from yujing.orgs import access
from yujing.orgs.secrecy import set_secrecy


@pytest.fixture
def township_clue(users, cadres):
    return clue_services.register_clue(
        by=users["qs_jiwei"], today=D("2026-09-01"), received_on=D("2026-09-01"), channel="petition",
        summary="反映站所负责人问题", detail="具体问题。", concerned=[Concerned(cadre_id=cadres["MH0007"].pk)])


def test_levels_limit_who_opens_a_clue(township_clue, users, login):
    clue = set_secrecy(obj=township_clue, level="confidential", reason="涉及多名干部", by=users["qs_jiwei"])
    assert clue.secrecy == "confidential"
    assert access.can(users["qs_jiwei"], "clue.view", clue) and access.can(users["yjb"], "clue.view", clue)

    with pytest.raises(ValidationError) as info:
        set_secrecy(obj=clue, level="secret", reason="x", by=users["qs_jiwei"])
    assert info.value.message_dict == {"level": [
        "您的角色不能定为“机密”（定为后本人将无法查看），请报预警办工作人员、县纪委书记、县纪委分管副书记确定"]}

    clue = set_secrecy(obj=clue, level="secret", reason="经分管副书记同意", by=users["yjb"])
    assert not access.can(users["qs_jiwei"], "clue.view", clue)
    assert list(access.restrict(Clue.objects.all(), users["qs_jiwei"], "clue.view")) == []
    assert list(access.restrict(Clue.objects.all(), users["yjb"], "clue.view")) == [clue]
    assert login("qs_jiwei").get(f"/clues/{clue.pk}/").status_code == 404
    page = login("yjb").get(f"/clues/{clue.pk}/").content.decode()
    assert "密级：机密" in page
    events = Event.objects.filter(action="clues.clue.secrecy_set").order_by("id")
    assert [(e.actor_id, e.data) for e in events] == [
        (users["qs_jiwei"].pk, {"from": "normal", "to": "confidential", "reason": "涉及多名干部"}),
        (users["yjb"].pk, {"from": "confidential", "to": "secret", "reason": "经分管副书记同意"}),
    ]


def test_a_case_is_as_secret_as_its_clues_and_hides_from_uncleared_roles(township_clue, users):
    set_secrecy(obj=township_clue, level="confidential", reason="涉及多名干部", by=users["qs_jiwei"])
    township_clue.refresh_from_db()
    clue_services.screen_clue(clue=township_clue, by=users["qs_jiwei"], today=D("2026-09-02"),
                              outcome=Outcome.HANDLE, reason="本级处理", verifiable=False,
                              proposals=[Proposal(township_clue.concerned.first().cadre_id, "inquiry")])
    case = township_clue.cases.get()
    assert case.secrecy == "confidential"
    assert list(case_selectors.case_list(user=users["qs_dangwei"])) == [case]
    set_secrecy(obj=case, level="secret", reason="县纪委提级管理", by=users["fushuji"])
    assert list(case_selectors.case_list(user=users["qs_dangwei"])) == []
    assert list(case_selectors.case_list(user=users["qs_jiwei"])) == []
    assert [c.pk for c in case_selectors.case_list(user=users["yjb"])] == [case.pk]


def test_bad_input_on_the_page_writes_nothing_and_keeps_what_was_typed(township_clue, login):
    client = login("qs_jiwei")
    response = client.post(f"/clues/{township_clue.pk}/secrecy/", {"level": "secret", "reason": "请定为机密"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "您的角色不能定为“机密”" in page and 'value="请定为机密"' in page
    response = client.post(f"/clues/{township_clue.pk}/secrecy/", {"level": "confidential", "reason": " "})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    township_clue.refresh_from_db()
    assert township_clue.secrecy == "normal"
    assert not Event.objects.filter(action="clues.clue.secrecy_set").exists()
    response = client.post(f"/clues/{township_clue.pk}/secrecy/", {"level": "confidential", "reason": "涉密"})
    assert response.status_code == 302
    township_clue.refresh_from_db()
    assert township_clue.secrecy == "confidential"


def test_roles_without_the_power_cannot_classify(township_clue, users, login):
    # a party committee does not read raw clues at all: to it the clue does not exist
    with pytest.raises(Http404):
        set_secrecy(obj=township_clue, level="confidential", reason="x", by=users["qs_dangwei"])
    # the county's leaders read it but only the office and the two secretaries classify
    with pytest.raises(PermissionDenied):
        set_secrecy(obj=township_clue, level="confidential", reason="x", by=users["changwei"])
    # a liaison reaches only the clues it transferred: this one is "not found"
    assert login("lianluo").post(f"/clues/{township_clue.pk}/secrecy/", {"level": "normal", "reason": "x"}
                                 ).status_code == 404
    township_clue.refresh_from_db()
    assert township_clue.secrecy == "normal"
    assert not Event.objects.filter(action="clues.clue.secrecy_set").exists()


def test_reminders_of_a_secret_item_go_only_to_cleared_roles(township_clue, users):
    from yujing.oversight.deadlines import collect
    from yujing.oversight.reminders import responsible_index, who_acts

    def screeners_told():
        item = next(i for i in collect(today=D("2026-09-02"), clues=Clue.objects.filter(pk=township_clue.pk))
                    if i.key == f"clue:{township_clue.pk}:screening")
        return who_acts(item, responsible_index())

    assert {users["qs_jiwei"].pk, users["yjb"].pk} <= screeners_told()
    set_secrecy(obj=township_clue, level="secret", reason="提级管理", by=users["yjb"])
    told = screeners_told()
    assert users["yjb"].pk in told and users["qs_jiwei"].pk not in told


def test_the_api_shows_the_level_and_hides_what_a_role_is_not_cleared_for(township_clue, users, login):
    set_secrecy(obj=township_clue, level="confidential", reason="涉密", by=users["qs_jiwei"])
    body = login("qs_jiwei").get(f"/api/clues/{township_clue.pk}").json()
    assert (body["number"], body["secrecy"]) == (township_clue.number, "confidential")
    set_secrecy(obj=township_clue, level="secret", reason="提级", by=users["yjb"])
    assert login("qs_jiwei").get(f"/api/clues/{township_clue.pk}").status_code == 404
    assert login("yjb").get(f"/api/clues/{township_clue.pk}").json()["secrecy"] == "secret"
