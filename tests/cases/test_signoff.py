"""Sign-off on the answer (issue 17): the answer is read and signed level by level (所在单位党组织主要负责人
阅签, then the leader in charge) before it counts as received; lateness is judged on its receipt."""

import pytest
from django.core.exceptions import ValidationError

from yujing.cases import actions, selectors
from yujing.cases import services as cs

from .conftest import SHOU, D, at, with_measure

SIGNOFF = with_measure(SHOU, "inquiry", signoff=(
    '{ levels = [{ who = "unit_principal", label = "所在单位党组织主要负责人" }, '
    '{ who = "leader_in_charge", label = "分管领导" }], article = "第八条" }'))


@pytest.fixture
def received(use_policy, open_case, users):
    """An inquiry talked to on 2026-09-08 (due 09-18), its answer received on 09-17, not yet signed."""
    use_policy(SIGNOFF)
    office = users["yjb"]
    case = open_case("inquiry", "MH0003", on="2026-09-02")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-09-04"), approve=True)
    cs.plan_talk(case=case, by=office, today=D("2026-09-05"), outline="了解", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-09-08"), place="谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-09-05"), sent_on=D("2026-09-05"))
    cs.hold_talk(case=case, by=office, today=D("2026-09-08"), held_on=D("2026-09-08"), record="记录", signed_on=D("2026-09-08"))
    cs.record_response(case=case, by=office, today=D("2026-09-17"), received_on=D("2026-09-17"), content="说明")
    case.refresh_from_db()
    return case


def test_the_answer_counts_once_every_level_has_signed(received, users):
    case, office = received, users["yjb"]
    assert (case.status, case.responded_on) == ("awaiting_response", None)
    assert "sign_off" in actions.available(case, office, D("2026-09-18"))
    assert "record_response" not in actions.available(case, office, D("2026-09-18"))
    assert [(s.label, s.note) for s in selectors.next_steps(case) if s.action == "sign_off"] == [
        ("答复签署：所在单位党组织主要负责人", "签署后答复才算收到（第八条）")]
    with pytest.raises(ValidationError) as info:
        cs.sign_off(case=case, by=office, today=D("2026-09-18"), signer_name="", signed_on=D("2026-09-18"))
    assert info.value.message_dict == {"signer_name": ["请填写签署人（所在单位党组织主要负责人）"]}
    with pytest.raises(ValidationError) as info:
        cs.sign_off(case=case, by=office, today=D("2026-09-18"), signer_name="覃永峰", signed_on=D("2026-09-16"))
    assert info.value.message_dict == {"signed_on": ["日期不能早于收到答复的日期（2026年9月17日）"]}
    cs.sign_off(case=case, by=office, today=D("2026-09-19"), signer_name="覃永峰", signed_on=D("2026-09-19"))
    case.refresh_from_db()
    assert (case.status, case.responded_on) == ("awaiting_response", None)
    assert [s.label for s in selectors.next_steps(case) if s.action == "sign_off"] == ["答复签署：分管领导"]
    cs.sign_off(case=case, by=office, today=D("2026-09-21"), signer_name="李分管", signed_on=D("2026-09-21"))
    case.refresh_from_db()
    assert (case.status, case.responded_on) == ("responded", D("2026-09-17"))  # received on 09-17: on time
    assert case.responses.get().late is False
    with pytest.raises(ValidationError) as info:
        cs.sign_off(case=case, by=office, today=D("2026-09-22"), signer_name="又一人", signed_on=D("2026-09-22"))
    assert info.value.messages == ["预警事项当前为“已答复或报告整改”，不能答复签署"]  # every level has signed
    titles = [e.title for e in selectors.timeline(case) if e.kind == "response"]
    assert titles == ["收到书面答复或整改报告", "答复签署（所在单位党组织主要负责人）", "答复签署（分管领导）"]


def test_a_second_answer_waits_for_the_first_to_be_signed(received, users):
    with pytest.raises(ValidationError) as info:
        cs.record_response(case=received, by=users["yjb"], today=D("2026-09-18"), received_on=D("2026-09-18"),
                           content="补充说明")
    assert info.value.messages == ["已收到的答复尚待签署，签署完毕后才能再收"]


def test_the_api_records_a_sign_off(received, login):
    response = login("yjb").post(f"/api/cases/{received.pk}/sign-off", {"signer_name": "覃永峰", "signed_on": "2026-09-19"},
                                 content_type="application/json")
    assert response.status_code == 200, response.content
    assert received.responses.get().signoffs.get().signer_name == "覃永峰"
