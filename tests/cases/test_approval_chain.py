"""Sequential approval (issue 17): 分管领导 → 主要领导 …, each step decided in turn by its own roles and
recorded; only the last step approves the case and starts the implementation period. Shou decides once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yujing.audit.models import Event
from yujing.cases import actions, selectors
from yujing.cases import services as cs
from yujing.oversight import deadlines

from .conftest import SHOU, D, with_measure

# 警示诫勉: 分管副书记 first, then 书记 (labelled), instead of the secretary alone
CHAIN = with_measure(SHOU, "admonition", approvers='["deputy_secretary"]', standing_committee='"never"',
                     then='[{ roles = ["secretary"], label = "主要领导审批" }]')


@pytest.fixture
def proposed(use_policy, open_case, users):
    use_policy(CHAIN)
    case = open_case("admonition", "MH0001", on="2026-09-01")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-01"), method="preliminary",
                           done_on=D("2026-09-01"), findings="初核属实", conclusion="true")
    case.refresh_from_db()
    return case


def test_each_step_is_decided_in_turn_and_only_the_last_approves(proposed, users):
    case, deputy, secretary = proposed, users["fushuji"], users["shuji"]
    assert (cs.approval_steps(case), cs.current_step(case), cs.approvers(case)) == (2, 1, (["deputy_secretary"], False))
    assert "approve" not in actions.available(case, secretary, D("2026-09-02"))  # not the secretary's step yet
    with pytest.raises(PermissionDenied) as info:
        cs.decide(case=case, by=secretary, today=D("2026-09-02"), approve=True, opinion="同意")
    assert str(info.value) == "警示诫勉的审批（第1步）须由县纪委分管副书记决定"

    cs.decide(case=case, by=deputy, today=D("2026-09-02"), approve=True, opinion="同意，报书记审批")
    case.refresh_from_db()
    assert (case.status, case.approved_on, case.implementation_due) == ("proposed", None, None)
    assert (cs.current_step(case), cs.approvers(case)) == (2, (["secretary"], False))
    assert [s.label for s in selectors.next_steps(case) if s.action == "approve"] == ["审批（第2步：主要领导审批）"]
    assert "approve" in actions.available(case, secretary, D("2026-09-03"))
    assert "approve" not in actions.available(case, deputy, D("2026-09-03"))
    event = Event.objects.filter(action="cases.case.approve", object_id=str(case.pk)).get()
    assert (event.data["step"], event.data["steps"], event.data["to"]) == (1, 2, "proposed")
    # the board shows the case to the next step's decider
    items = [i for i in deadlines.collect(today=D("2026-09-03")) if i.key == f"case:{case.pk}:approval"]
    assert [i.roles for i in items] == [("secretary",)]

    cs.decide(case=case, by=secretary, today=D("2026-09-04"), approve=True, opinion="同意")
    case.refresh_from_db()
    assert (case.status, case.approved_on, case.implementation_due) == ("approved", D("2026-09-04"), D("2026-09-11"))
    assert list(case.decisions.values_list("step", "outcome", "role", "decided_on")) == [
        (1, "approved", "deputy_secretary", D("2026-09-02")), (2, "approved", "secretary", D("2026-09-04"))]
    timeline = [e.title for e in selectors.timeline(case) if e.kind == "approval"]
    assert timeline == ["审批（第1步）：批准", "审批（第2步：主要领导审批）：批准"]


def test_a_rejection_at_a_later_step_closes_the_case(proposed, users):
    cs.decide(case=proposed, by=users["fushuji"], today=D("2026-09-02"), approve=True)
    cs.decide(case=proposed, by=users["shuji"], today=D("2026-09-03"), approve=False, opinion="事实不清")
    proposed.refresh_from_db()
    assert (proposed.status, proposed.closed_on, proposed.approved_on) == ("rejected", D("2026-09-03"), None)


def test_one_person_does_not_decide_two_steps_and_the_steps_keep_their_order(use_policy, open_case, users):
    text = with_measure(SHOU, "admonition", approvers='["deputy_secretary", "secretary"]', standing_committee='"never"',
                        then='[["secretary", "deputy_secretary"]]')
    use_policy(text)
    case = open_case("admonition", "MH0001", on="2026-09-01")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-01"), method="preliminary",
                           done_on=D("2026-09-01"), findings="初核属实", conclusion="true")
    cs.decide(case=case, by=users["shuji"], today=D("2026-09-03"), approve=True)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=True)
    assert info.value.messages == ["您已审批本事项的前一步，第2步须由他人审批"]
    with pytest.raises(ValidationError) as info:
        cs.decide(case=case, by=users["fushuji"], today=D("2026-09-02"), approve=True)
    assert info.value.messages == ["审批日期不能早于上一步审批的日期（2026年9月3日）"]
    cs.decide(case=case, by=users["fushuji"], today=D("2026-09-04"), approve=True)
    case.refresh_from_db()
    assert (case.status, case.approved_on) == ("approved", D("2026-09-04"))


def test_shou_decides_once(approved):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    assert (cs.approval_steps(case), case.status, case.approved_on) == (1, "approved", D("2026-09-04"))
    assert list(case.decisions.values_list("step", flat=True)) == [1]
    event = Event.objects.filter(action="cases.case.approve", object_id=str(case.pk)).get()
    assert "step" not in event.data


def test_a_step_names_roles_the_loader_knows():
    from tests.policy.test_loader_refusals import _refusal

    assert _refusal(with_measure(SHOU, "admonition", then='[["mayor"]]')) == [
        "measures.admonition.then.0.roles: 未知角色 mayor；可用角色：admin, auditor, dept_deputy, dept_head, deputy_secretary, discipline_body, "
        "liaison, organization_dept, party_chief, party_committee, personnel_dept, secretary, standing_committee, warning_office"]
