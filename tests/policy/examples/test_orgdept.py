"""The example policy orgdept.toml (某市《领导干部提醒、函询和诫勉实施办法》, an organisation-department rule):
three measures (提醒谈话, 函询, 诫勉), a sequential approval by the organisation department's leaders
(分管副部长 → 部长 → 党委主要领导, roles dept_deputy, dept_head, party_chief), periods in
working days across the 2026 holidays (中秋 25 September, 国庆 1–7 October, 调休上班 20 September and
10 October), a 5-working-day 自查报告 and a 整改情况报告 not before 6 months after the talk. Every case is
driven through the API, with the date of each request fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dates import D
from tests.policy.examples.conftest import talk
from yujing.cases.models import WarningCase
from yujing.demo import load_demo
from yujing.orgs.models import RoleAssignment, Unit

POLICY = Path(__file__).resolve().parents[3] / "src" / "yujing" / "policy" / "policies" / "orgdept.toml"


@pytest.fixture
def orgdept(use_policy):
    return use_policy(POLICY)


@pytest.fixture
def example_policy(orgdept):
    return orgdept


@pytest.fixture
def screened(api, cadres):
    """screened("jiemian", "MH0001", on=...) -> the id of the case a clue registered and screened that day
    by the county warning office proposes."""

    def _screened(measure, code, *, on, verifiable=False):
        clue = api("yjb", "post", "/api/clues", {
            "received_on": on, "channel": "petition", "summary": "反映问题", "detail": "群众反映的具体问题。",
            "concerned": [{"cadre_id": cadres[code].pk}]}, on=on)
        assert clue.status_code == 201, clue.json()
        body = api("yjb", "post", f"/api/clues/{clue.json()['id']}/screen", {
            "outcome": "handle", "reason": "本级处理", "verifiable": verifiable,
            "proposals": [{"cadre_id": cadres[code].pk, "measure": measure}]}, on=on)
        assert body.status_code == 200, body.json()
        (case,) = body.json()["cases"]
        assert (case["measure"], case["status"]) == (measure, "proposed")
        return case["id"]

    return _screened


def decisions(case_id):
    case = WarningCase.objects.get(pk=case_id)
    return list(case.decisions.order_by("step").values_list("step", "outcome", "role", "recorded_by__username",
                                                            "decided_on"))


def test_the_policy_api_returns_the_three_measures(api):
    body = api("yjb", "get", "/api/policy", on="2026-09-01").json()
    assert (body["id"], body["name"], body["issuer"]) == ("example-orgdept", "领导干部提醒、函询和诫勉实施办法", "某市")
    rules = body["rules"]
    assert rules["policy"]["measures"] == ["tixing", "hanxun", "jiemian"]
    assert {k: v["label"] for k, v in rules["measures"].items()} == {"tixing": "提醒谈话", "hanxun": "函询", "jiemian": "诫勉"}
    jiemian = rules["measures"]["jiemian"]
    assert (jiemian["approvers"], jiemian["then"]) == (["dept_deputy"], [
        {"roles": ["dept_head"], "label": "部长审定"}, {"roles": ["party_chief"], "label": "党委主要领导审批"}])
    assert (rules["roles"]["dept_deputy"], rules["roles"]["dept_head"]) == ("市委组织部分管副部长", "市委组织部部长")
    assert (rules["lifting"]["approvers"], rules["register"]["approvers"]) == (["dept_head", "dept_deputy"],
                                                                               ["dept_head", "dept_deputy"])
    assert [(x["key"], x["period"], x["from"], x["kind"]) for x in jiemian["limits"]] == [
        ("selfcheck", "5wd", "delivery", "deadline"), ("followup", "6m", "implemented", "not_before")]
    assert (rules["implementation"]["period"], rules["measures"]["hanxun"]["response"]["period"]) == ("10wd", "10wd")


def test_tixing_is_decided_by_a_department_leader_and_is_a_talk(api, act, screened, users):
    """提醒谈话 (第九条): decided by the organisation department's 分管领导 or 主要领导, a talk and nothing more;
    the commission's deputy secretary may not, and the department's staff do not see the case at all."""
    case = screened("tixing", "MH0003", on="2026-09-01")
    refused = api("fushuji", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-02")
    assert (refused.status_code, refused.json()["message"]) == (403, "提醒谈话的审批须由市委组织部分管副部长、市委组织部部长决定")
    assert api("zuzhibu", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-02").status_code == 404
    body = act("zzb_fubuzhang", case, "approve", {"opinion": "同意提醒"}, on="2026-09-02")
    # 10 working days from Wednesday 2 September (第七条): no holiday in between
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-09-02", "2026-09-16")
    assert decisions(case) == [(1, "approved", "dept_deputy", "zzb_fubuzhang", D("2026-09-02"))]
    # a talk only: no letter is offered
    assert [s["action"] for s in body["next_steps"]] == ["plan_talk"]
    body = talk(act, case, users["zzb_fubuzhang"], planned="2026-09-03", held="2026-09-08")
    assert (body["status"], body["implemented_on"], body["response_due"]) == ("responded", "2026-09-08", None)
    assert [s["action"] for s in body["next_steps"]] == ["write_register", "lift"]
    act("yjb", case, "write-register", {"content": "本人表示认真改正"}, on="2026-09-09")
    refused = api("shuji", "post", f"/api/cases/{case}/lift", {"basis": "提醒谈话已进行"}, on="2026-09-10")
    assert (refused.status_code, refused.json()["message"]) == (403, "解除预警须由市委组织部部长、市委组织部分管副部长决定")
    body = act("zzb_buzhang", case, "lift", {"basis": "提醒谈话已进行"}, on="2026-09-10")
    assert (body["status"], body["closed_on"]) == ("lifted", "2026-09-10")


def test_hanxun_takes_two_steps_and_counts_working_days_over_the_national_day(api, act, screened, users):
    """函询 (第十条、第十一条): the department's 分管领导 then its 主要领导, each by another person; the 10 working
    days to implement run from the last approval, the 10 working days to answer from the letter's delivery, over
    国庆."""
    case = screened("hanxun", "MH0002", on="2026-09-21")
    # the head may not take the deputy's step, nor the commission's deputy secretary
    out_of_turn = api("zzb_buzhang", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-22")
    assert (out_of_turn.status_code, out_of_turn.json()["message"]) == (403, "函询的审批（第1步）须由市委组织部分管副部长决定")
    commission = api("fushuji", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-22")
    assert (commission.status_code, commission.json()["message"]) == (403, "函询的审批（第1步）须由市委组织部分管副部长决定")
    body = act("zzb_fubuzhang", case, "approve", {"opinion": "同意，报部长审批"}, on="2026-09-22")
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("proposed", None, None)
    assert [(s["action"], s["label"], s["who"]) for s in body["next_steps"]] == [
        ("approve", "审批（第2步：部长审批）", "市委组织部部长")]
    wrong = api("zzb_fubuzhang", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-23")
    assert (wrong.status_code, wrong.json()["message"]) == (403, "函询的审批（第2步：部长审批）须由市委组织部部长决定")
    # the deputy also holds the head's post (主持工作): still not twice
    RoleAssignment.objects.create(user=users["zzb_fubuzhang"], unit=Unit.objects.get(code="MH-ZZB"), role="dept_head")
    twice = api("zzb_fubuzhang", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-23")
    assert (twice.status_code, twice.json()["message"]) == (422, "您已审批本事项的前一步，第2步：部长审批须由他人审批")
    early = api("zzb_buzhang", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-21")
    assert (early.status_code, early.json()["message"]) == (422, "审批日期不能早于上一步审批的日期（2026年9月22日）")
    body = act("zzb_buzhang", case, "approve", {"opinion": "同意函询"}, on="2026-09-24")
    # from Thursday 24 September: 中秋 (25th), the weekend, 28–30, 国庆 1–7 October, 8, 9, Saturday 10 (调休上班),
    # 12 … 15; counted from the first step (22nd) it would have been 13 October
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-09-24", "2026-10-15")
    assert decisions(case) == [(1, "approved", "dept_deputy", "zzb_fubuzhang", D("2026-09-22")),
                               (2, "approved", "dept_head", "zzb_buzhang", D("2026-09-24"))]
    # a letter only, within the policy's own period
    assert [(s["action"], s["due"], s["note"]) for s in body["next_steps"]] == [
        ("issue_letter", "2026-10-15", "批准之日起10个工作日内组织实施（第七条）")]
    act("yjb", case, "issue-letter", {"kind": "inquiry_letter", "issued_on": "2026-09-29", "content": "请说明"},
        on="2026-09-29")
    body = act("yjb", case, "record-receipt", {"received_on": "2026-09-30"}, on="2026-09-30")
    # 10 working days from Wednesday 30 September: 8, 9, 10 (调休), 12 … 16, 19, 20 October
    assert (body["status"], body["response_start"], body["response_due"]) == ("awaiting_response", "2026-09-30",
                                                                              "2026-10-20")
    body = act("yjb", case, "record-response", {"received_on": "2026-10-16", "content": "书面说明"}, on="2026-10-16")
    assert (body["status"], body["responded_on"]) == ("responded", "2026-10-16")
    act("yjb", case, "write-register", {"content": "说明属实，予以了结"}, on="2026-10-16")
    body = act("zzb_fubuzhang", case, "lift", {"basis": "函询说明属实"}, on="2026-10-19")
    assert (body["status"], body["closed_on"]) == ("lifted", "2026-10-19")


def test_jiemian_takes_three_steps_a_self_check_and_a_report_not_before_six_months(api, act, screened, users):
    """诫勉 (第十三至十八条): 分管副部长 → 部长 → 党委主要领导, each refusing the wrong leader; the talk, the notice, a 自查报告 within 5
    working days of its delivery and a 整改情况报告 not before 6 months after the talk; the restrictions."""
    case = screened("jiemian", "MH0001", on="2026-09-14", verifiable=True)
    act("yjb", case, "verify", {"method": "preliminary", "done_on": "2026-09-15", "findings": "初核属实",
                                "conclusion": "true"}, on="2026-09-15")
    chief_first = api("xianwei", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-16")
    assert (chief_first.status_code, chief_first.json()["message"]) == (403, "诫勉的审批（第1步）须由市委组织部分管副部长决定")
    act("zzb_fubuzhang", case, "approve", {"opinion": "同意，报部长"}, on="2026-09-16")
    deputy_again = api("zzb_fubuzhang", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-17")
    assert (deputy_again.status_code, deputy_again.json()["message"]) == (
        403, "诫勉的审批（第2步：部长审定）须由市委组织部部长决定")
    chief_early = api("xianwei", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-17")
    assert (chief_early.status_code, chief_early.json()["message"]) == (
        403, "诫勉的审批（第2步：部长审定）须由市委组织部部长决定")
    act("zzb_buzhang", case, "approve", {"opinion": "同意，报党委主要领导"}, on="2026-09-17")
    again = api("zzb_buzhang", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-17")
    assert (again.status_code, again.json()["message"]) == (403, "诫勉的审批（第3步：党委主要领导审批）须由市委主要领导决定")
    seen = api("xianwei", "get", f"/api/cases/{case}", on="2026-09-18")
    assert seen.status_code == 200
    # the party chief, a decider named only here, sees the case and may decide its third step
    assert seen.json()["available_actions"] == ["approve", "reject"]
    assert [(s["label"], s["who"]) for s in seen.json()["next_steps"]] == [("审批（第3步：党委主要领导审批）", "市委主要领导")]
    body = act("xianwei", case, "approve", {"opinion": "同意诫勉"}, on="2026-09-18")
    # from Friday 18 September: Sunday 20 (调休上班), 21–24, 中秋 25, 28–30, 国庆, 8, 9 October
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-09-18", "2026-10-09")
    assert decisions(case) == [(1, "approved", "dept_deputy", "zzb_fubuzhang", D("2026-09-16")),
                               (2, "approved", "dept_head", "zzb_buzhang", D("2026-09-17")),
                               (3, "approved", "party_chief", "xianwei", D("2026-09-18"))]
    assert [t["title"] for t in body["timeline"]] == [
        "提出预警建议", "初核", "审批（第1步）：批准", "审批（第2步：部长审定）：批准", "审批（第3步：党委主要领导审批）：批准"]
    # the township's party secretary is a principal target: the head talks (第八条)
    body = talk(act, case, users["zzb_buzhang"], planned="2026-09-22", held="2026-09-29")
    assert (body["status"], body["implemented_on"]) == ("implemented", "2026-09-29")
    assert [(s["action"], s["note"]) for s in body["next_steps"]] == [
        ("write_register", ""), ("record_limit", "不早于2027年3月29日")]
    act("yjb", case, "write-register", {"content": "整改要求"}, on="2026-09-29")
    act("zzb_fubuzhang", case, "approve-register", {}, on="2026-09-30")
    act("yjb", case, "issue-letter", {"kind": "admonition_notice", "issued_on": "2026-09-30", "content": "诫勉"},
        on="2026-09-30")
    body = act("yjb", case, "record-receipt", {"received_on": "2026-09-30"}, on="2026-09-30")
    assert (body["status"], body["response_start"], body["response_due"]) == ("awaiting_response", "2026-09-30",
                                                                              "2026-10-20")
    limits = WarningCase.objects.get(pk=case).caselimits.order_by("key")
    assert list(limits.values_list("key", "kind", "start", "due")) == [
        ("followup", "not_before", D("2026-09-29"), D("2027-03-29")),  # 6 months from the talk, no roll
        ("selfcheck", "deadline", D("2026-09-30"), D("2026-10-13")),  # 5 working days: 8, 9, 10 (调休), 12, 13
    ]
    assert [(s["action"], s["label"], s["due"], s["note"]) for s in body["next_steps"]] == [
        ("record_response", "收到整改情况书面报告", "2026-10-20", "10个工作日内（第十五条）"),
        ("record_limit", "提交整改情况报告", None, "不早于2027年3月29日"),
        ("record_limit", "提交自查报告", "2026-10-13", "")]
    promotion = {"case_id": case, "measure": "jiemian", "since": "2026-09-29", "until": "2027-03-29",
                 "condition": "自2026年9月29日（谈话之日）起6个月，至2027年3月29日止", "scope": "promotion",
                 "label": "六个月内不得提拔或者重用", "article": "第十八条"}
    excellent = {"case_id": case, "measure": "jiemian", "since": "2026-09-29", "until": "2026-12-31",
                 "condition": "自2026年9月29日（谈话之日）起，至2026年12月31日（当年年底）止", "scope": "excellent",
                 "label": "当年年度考核不得评为优秀等次", "article": "第十八条"}
    restricted = api("zuzhibu", "post", "/api/restrictions", {"codes": ["MH0001"]}, on="2026-10-20").json()
    assert [(r["code"], r["restricted"], r["restrictions"]) for r in restricted] == [
        ("MH0001", True, [promotion, excellent])]
    act("yjb", case, "record-limit", {"key": "selfcheck", "done_on": "2026-10-12", "note": "已提交"}, on="2026-10-12")
    act("yjb", case, "record-response", {"received_on": "2026-10-19", "content": "整改情况"}, on="2026-10-19")
    held = api("zzb_buzhang", "post", f"/api/cases/{case}/lift", {"basis": "整改到位"}, on="2026-10-20")
    # the self-check is recorded, the answer received: only the report not yet due holds the lifting
    assert (held.status_code, held.json()["message"]) == (
        422, "不能解除预警：尚未提交整改情况报告，不早于2027年3月29日（第十六条）")
    early = api("yjb", "post", f"/api/cases/{case}/record-limit", {"key": "followup", "done_on": "2027-03-28"},
                on="2027-03-28")
    assert (early.status_code, early.json()["errors"]) == (
        422, [{"loc": ["done_on"], "message": "提交整改情况报告不得早于2027年3月29日（第十六条）"}])
    act("yjb", case, "record-limit", {"key": "followup", "done_on": "2027-03-29", "note": "整改情况报告"}, on="2027-03-29")
    restricted = api("zuzhibu", "post", "/api/restrictions", {"codes": ["MH0001"]}, on="2027-03-29").json()
    assert restricted[0]["restrictions"] == [promotion]  # its last day; 当年 ended on 31 December
    body = act("zzb_buzhang", case, "lift", {"basis": "整改到位"}, on="2027-03-29")
    assert (body["status"], body["closed_on"]) == ("lifted", "2027-03-29")
    restricted = api("zuzhibu", "post", "/api/restrictions", {"codes": ["MH0001"]}, on="2027-03-30").json()
    assert [(r["restricted"], r["restrictions"]) for r in restricted] == [(False, [])]
    assert list(WarningCase.objects.get(pk=case).caselimits.order_by("key").values_list("key", "done_on")) == [
        ("followup", D("2027-03-29")), ("selfcheck", D("2026-10-12"))]


def test_the_demo_loads_under_the_policy(db, orgdept):
    """make run works under the file: the demo county and its cases follow its measures."""
    assert load_demo() is True
    # the heaviest measure sent by letter (函询), the lightest (提醒谈话) lifted, the township's the middle one
    assert sorted(WarningCase.objects.values_list("target__code", "measure", "status")) == [
        ("MH0002", "hanxun", "awaiting_response"), ("MH0007", "hanxun", "proposed"), ("MH0049", "tixing", "lifted")]
    # the policy names the department's leaders: the demo has a user for each, and they decided its cases
    assert sorted(RoleAssignment.objects.filter(role__in=["dept_deputy", "dept_head"]).values_list(
        "user__username", "role", "unit__code")) == [("zzb_buzhang", "dept_head", "MH-ZZB"),
                                                     ("zzb_fubuzhang", "dept_deputy", "MH-ZZB")]
    decided = {c.target.code: [(d.role, d.recorded_by.username) for d in c.decisions.order_by("step")]
               for c in WarningCase.objects.all()}
    assert decided == {"MH0002": [("dept_deputy", "zzb_fubuzhang"), ("dept_head", "zzb_buzhang")],
                       "MH0049": [("dept_deputy", "zzb_fubuzhang")], "MH0007": []}
    lifted = WarningCase.objects.get(target__code="MH0049")
    assert lifted.endings.get().recorded_by.username == "zzb_fubuzhang"  # its decider, who may also lift


def test_the_department_leaders_see_the_cases_they_decide_and_no_clue(api, screened):
    """dept_deputy and dept_head reach the county at the organisation department's clearance: the cases of the
    measures the policy has them decide, not the clues (nor a reporter), not a 秘密 case."""
    case = screened("jiemian", "MH0001", on="2026-09-14")
    for username in ("zzb_fubuzhang", "zzb_buzhang"):
        assert api(username, "get", f"/api/cases/{case}", on="2026-09-15").status_code == 200
        assert api(username, "get", "/api/clues", on="2026-09-15").status_code == 403
    WarningCase.objects.filter(pk=case).update(secrecy="confidential")
    assert api("zzb_buzhang", "get", f"/api/cases/{case}", on="2026-09-15").status_code == 404
    assert api("yjb", "get", f"/api/cases/{case}", on="2026-09-15").status_code == 200
