"""A weak answer sent back for redo (issue 17): 说明不清的退回重报, with a new period from the day it is sent
back, at most the policy's number of times; the first answer stays on file. Exact dates."""

import pytest
from django.core.exceptions import ValidationError

from tests.policy.test_loader_refusals import _refusal
from yujing.audit.models import Event
from yujing.cases import actions, selectors
from yujing.cases import services as cs

from .conftest import SHOU, D, at, with_measure

REDO = with_measure(SHOU, "inquiry", redo='{ period = "5d", label = "重新说明", article = "第九条", max = 1 }')


def _answered(open_case, users):
    """An inquiry talked to on 2026-09-08 (10 days: due 09-18), answered on 09-14."""
    office = users["yjb"]
    case = open_case("inquiry", "MH0003", on="2026-09-02")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-09-04"), approve=True)
    cs.plan_talk(case=case, by=office, today=D("2026-09-05"), outline="了解", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-09-08"), place="谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-09-05"), sent_on=D("2026-09-05"))
    cs.hold_talk(case=case, by=office, today=D("2026-09-08"), held_on=D("2026-09-08"), record="记录", signed_on=D("2026-09-08"))
    cs.record_response(case=case, by=office, today=D("2026-09-14"), received_on=D("2026-09-14"), content="说明")
    case.refresh_from_db()
    return case


@pytest.fixture
def answered(use_policy, open_case, users):
    use_policy(REDO)
    return _answered(open_case, users)


def test_a_weak_answer_is_sent_back_with_a_new_period(answered, users):
    office = users["yjb"]
    assert "send_back" in actions.available(answered, office, D("2026-09-15"))
    with pytest.raises(ValidationError) as info:
        cs.send_back(case=answered, by=office, today=D("2026-09-15"), sent_back_on=D("2026-09-15"), reason=" ")
    assert info.value.message_dict == {"reason": ["请写明退回的理由（哪些问题说明不清）"]}
    cs.send_back(case=answered, by=office, today=D("2026-09-15"), sent_back_on=D("2026-09-15"), reason="收受礼金情况说明不清")
    answered.refresh_from_db()
    assert (answered.status, answered.response_start, answered.response_due, answered.responded_on) == (
        "awaiting_response", D("2026-09-15"), D("2026-09-20"), None)  # 5 days: Sunday 09-20 is a 调休 working day
    event = Event.objects.filter(action="cases.case.send_back", object_id=str(answered.pk)).get()
    assert (event.data["round"], event.data["to"]) == (1, "awaiting_response")
    steps = [(s.label, s.due, s.note) for s in selectors.next_steps(answered) if s.action == "record_response"]
    assert steps == [("收到重新说明", D("2026-09-20"), "退回后5日内（第九条）")]
    cs.record_response(case=answered, by=office, today=D("2026-09-22"), received_on=D("2026-09-22"), content="重新说明")
    answered.refresh_from_db()
    first, second = answered.responses.order_by("id")
    assert (first.sent_back_on, first.due_on, first.late) == (D("2026-09-15"), D("2026-09-18"), False)
    assert (second.due_on, second.late) == (D("2026-09-20"), True)  # two days late
    assert "send_back" not in actions.available(answered, office, D("2026-09-23"))  # max = 1
    with pytest.raises(ValidationError) as info:
        cs.send_back(case=answered, by=office, today=D("2026-09-23"), sent_back_on=D("2026-09-23"), reason="仍不清楚")
    assert info.value.messages == ["已退回1次，不能再退回（第九条）"]
    titles = [e.title for e in selectors.timeline(answered) if e.kind == "response"]
    assert titles == ["收到书面答复或整改报告", "退回重新说明", "收到书面答复或整改报告"]


def test_shou_does_not_send_answers_back(open_case, users):
    case = _answered(open_case, users)
    assert "send_back" not in actions.available(case, users["yjb"], D("2026-09-15"))
    with pytest.raises(ValidationError) as info:
        cs.send_back(case=case, by=users["yjb"], today=D("2026-09-15"), sent_back_on=D("2026-09-15"), reason="说明不清")
    assert info.value.messages == ["谈话函询的答复不能退回重报"]


def test_the_api_sends_an_answer_back(answered, login):
    response = login("yjb").post(f"/api/cases/{answered.pk}/send-back", {"sent_back_on": "2026-09-15", "reason": "说明不清"},
                                 content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["response_due"]) == ("awaiting_response", "2026-09-20")


def test_a_talk_only_measure_has_no_redo():
    text = with_measure(SHOU, "admonition", deliveries='["talk"]', letter_forms="[]", response="false",
                        requirements_approval="false", talk_followed_by_letter="false", restricted="false",
                        redo='{ period = "5d", article = "第九条" }')
    assert _refusal(text)[0].startswith("measures.admonition.response: 为 false（不要求书面答复）时")
