"""The organisation department's leaders (dept_deputy 组织部门分管领导, dept_head 组织部门主要领导): county reach,
the department's clearance, usable wherever a policy names roles, deciding only what the policy says."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.cases.conftest import SHOU, D, with_measure
from yujing.cases import selectors
from yujing.cases import services as cs
from yujing.demo import POLICY_USERS, demo_users
from yujing.orgs import access, twofactor
from yujing.orgs.models import RoleAssignment, Unit, User
from yujing.orgs.roles import CLEARANCE, ROLE_REACH, Reach, Role, Secrecy
from yujing.policy.schema import parse_policy

# 县委管理的干部: their 警示诫勉 by the department's deputy, then its head (by_manager with a chain)
DEPT_CHAIN = with_measure(
    SHOU, "admonition",
    by_manager='{ county_committee = { approvers = ["dept_deputy"], then = [{ roles = ["dept_head"], label = "部长审批" }] } }',
)


def test_the_roles_reach_the_county_at_the_departments_clearance():
    for role in (Role.DEPT_DEPUTY, Role.DEPT_HEAD):
        assert ROLE_REACH[role] is Reach.COUNTY
        assert CLEARANCE[role] is CLEARANCE[Role.ORGANIZATION_DEPT] is Secrecy.NORMAL
        assert role in twofactor.TWO_FACTOR_ROLES  # they decide: a password alone is not enough
    assert (Role.DEPT_DEPUTY.label, Role.DEPT_HEAD.label) == ("组织部门分管领导", "组织部门主要领导")
    # they decide nothing of themselves
    assert Role.DEPT_DEPUTY not in access.PERMISSIONS["case.decide"]
    assert Role.DEPT_HEAD not in access.PERMISSIONS["case.view"]


def test_a_policy_may_name_them_wherever_it_names_roles():
    policy = parse_policy(DEPT_CHAIN)
    rules = policy.measure("admonition").by_manager["county_committee"]
    assert (rules.approvers, [s.roles for s in rules.then]) == (["dept_deputy"], [["dept_head"]])
    assert {"dept_deputy", "dept_head"} <= policy.decider_roles()
    assert {"dept_deputy", "dept_head"} <= policy.named_roles()
    assert policy.measures_decided_by({"dept_head"}) == ["admonition"]
    # Shou names neither, so its demo has no user for them
    assert not {"dept_deputy", "dept_head"} & parse_policy(SHOU).named_roles()


def test_under_shou_the_demo_has_no_department_leader(users):
    assert [s.username for s in demo_users()] == [s.username for s in demo_users() if s not in POLICY_USERS]
    assert not User.objects.filter(username__in=[s.username for s in POLICY_USERS]).exists()
    assert access.allowed_roles("case.view_deciding") == frozenset()


def _leader(role: str, username: str) -> User:
    user = User.objects.create(username=username, full_name=username)
    RoleAssignment.objects.create(user=user, unit=Unit.objects.get(code="MH-ZZB"), role=role)
    return user


def test_by_manager_chain_of_the_department_leaders(use_policy, open_case, users):
    use_policy(DEPT_CHAIN)
    deputy, head = _leader("dept_deputy", "fbz"), _leader("dept_head", "bz")
    assert access.allowed_roles("case.view_deciding") == {"dept_deputy", "dept_head"}
    case = open_case("admonition", "MH0001", on="2026-09-01")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-01"), method="preliminary",
                           done_on=D("2026-09-01"), findings="初核属实", conclusion="true")
    other = open_case("inquiry", "MH0003", on="2026-09-01")  # the commission's: not theirs to see
    assert list(selectors.visible_cases(head)) == [case]
    assert cs.approvers(case) == (["dept_deputy"], False)
    with pytest.raises(PermissionDenied) as info:
        cs.decide(case=case, by=head, today=D("2026-09-02"), approve=True)
    assert str(info.value) == "警示诫勉的审批（第1步）须由组织部门分管领导决定"
    with pytest.raises(PermissionDenied) as info:
        cs.decide(case=case, by=users["shuji"], today=D("2026-09-02"), approve=True)
    assert str(info.value) == "警示诫勉的审批（第1步）须由组织部门分管领导决定"
    cs.decide(case=case, by=deputy, today=D("2026-09-02"), approve=True, opinion="同意")
    case.refresh_from_db()
    assert cs.approvers(case) == (["dept_head"], False)
    with pytest.raises(PermissionDenied) as info:
        cs.decide(case=case, by=deputy, today=D("2026-09-03"), approve=True)
    assert str(info.value) == "警示诫勉的审批（第2步：部长审批）须由组织部门主要领导决定"
    cs.decide(case=case, by=head, today=D("2026-09-03"), approve=True, opinion="同意")
    case.refresh_from_db()
    assert (case.status, case.approved_on) == ("approved", D("2026-09-03"))
    assert list(case.decisions.order_by("step").values_list("role", "recorded_by__username", "decided_on")) == [
        ("dept_deputy", "fbz", D("2026-09-02")), ("dept_head", "bz", D("2026-09-03"))]
    assert other.status == "proposed" and cs.approvers(other) == (["deputy_secretary", "secretary"], False)
