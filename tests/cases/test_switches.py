"""What a measure does is decided by its switches in the policy, not by its key (issue 17): the same
Shou measure keys with other switches behave as the switches say. Dates are exact."""

import pytest
from django.core.exceptions import ValidationError

from yujing.cases import actions, selectors
from yujing.cases import services as cs

from .conftest import SHOU, D, at, with_measure

# 警示诫勉 set up as an inquiry is: the register holds a commitment, the talk starts the 10 days
ADMONITION_AS_INQUIRY = with_measure(SHOU, "admonition", requirements_approval="false", talk_followed_by_letter="false")
# 谈话函询 set up as an admonition is: requirements approved first, a notice follows the talk
INQUIRY_AS_ADMONITION = with_measure(SHOU, "inquiry", requirements_approval="true", talk_followed_by_letter="true")


def talk(case, users, held_on="2026-09-08"):
    office = users["yjb"]
    cs.plan_talk(case=case, by=office, today=D("2026-09-05"), outline="指出问题", chief=users["shuji"],
                 other_talkers=["方晓春"], scheduled_at=at(held_on), place="谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-09-05"), sent_on=D("2026-09-05"))
    cs.hold_talk(case=case, by=office, today=D(held_on), held_on=D(held_on), record="谈话记录", signed_on=D(held_on))
    case.refresh_from_db()
    return case


def test_without_a_following_notice_the_talk_starts_the_response_period(use_policy, approved, users):
    use_policy(ADMONITION_AS_INQUIRY)
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    office = users["yjb"]
    with pytest.raises(ValidationError) as info:
        cs.write_register(case=case, by=office, today=D("2026-09-05"), content="承诺整改")
    assert info.value.messages == ["警示诫勉对象的承诺情况在谈话或发函之后填写"]
    case = talk(case, users)
    assert (case.status, case.response_start, case.response_due) == ("awaiting_response", D("2026-09-08"), D("2026-09-18"))
    with pytest.raises(ValidationError) as info:
        cs.issue_letter(case=case, by=office, today=D("2026-09-09"), kind="admonition_notice", issued_on=D("2026-09-09"),
                        content="整改要求")
    assert info.value.messages == ["预警事项当前为“待答复或整改”，不能发出预警文书"]
    cs.write_register(case=case, by=office, today=D("2026-09-09"), content="承诺整改")
    with pytest.raises(ValidationError) as info:
        cs.approve_register(case=case, by=users["shuji"], today=D("2026-09-09"))
    assert info.value.messages == ["警示诫勉的登记表不需批准"]
    assert "approve_register" not in actions.available(case, users["shuji"], D("2026-09-09"))


def test_with_a_following_notice_the_talk_waits_for_it_and_the_requirements_are_approved_first(
        use_policy, open_case, users):
    use_policy(INQUIRY_AS_ADMONITION)
    case = open_case("inquiry", "MH0003", on="2026-09-02")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-09-04"), approve=True)
    case.refresh_from_db()
    office = users["yjb"]
    case = talk(case, users)
    assert (case.status, case.response_start, case.response_due) == ("implemented", None, None)
    assert [s.action for s in selectors.next_steps(case)][:1] == ["write_register"]
    cs.write_register(case=case, by=office, today=D("2026-09-08"), content="整改要求：如实说明")
    with pytest.raises(ValidationError) as info:
        cs.issue_letter(case=case, by=office, today=D("2026-09-09"), kind="inquiry_letter", issued_on=D("2026-09-09"),
                        content="整改要求")
    assert info.value.messages == ["整改要求须经领导批准后，才能发出询问函（第二十五条）"]  # the letter it sends
    assert "approve_register" in actions.available(case, users["shuji"], D("2026-09-09"))
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-09-09"))
    cs.issue_letter(case=case, by=office, today=D("2026-09-10"), kind="inquiry_letter", issued_on=D("2026-09-10"),
                    content="整改要求")
    cs.record_receipt(case=case, by=office, today=D("2026-09-11"), received_on=D("2026-09-11"))
    case.refresh_from_db()
    # 10 days from the notice's delivery, not from the talk
    assert (case.status, case.response_start, case.response_due) == ("awaiting_response", D("2026-09-11"), D("2026-09-21"))


def test_an_escalation_opens_on_the_condition_the_policy_names(use_policy, open_case, users):
    text = with_measure(SHOU, "inquiry", escalate_when='{ admonition = "after_implementation", '
                        'correction = "renewed_complaint", case_filing = "filing_conditions" }')
    use_policy(text)
    case = open_case("inquiry", "MH0003", on="2026-09-02")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-09-04"), approve=True)
    case = talk(case, users)
    shown = selectors.blockers(case, D("2026-09-09"))
    assert shown["escalate:admonition"] == []
    assert shown["escalate:correction"] == ["谈话函询后群众仍有反映、经调查属实的，才能转责令纠错（第二十八条）"]
    ending = cs.escalate(case=case, by=users["shuji"], today=D("2026-09-09"), kind="admonition", basis="说明不清")
    assert (ending.new_case.measure, ending.new_case.status) == ("admonition", "proposed")


def test_a_lifted_case_is_renewable_when_one_of_its_escalations_opens_on_a_renewed_complaint(use_policy, approved, users):
    text = with_measure(ADMONITION_AS_INQUIRY, "admonition", escalate_when='{ correction = "renewed_complaint", '
                        'organisational = "rectification_failed", case_filing = "filing_conditions" }')
    use_policy(text)
    case = talk(approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04"), users)
    office = users["yjb"]
    cs.record_response(case=case, by=office, today=D("2026-09-10"), received_on=D("2026-09-10"), content="整改情况")
    cs.write_register(case=case, by=office, today=D("2026-09-10"), content="承诺整改")
    cs.lift(case=case, by=users["shuji"], today=D("2026-09-15"), basis="整改到位")
    case.refresh_from_db()
    assert case.status == "lifted"
    assert actions.available(case, office, D("2026-09-20")) == ["verify"]
    shown = selectors.blockers(case, D("2026-09-20"))
    assert list(shown) == ["lift", "escalate:correction", "escalate:case_filing"]
    assert shown["escalate:correction"] == ["警示诫勉后群众仍有反映、经调查属实的，才能转责令纠错（第二十九条）"]


def test_shou_keeps_inquiry_as_the_only_renewable_measure(approved, users):
    """Under Shou a lifted admonition takes no renewed complaint, and says which measure does (第二十八条)."""
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    with pytest.raises(ValidationError) as info:
        from yujing.cases.services.proposal import refuse_renewal

        refuse_renewal(case)
    assert info.value.messages == ["警示诫勉已解除预警；只有谈话函询解除后群众仍有反映的，才能再核查并转警示诫勉或责令纠错（第二十八条）"]


@pytest.mark.parametrize(("values", "message"), [
    ({"talk_followed_by_letter": "true", "deliveries": '["letter"]'},
     "measures.inquiry.talk_followed_by_letter: 谈话后发通知书，须有谈话方式（deliveries 含 talk）和通知书（letter_forms）"),
    ({"escalate_when": '{ organisational = "after_implementation" }'},
     "measures.inquiry.escalate_when.organisational: organisational 不在本措施的 escalations 中"),
    ({"escalate_when": '{ admonition = "soon" }'},
     "measures.inquiry.escalate_when: admonition 的条件“soon”未知；可用：after_implementation（预警实施之后）、"
     "renewed_complaint（实施后（或解除后）群众仍有反映、经核查属实）、rectification_failed（整改不力：逾期未报告整改，"
     "或回访未达到整改要求）、deadline_passed_uncorrected（整改期限届满、错误没有得到纠正）、filing_conditions（经核查已构成立案条件）、"
     "rounds_exhausted（各轮整改均未达到要求（已进行本措施规定的最后一轮整改））"),
    ({"escalate_when": '{ case_filing = "after_implementation" }'},
     "measures.inquiry.escalate_when.case_filing: 立案查处须以 filing_conditions（构成立案条件）为条件，"
     "filing_conditions 也只用于 case_filing（第二十九条）"),
])
def test_switches_that_contradict_each_other_are_refused(values, message):
    from tests.policy.test_loader_refusals import _refusal

    assert _refusal(with_measure(SHOU, "inquiry", **values)) == [message]
