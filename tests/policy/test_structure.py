"""Structural rules from the policy (issue 17): whose principals are principal targets ([talk]
principal_units), who reports quarterly figures ([statistics] reporting_units), and whom a case is reported
to ([chief]) — Shou states its own; another county may state others."""

from tests.cases.conftest import SHOU
from tests.policy.test_loader_refusals import _refusal
from yujing.cases import services as cs
from yujing.oversight import reports
from yujing.policy.schema import parse_policy

SHOU_UNITS = ["township", "county_unit", "organization_dept", "personnel_dept", "enforcement"]


def test_shou_states_its_structure():
    rules = parse_policy(SHOU).rules
    assert rules.talk.principal_units == SHOU_UNITS
    assert rules.statistics.reporting_units == SHOU_UNITS
    assert (rules.chief.county, rules.chief.unit) == ("party_chief", "party_committee")


def test_principal_units_decide_who_talks(use_policy, approved, cadres):
    principal = next(c for c in cadres.values() if c.is_principal and c.unit.kind == "township"
                     and c.managed_by.kind == "county_committee")
    case = approved("admonition", principal.code, on="2026-09-02", approve_on="2026-09-04")
    assert cs.chief_roles(case) == ["secretary"]  # Shou: 乡镇党政主要负责人由县纪委书记谈话
    use_policy(SHOU.replace('principal_units = ["township", "county_unit", "organization_dept", "personnel_dept", "enforcement"]',
                            'principal_units = ["county_unit"]'))
    case = approved("admonition", principal.code, on="2026-09-03", approve_on="2026-09-04")
    assert cs.chief_roles(case) == ["secretary", "deputy_secretary", "party_committee"]


def test_the_reporting_units_and_the_chief_come_from_the_policy(use_policy, approved):
    use_policy(SHOU.replace('reporting_units = ["township", "county_unit", "organization_dept", "personnel_dept", "enforcement"]',
                            'reporting_units = ["township"]').replace('county = "party_chief"', 'county = "secretary"'))
    assert reports.reporting_kinds() == ["township"]
    case = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    assert cs.chief_role(case) == "secretary"
    assert cs.chief_of(case).username == "shuji"


def test_a_unit_kind_the_system_does_not_know_is_refused():
    assert _refusal(SHOU.replace('reporting_units = ["township",', 'reporting_units = ["village",'))[0].startswith(
        "statistics.reporting_units: 未知的管理单位类别 village；可用：region（上级地区）")
