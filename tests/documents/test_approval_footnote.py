"""The approval form's note and the letters' "经……批准" follow the case's actual deciders (issue 17): a
sequential approval (``then``) is named step by step (由A、B、C逐级审批), a measure decided by 干部管理权限
(``by_manager``) by the approver for the cadre's managing body, and once decided, the titles of the steps
actually taken — from the policy's [roles], never a person's name. Shou's forms are pinned elsewhere
(test_forms_from_policy.py, golden text)."""

from pathlib import Path

import pytest

from tests.dates import D
from tests.documents.test_forms_from_policy import full_text
from yujing.cases import services as cs
from yujing.cases.models import Letter, Register
from yujing.documents.contexts import _case_context, approval_note, targets_for_case
from yujing.documents.services import generate

POLICIES = Path(__file__).resolve().parents[2] / "src" / "yujing" / "policy" / "policies"
ORGDEPT_NOTE = ("注：提醒谈话由市委组织部分管副部长或部长审批；函询由市委组织部分管副部长、市委组织部部长逐级审批；"
                "诫勉由市委组织部分管副部长、市委组织部部长、市委主要领导逐级审批（第七条、第十条、第十四条）。")


def _verified(open_case, users, measure, code, on):
    case = open_case(measure, code, on=on)
    office = users["yjb" if case.unit_in_charge.code == "MH-JW-YJB" else "qs_jiwei"]
    cs.record_verification(case=case, by=office, today=D(on), method="preliminary", done_on=D(on),
                           findings="初核属实", conclusion="true")
    case.refresh_from_db()
    return case


def _approve(case, users, *usernames, on):
    for username in usernames:
        cs.decide(case=case, by=users[username], today=D(on), approve=True, opinion="同意")
        case.refresh_from_db()


def _approval_form(case, users):
    target = next(t for t in targets_for_case(case) if t.form.key == "target_approval")
    return full_text(generate(target, by=users["yjb"], today=D("2026-09-18"), pdf=False))


@pytest.fixture
def orgdept(use_policy):
    return use_policy(POLICIES / "orgdept.toml")


def test_orgdept_names_each_step_of_its_chains(orgdept, open_case, users):
    case = _verified(open_case, users, "jiemian", "MH0001", "2026-09-15")
    assert approval_note(case) == ORGDEPT_NOTE
    assert _case_context(case)["approver_desc"] == ""  # not yet approved
    _approve(case, users, "zzb_fubuzhang", on="2026-09-16")
    assert _case_context(case)["approver_desc"] == "市委组织部分管副部长"
    _approve(case, users, "zzb_buzhang", on="2026-09-17")
    _approve(case, users, "xianwei", on="2026-09-18")
    assert case.status == "approved"
    # the titles of the three steps taken, as the letters say it: 经……逐级审核，……批准
    assert _case_context(case)["approver_desc"] == "市委组织部分管副部长、市委组织部部长逐级审核，市委主要领导"
    text = _approval_form(case, users)
    assert ORGDEPT_NOTE in text
    for name in (users["zzb_fubuzhang"].full_name, users["zzb_buzhang"].full_name):
        assert name in text  # the decisions' signatures, as before; the note and the letters name titles only
    Register.objects.create(case=case, content="一、退还礼金；\n二、作出书面检查。", recorded_by=users["yjb"])
    Letter.objects.create(case=case, kind="admonition_notice", issued_on=D("2026-09-30"), content="诫勉",
                          recorded_by=users["yjb"])
    letter = next(t for t in targets_for_case(case) if t.form.key == "admonition_notice")
    text = full_text(generate(letter, by=users["yjb"], today=D("2026-09-30"), pdf=False))
    assert "经市委组织部分管副部长、市委组织部部长逐级审核，市委主要领导批准" in text
    assert users["zzb_buzhang"].full_name not in text


def test_a_two_step_approval_reads_review_then_approval(orgdept, open_case, users):
    case = _verified(open_case, users, "hanxun", "MH0002", "2026-09-21")
    _approve(case, users, "zzb_fubuzhang", on="2026-09-22")
    _approve(case, users, "zzb_buzhang", on="2026-09-24")
    assert _case_context(case)["approver_desc"] == "市委组织部分管副部长审核，市委组织部部长"


@pytest.fixture
def national(use_policy):
    return use_policy(POLICIES / "national.toml")


def test_national_names_the_approver_for_the_cadres_managing_body(national, open_case, users):
    county = _verified(open_case, users, "jiemian", "MH0001", "2026-05-11")  # managed by the county committee
    assert county.target.managed_by.kind == "county_committee"
    assert approval_note(county) == "注：函询由市纪委书记审批；诫勉谈话由市委组织部审批（第五条）。"
    _approve(county, users, "zuzhibu", on="2026-05-12")
    assert _case_context(county)["approver_desc"] == "市委组织部"
    assert "注：函询由市纪委书记审批；诫勉谈话由市委组织部审批（第五条）。" in _approval_form(county, users)
    # a township's own case: by_manager is a county rule, the note states the measures' own approvers
    township = _verified(open_case, users, "jiemian", "MH0007", "2026-05-11")
    assert township.unit_in_charge.code == "MH-QS"
    assert approval_note(township) == "注：函询由市纪委书记审批；诫勉谈话由市纪委书记审批（第五条）。"
