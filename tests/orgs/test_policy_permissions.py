"""Who decides is data (issue 17): a role the policy names as a decider may decide and sees the cases it
decides; by 干部管理权限 another body decides for the cadres it manages; a role that could never act is
refused at start-up, with the key named."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.cases.conftest import SHOU, D, with_measure
from tests.policy.test_loader_refusals import _refusal
from yujing.cases import actions, selectors
from yujing.cases import services as cs
from yujing.orgs import access
from yujing.policy.loader import get_policy

# 县委管理的干部 (managed by the county committee): their 警示诫勉 is decided by the organisation department
BY_MANAGER = with_measure(SHOU, "admonition",
                          by_manager='{ county_committee = { approvers = ["organization_dept"] } }')


def verified(open_case, users, measure="admonition", code="MH0001"):
    case = open_case(measure, code, on="2026-09-01")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-01"), method="preliminary",
                           done_on=D("2026-09-01"), findings="初核属实", conclusion="true")
    case.refresh_from_db()
    return case


def test_under_shou_the_deciders_are_the_commission(users):
    assert get_policy().decider_roles() == {"secretary", "deputy_secretary", "standing_committee", "party_committee"}
    assert access.allowed_roles("case.decide") == {"secretary", "deputy_secretary", "standing_committee", "party_committee"}
    assert access.allowed_roles("case.view_deciding") == frozenset()


def test_the_managing_body_decides_and_sees_the_cases_it_decides(use_policy, open_case, users):
    use_policy(BY_MANAGER)
    org, secretary = users["zuzhibu"], users["shuji"]
    assert "organization_dept" in access.allowed_roles("case.decide")
    assert access.allowed_roles("case.view_deciding") == {"organization_dept"}
    case = verified(open_case, users)
    assert case.target.managed_by.kind == "county_committee"
    assert cs.approvers(case) == (["organization_dept"], False)
    other = verified(open_case, users, "inquiry", "MH0003")  # an inquiry: still the commission's
    assert list(selectors.visible_cases(org)) == [case]
    assert selectors.case_get(user=org, pk=case.pk) == case
    assert actions.available(case, org, D("2026-09-02")) == ["approve", "reject"]
    assert "approve" not in actions.available(case, secretary, D("2026-09-02"))
    with pytest.raises(PermissionDenied) as info:
        cs.decide(case=case, by=secretary, today=D("2026-09-02"), approve=True)
    assert str(info.value) == "警示诫勉的审批须由组织部门决定"
    cs.decide(case=case, by=org, today=D("2026-09-02"), approve=True, opinion="同意")
    case.refresh_from_db()
    assert (case.status, case.approved_on, case.decisions.get().role) == ("approved", D("2026-09-02"), "organization_dept")
    assert other.status == "proposed" and cs.approvers(other) == (["deputy_secretary", "secretary"], False)


def test_under_shou_the_organisation_department_sees_no_case(open_case, users):
    verified(open_case, users)
    assert list(selectors.visible_cases(users["zuzhibu"])) == []


@pytest.mark.parametrize(("old", "new", "message"), [
    ('approvers = ["deputy_secretary", "secretary"]', 'approvers = ["liaison"]',
     "measures.inquiry.approvers: 角色 liaison（联席会议联络员）只能看到本人经办的事项，不能审批或办理"),
    ('chief_for_others = ["secretary", "deputy_secretary", "party_committee"]', 'chief_for_others = ["admin"]',
     "talk.chief_for_others: 角色 admin（系统管理员）只管理账号、单位和设置，不办理业务，不能审批或办理"),
    ('roles = ["warning_office", "secretary"]', 'roles = ["warning_office", "organization_dept"]',
     "reporter_identity.roles: 角色 organization_dept（组织部门）不能查看线索，不能知悉举报人身份"),
])
def test_a_role_that_could_never_act_is_refused(old, new, message):
    assert _refusal(SHOU.replace(old, new, 1)) == [message]


def test_a_by_manager_rule_names_a_kind_of_unit_and_acting_roles():
    assert _refusal(with_measure(SHOU, "admonition", by_manager='{ mayor_office = { approvers = ["secretary"] } }'))[0] \
        .startswith("measures.admonition.by_manager: 未知的管理单位类别 mayor_office；可用：region（上级地区）")
    assert _refusal(with_measure(SHOU, "admonition", by_manager='{ county_committee = { approvers = ["auditor"] } }')) == [
        "measures.admonition.by_manager.county_committee.approvers: 角色 auditor（审计员）只查阅审计记录，不办理业务，不能审批或办理"]


def test_the_clue_readers_of_the_loader_are_those_of_the_access_rules():
    from yujing.orgs.roles import CLUE_READERS

    assert access.PERMISSIONS["clue.view"] == CLUE_READERS


def test_each_decider_sees_only_the_measures_it_decides(use_policy, open_case, users):
    """Two bodies that see no case otherwise, deciding different measures: neither sees the other's cases."""
    use_policy(with_measure(BY_MANAGER, "inquiry", approvers='["party_chief"]'))
    assert access.allowed_roles("case.view_deciding") == {"organization_dept", "party_chief"}
    admonition = verified(open_case, users)
    inquiry = verified(open_case, users, "inquiry", "MH0003")
    assert list(selectors.visible_cases(users["zuzhibu"])) == [admonition]
    assert access.can(users["zuzhibu"], "case.view_deciding", admonition)
    assert not access.can(users["zuzhibu"], "case.view_deciding", inquiry)
    assert access.can(users["xianwei"], "case.view_deciding", inquiry)
    assert not access.can(users["xianwei"], "case.view_deciding", admonition)
