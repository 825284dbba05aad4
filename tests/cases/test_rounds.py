"""Further rectification rounds on one case (issue 17): after a revisit finds the requirements not met, a
leader opens another round with a new period, up to the policy's number; once the last round fails too,
the escalation the policy ties to rounds_exhausted opens. Exact dates."""

import pytest
from django.core.exceptions import ValidationError

from tests.policy.test_loader_refusals import _refusal
from yujing.cases import actions, selectors
from yujing.cases import services as cs

from .conftest import SHOU, D, with_measure

ROUNDS = with_measure(SHOU, "correction", rounds='{ max = 2, label = "再次整改", article = "第十四条", period = "1m" }',
                      escalate_when='{ organisational = "rounds_exhausted", case_filing = "filing_conditions" }')


def revisit(case, users, on, met):
    cs.record_revisit(case=case, by=users["yjb"], today=D(on), methods=["report"], done_on=D(on),
                      findings="听取汇报", meets_requirement=met)
    case.refresh_from_db()


@pytest.fixture
def failed_once(use_policy, approved, users):
    """A correction delivered on 2026-09-08 (due 10-08), answered on 09-30, its revisit on 10-09 not met."""
    use_policy(ROUNDS)
    office = users["yjb"]
    case = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    cs.report_to_chief(case=case, by=office, today=D("2026-09-04"), reported_on=D("2026-09-04"), note="报告")
    cs.write_register(case=case, by=office, today=D("2026-09-05"), content="整改要求")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-09-05"))
    cs.issue_letter(case=case, by=office, today=D("2026-09-07"), kind="correction_notice", issued_on=D("2026-09-07"),
                    content="责令纠错")
    cs.record_receipt(case=case, by=office, today=D("2026-09-08"), received_on=D("2026-09-08"))
    cs.record_response(case=case, by=office, today=D("2026-09-30"), received_on=D("2026-09-30"), content="整改报告")
    revisit(case, users, "2026-10-09", met=False)
    return case


def test_a_second_round_after_a_failed_revisit_then_the_next_level(failed_once, users):
    case, office, secretary = failed_once, users["yjb"], users["shuji"]
    assert cs.escalation_blockers(case, "organisational", D("2026-10-10")) == [
        "已进行2轮整改仍未达到要求的，才能转组织处理（第三十一条）"]
    assert "new_round" not in actions.available(case, office, D("2026-10-10"))  # a leader decides
    assert "new_round" in actions.available(case, secretary, D("2026-10-10"))
    assert [s.label for s in selectors.next_steps(case) if s.action == "new_round"] == ["再次整改（第2轮）"]
    with pytest.raises(ValidationError) as info:
        cs.new_round(case=case, by=secretary, today=D("2026-10-10"), started_on=D("2026-10-10"), reason=" ")
    assert info.value.message_dict == {"reason": ["请写明再次整改的要求和理由"]}
    cs.new_round(case=case, by=secretary, today=D("2026-10-10"), started_on=D("2026-10-10"), reason="资金尚未全部收回")
    case.refresh_from_db()
    assert (case.status, case.response_start, case.response_due, case.responded_on) == (
        "awaiting_response", D("2026-10-10"), D("2026-11-10"), None)
    cs.record_response(case=case, by=office, today=D("2026-11-05"), received_on=D("2026-11-05"), content="第二轮整改报告")
    case.refresh_from_db()
    assert "尚未回访（第三十条）" in cs.lift_blockers(case)  # the round-1 revisit does not count for round 2
    revisit(case, users, "2026-11-09", met=False)
    assert cs.new_round_refusal(case) == "已进行2轮整改，不能再次整改（第十四条）"
    assert "new_round" not in actions.available(case, secretary, D("2026-11-10"))
    assert cs.escalation_blockers(case, "organisational", D("2026-11-10")) == []
    ending = cs.escalate(case=case, by=secretary, today=D("2026-11-10"), kind="organisational", basis="两轮整改均未到位")
    case.refresh_from_db()
    assert (ending.kind, case.status) == ("organisational", "escalated")
    titles = [e.title for e in selectors.timeline(case) if e.title.startswith("开始第")]
    assert titles == ["开始第2轮整改"]


def test_a_second_round_met_leads_to_lifting(failed_once, users):
    case, office, secretary = failed_once, users["yjb"], users["shuji"]
    cs.new_round(case=case, by=secretary, today=D("2026-10-10"), started_on=D("2026-10-10"), reason="继续整改")
    cs.record_response(case=case, by=office, today=D("2026-11-02"), received_on=D("2026-11-02"), content="整改到位")
    revisit(case, users, "2026-11-04", met=True)
    for recipient in ("organization_dept", "personnel_dept", "unit_party_org"):
        cs.send_notice(case=case, by=office, today=D("2026-11-04"), recipient=recipient, sent_on=D("2026-11-04"),
                       content="通报")
    assert cs.lift_blockers(case) == []


def test_rounds_need_a_revisit_and_rounds_exhausted_needs_rounds():
    assert _refusal(with_measure(SHOU, "admonition", rounds='{ article = "第十四条" }')) == [
        "measures.admonition.rounds: 再次整改在回访认为未达到整改要求之后开始，须 revisit_required = true"]
    assert _refusal(with_measure(SHOU, "correction", escalate_when='{ organisational = "rounds_exhausted" }')) == [
        "measures.correction.escalate_when.organisational: rounds_exhausted 须有 rounds（本措施的整改轮次）"]
