"""A measure's further time limits (issue 17): a 5-working-day 自查报告 from delivery and a 整改情况报告
due no earlier than 6 months after the measure, each started by its event, recorded when done, in the
way of lifting while open; exact dates."""

import pytest
from django.core.exceptions import ValidationError

from tests.policy.test_loader_refusals import _refusal
from yujing.audit.models import Event
from yujing.cases import actions, selectors
from yujing.cases import services as cs
from yujing.oversight import deadlines

from .conftest import SHOU, D, with_measure

LIMITS = with_measure(SHOU, "admonition", limits=(
    '[{ key = "selfcheck", label = "提交自查报告", period = "5wd", from = "delivery", article = "第九条" }, '
    '{ key = "followup", label = "提交整改情况报告", period = "6m", from = "implemented", kind = "not_before", '
    'article = "第十条" }]'))


@pytest.fixture
def delivered(use_policy, approved, users):
    """An admonition approved on 2026-09-04, its notice issued on Monday 09-07 and delivered on 09-08."""
    use_policy(LIMITS)
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    office = users["yjb"]
    cs.write_register(case=case, by=office, today=D("2026-09-05"), content="整改要求")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-09-05"))
    cs.issue_letter(case=case, by=office, today=D("2026-09-07"), kind="admonition_notice", issued_on=D("2026-09-07"),
                    content="警示诫勉")
    cs.record_receipt(case=case, by=office, today=D("2026-09-08"), received_on=D("2026-09-08"))
    case.refresh_from_db()
    return case


def test_each_limit_starts_with_its_event(delivered):
    assert list(delivered.caselimits.order_by("id").values_list("key", "kind", "start", "due")) == [
        ("followup", "not_before", D("2026-09-07"), D("2027-03-07")),  # 6 months from the notice, no roll
        ("selfcheck", "deadline", D("2026-09-08"), D("2026-09-15")),  # 5 working days from delivery
    ]
    issued = Event.objects.filter(action="cases.case.issue_letter", object_id=str(delivered.pk)).get()
    assert issued.data["limits"] == ["followup"]
    items = {i.key: i for i in deadlines.collect(today=D("2026-09-10"))}
    item = items[f"case:{delivered.pk}:limit:selfcheck"]
    assert (item.label, item.due, item.article) == ("提交自查报告", D("2026-09-15"), "第九条")
    assert f"case:{delivered.pk}:limit:followup" not in items  # a not-before date is no deadline
    steps = [(s.action, s.label, s.due, s.note) for s in selectors.next_steps(delivered) if s.action == "record_limit"]
    assert steps == [("record_limit", "提交整改情况报告", None, "不早于2027年3月7日"),
                     ("record_limit", "提交自查报告", D("2026-09-15"), "")]


def test_a_not_before_limit_is_refused_before_its_date_and_open_limits_hold_the_lifting(delivered, users):
    office = users["yjb"]
    cs.record_response(case=delivered, by=office, today=D("2026-09-16"), received_on=D("2026-09-16"), content="整改情况")
    delivered.refresh_from_db()
    assert cs.lift_blockers(delivered) == ["尚未提交整改情况报告，不早于2027年3月7日（第十条）", "尚未提交自查报告（第九条）"]
    assert "record_limit" in actions.available(delivered, office, D("2026-09-16"))
    cs.record_limit(case=delivered, by=office, today=D("2026-09-16"), key="selfcheck", done_on=D("2026-09-16"))
    event = Event.objects.filter(action="cases.case.record_limit", object_id=str(delivered.pk)).get()
    assert (event.data["key"], event.data["late"]) == ("selfcheck", True)  # one day after 09-15
    with pytest.raises(ValidationError) as info:
        cs.record_limit(case=delivered, by=office, today=D("2027-03-06"), key="followup", done_on=D("2027-03-06"))
    assert info.value.message_dict == {"done_on": ["提交整改情况报告不得早于2027年3月7日（第十条）"]}
    cs.record_limit(case=delivered, by=office, today=D("2027-03-07"), key="followup", done_on=D("2027-03-07"),
                    note="整改情况报告已收到")
    delivered.refresh_from_db()
    assert cs.lift_blockers(delivered) == []
    assert "record_limit" not in actions.available(delivered, office, D("2027-03-08"))
    titles = [e.title for e in selectors.timeline(delivered) if e.kind == "deadline"]
    assert titles == ["提交整改情况报告开始计算", "提交自查报告开始计算", "提交自查报告", "提交整改情况报告"]


def test_a_limit_is_recorded_through_the_api(delivered, login):
    client = login("yjb")
    url = f"/api/cases/{delivered.pk}/record-limit"
    response = client.post(url, {"key": "selfcheck", "done_on": "2026-09-14", "note": "已提交"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert delivered.caselimits.get(key="selfcheck").done_on == D("2026-09-14")
    response = client.post(url, {"key": "selfcheck", "done_on": "2026-09-14"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["message"] == "提交自查报告已于2026年9月14日记录"


def test_shou_has_no_further_limits(approved):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    assert not case.caselimits.exists()


@pytest.mark.parametrize(("limits", "message"), [
    ('[{ key = "a", label = "x", period = "5d", from = "closing", article = "第九条" }]',
     "measures.admonition.limits.0.from: 期限不能自“closing”起算；可用：approval（批准之日）、implemented（实施之日）、"
     "talk（谈话之日）、delivery（送达之日）、response（收到书面答复或整改报告之日）"),
    ('[{ key = "a", label = "x", period = "5d", from = "delivery", article = "第九条" }, '
     '{ key = "a", label = "y", period = "6d", from = "delivery", article = "第九条" }]',
     "measures.admonition.limits: 期限键 a 重复"),
])
def test_a_limit_is_checked_at_start_up(limits, message):
    assert _refusal(with_measure(SHOU, "admonition", limits=limits)) == [message]
