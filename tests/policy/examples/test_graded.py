"""The example policy graded.toml (某市《领导干部廉洁自律分级预警办法》, invented): a four-level graded scale
一级预警（提醒谈话）, 二级预警（函询）, 三级预警（诫勉谈话并限期整改）, 四级预警（责令整改）, each level decided
by its own leader (一、二级 市纪委分管副书记, 三级 市纪委书记, 四级 市纪委常委会). A level-3 rectification that
fails raises the case one level (整改不力的提高一级, a new linked level-4 case on the same clue); level 4 may
be rectified in a second round, and only when that one fails too does it go to 转组织处理. Every case is
driven through the API, with the date of each request fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dates import D
from tests.policy.examples.conftest import talk
from yujing.cases.models import WarningCase
from yujing.demo import load_demo

POLICY = Path(__file__).resolve().parents[3] / "src" / "yujing" / "policy" / "policies" / "graded.toml"


@pytest.fixture
def graded(use_policy):
    return use_policy(POLICY)


@pytest.fixture
def example_policy(graded):
    return graded


@pytest.fixture
def screened(api, cadres):
    """screened("level1", "MH0001", on=...) -> (case id, clue id): a clue registered and screened that day by
    the office, proposing the measure."""

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
        return case["id"], clue.json()["id"]

    return _screened


def decisions(case_id):
    case = WarningCase.objects.get(pk=case_id)
    return list(case.decisions.order_by("step").values_list("step", "outcome", "role", "recorded_by__username",
                                                            "decided_on", "by_committee"))


def refused(response):
    return response.status_code, response.json()["message"]


def revisit(act, case, *, on, met):
    return act("yjb", case, "revisit", {"methods": ["report", "documents"], "done_on": on, "findings": "听取汇报、查阅资料",
                                        "meets_requirement": met}, on=on)


def test_the_policy_api_lists_the_four_levels_in_order(api):
    body = api("yjb", "get", "/api/policy", on="2026-09-01").json()
    assert (body["id"], body["name"], body["issuer"]) == ("example-graded", "领导干部廉洁自律分级预警办法", "某市")
    rules = body["rules"]
    assert rules["policy"]["measures"] == ["level1", "level2", "level3", "level4"]
    assert [(k, v["label"]) for k, v in rules["measures"].items()] == [
        ("level1", "一级预警（提醒谈话）"), ("level2", "二级预警（函询）"), ("level3", "三级预警（诫勉谈话并限期整改）"),
        ("level4", "四级预警（责令整改）")]
    assert [(v["approvers"], v["standing_committee"]) for v in rules["measures"].values()] == [
        (["deputy_secretary"], "never"), (["deputy_secretary"], "never"), (["secretary"], "never"),
        (["secretary"], "required")]
    assert rules["measures"]["level3"]["escalate_when"] == {"level4": "rectification_failed",
                                                            "case_filing": "filing_conditions"}
    level4 = rules["measures"]["level4"]
    assert level4["escalate_when"] == {"organisational": "rounds_exhausted", "case_filing": "filing_conditions"}
    assert level4["rounds"] == {"max": 2, "label": "第二轮整改", "article": "第十四条", "period": "1m"}
    assert rules["roles"]["secretary"] == "市纪委书记"


def test_level1_is_a_talk_decided_by_the_deputy_secretary(api, act, screened, users):
    """一级预警（提醒谈话） (第五条、第九条): the deputy secretary decides, the talk is the whole measure."""
    case, _ = screened("level1", "MH0003", on="2026-09-01")
    assert refused(api("shuji", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-02")) == (
        403, "一级预警（提醒谈话）的审批须由市纪委分管副书记决定")
    body = act("fushuji", case, "approve", {"opinion": "同意提醒谈话"}, on="2026-09-02")
    # 7 days from Wednesday 2 September (第十条)
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-09-02", "2026-09-09")
    assert decisions(case) == [(1, "approved", "deputy_secretary", "fushuji", D("2026-09-02"), False)]
    assert body["next_steps"][0]["action"] == "plan_talk"
    body = talk(act, case, users["fushuji"], planned="2026-09-03", held="2026-09-08")
    assert (body["status"], body["implemented_on"], body["response_due"]) == ("responded", "2026-09-08", None)
    act("yjb", case, "write-register", {"content": "本人表示认真改正"}, on="2026-09-08")
    body = act("fushuji", case, "lift", {"basis": "提醒谈话已进行"}, on="2026-09-09")
    assert (body["status"], body["closed_on"]) == ("lifted", "2026-09-09")
    restricted = api("zuzhibu", "post", "/api/restrictions", {"codes": ["MH0003"]}, on="2026-09-08").json()
    assert [(r["restricted"], r["restrictions"]) for r in restricted] == [(False, [])]


def test_level2_is_a_letter_answered_within_ten_days_over_the_national_day(api, act, screened):
    """二级预警（函询） (第六条、第十二条): the deputy secretary decides; 10 days from the letter's delivery on
    24 September end on Sunday 4 October, in 国庆, and roll to Thursday 8 October."""
    case, _ = screened("level2", "MH0002", on="2026-09-21")
    body = act("fushuji", case, "approve", {"opinion": "同意函询"}, on="2026-09-22")
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-09-22", "2026-09-29")
    assert decisions(case) == [(1, "approved", "deputy_secretary", "fushuji", D("2026-09-22"), False)]
    act("yjb", case, "issue-letter", {"kind": "inquiry_letter", "issued_on": "2026-09-23", "content": "请说明"},
        on="2026-09-23")
    body = act("yjb", case, "record-receipt", {"received_on": "2026-09-24"}, on="2026-09-24")
    assert (body["status"], body["response_start"], body["response_due"]) == ("awaiting_response", "2026-09-24",
                                                                              "2026-10-08")
    body = act("yjb", case, "record-response", {"received_on": "2026-10-08", "content": "书面说明"}, on="2026-10-08")
    assert (body["status"], body["responded_on"]) == ("responded", "2026-10-08")
    act("yjb", case, "write-register", {"content": "说明属实，予以了结"}, on="2026-10-08")
    body = act("fushuji", case, "lift", {"basis": "函询说明清楚"}, on="2026-10-09")
    assert (body["status"], body["closed_on"]) == ("lifted", "2026-10-09")


def test_level3_fails_and_is_raised_to_level4_whose_second_round_fails_too(api, act, screened, users, cadres):
    """三级预警 (第七条) decided by the secretary; its revisit fails, so it is raised one level (第十五条): a new
    四级预警 case on the same clue, decided by the standing committee (第九条) and reported to the party chief
    (第八条); its revisit fails, a second round runs (第十四条), fails too, and only then 转组织处理."""
    case, clue = screened("level3", "MH0001", on="2026-03-02", verifiable=True)
    act("yjb", case, "verify", {"method": "preliminary", "done_on": "2026-03-03", "findings": "初核属实",
                                "conclusion": "true"}, on="2026-03-03")
    assert refused(api("fushuji", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-03-04")) == (
        403, "三级预警（诫勉谈话并限期整改）的审批须由市纪委书记决定")
    body = act("shuji", case, "approve", {"opinion": "同意诫勉谈话并限期整改"}, on="2026-03-04")
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-03-04", "2026-03-11")
    assert decisions(case) == [(1, "approved", "secretary", "shuji", D("2026-03-04"), False)]
    body = talk(act, case, users["shuji"], planned="2026-03-05", held="2026-03-06")
    assert (body["status"], body["implemented_on"]) == ("implemented", "2026-03-06")
    act("yjb", case, "write-register", {"content": "整改要求：退还违规款项"}, on="2026-03-06")
    act("shuji", case, "approve-register", {}, on="2026-03-09")
    act("yjb", case, "issue-letter", {"kind": "admonition_notice", "issued_on": "2026-03-09", "content": "诫勉"},
        on="2026-03-09")
    body = act("yjb", case, "record-receipt", {"received_on": "2026-03-10"}, on="2026-03-10")
    # one month from Tuesday 10 March (第十二条)
    assert (body["status"], body["response_start"], body["response_due"]) == ("awaiting_response", "2026-03-10",
                                                                              "2026-04-10")
    restricted = api("zuzhibu", "post", "/api/restrictions", {"codes": ["MH0001"]}, on="2026-03-10").json()
    assert [(r["restricted"], [(x["measure"], x["scope"], x["label"], x["since"], x["until"], x["article"])
                               for x in r["restrictions"]]) for r in restricted] == [
        (True, [("level3", "awards_promotion", "不得评选评优、提拔使用", "2026-03-10", "2026-04-10", "第十六条")])]
    act("yjb", case, "record-response", {"received_on": "2026-04-08", "content": "整改情况报告"}, on="2026-04-08")
    early = api("shuji", "post", f"/api/cases/{case}/escalate", {"kind": "level4", "basis": "整改不力"}, on="2026-04-08")
    assert (early.status_code, early.json()["errors"]) == (422, [{"loc": ["kind"], "message":
        "整改不力（逾期未报告整改或回访未达到要求）的，才能转四级预警（责令整改）（第十五条）"}])
    body = revisit(act, case, on="2026-04-09", met=False)
    # 整改不力的提高一级: a new level-4 case, proposed, on the same clue
    body = act("shuji", case, "escalate", {"kind": "level4", "basis": "整改不力，提高一级"}, on="2026-04-10")
    assert (body["status"], body["closed_on"]) == ("escalated", "2026-04-10")
    assert WarningCase.objects.get(pk=case).escalation == "level4"
    level4 = WarningCase.objects.get(escalated_from_id=case).pk
    raised = api("yjb", "get", f"/api/cases/{level4}", on="2026-04-10").json()
    assert (raised["measure"], raised["status"], raised["target_id"], raised["clue_ids"],
            raised["escalated_from_id"]) == ("level4", "proposed", cadres["MH0001"].pk, [clue], case)

    # 四级预警: only the standing committee decides, at its meeting
    assert refused(api("shuji", "post", f"/api/cases/{level4}/approve", {"opinion": "同意"}, on="2026-04-14")) == (
        403, "四级预警（责令整改）的审批须由市纪委常委会决定")
    body = act("changwei", level4, "approve", {"opinion": "同意责令整改", "meeting": "2026年第5次常委会",
                                               "meeting_on": "2026-04-14"}, on="2026-04-14")
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-04-14", "2026-04-21")
    assert decisions(level4) == [(1, "approved", "standing_committee", "changwei", D("2026-04-14"), True)]
    act("yjb", level4, "report-chief", {"reported_on": "2026-04-15", "note": "报市委主要领导"}, on="2026-04-15")
    act("yjb", level4, "write-register", {"content": "整改要求：全部退还并作出书面检查"}, on="2026-04-15")
    act("shuji", level4, "approve-register", {}, on="2026-04-15")
    talk(act, level4, users["shuji"], planned="2026-04-15", held="2026-04-16")
    act("yjb", level4, "issue-letter", {"kind": "correction_notice", "issued_on": "2026-04-16", "content": "责令整改"},
        on="2026-04-16")
    body = act("yjb", level4, "record-receipt", {"received_on": "2026-04-17"}, on="2026-04-17")
    # one month from Friday 17 April ends on Sunday 17 May and rolls to Monday 18 May
    assert (body["status"], body["response_start"], body["response_due"]) == ("awaiting_response", "2026-04-17",
                                                                              "2026-05-18")
    restricted = api("zuzhibu", "post", "/api/restrictions", {"codes": ["MH0001"]}, on="2026-04-17").json()
    assert [(r["restricted"], [(x["measure"], x["scope"], x["since"], x["until"]) for x in r["restrictions"]])
            for r in restricted] == [
        (True, [("level4", "excellent", "2026-04-16", "2026-12-31"), ("level4", "awards_promotion", "2026-04-17", "2026-05-18")])]
    act("yjb", level4, "record-response", {"received_on": "2026-05-12", "content": "整改报告"}, on="2026-05-12")
    body = revisit(act, level4, on="2026-05-14", met=False)
    assert [(s["label"], s["who"], s["note"]) for s in body["next_steps"] if s["action"] == "new_round"] == [
        ("第二轮整改（第2轮）", "市纪委书记、市纪委分管副书记", "第十四条")]
    # one failed round is not enough for 转组织处理
    first = api("shuji", "post", f"/api/cases/{level4}/escalate", {"kind": "organisational", "basis": "整改不到位"},
                on="2026-05-15")
    assert (first.status_code, first.json()["errors"]) == (422, [{"loc": ["kind"], "message":
        "已进行2轮整改仍未达到要求的，才能转组织处理（第十四条）"}])
    office = api("yjb", "post", f"/api/cases/{level4}/new-round", {"started_on": "2026-05-15", "reason": "继续整改"},
                 on="2026-05-15")
    assert refused(office) == (403, "您没有进行此操作的权限")  # a leader who may lift decides (第十四条)
    body = act("shuji", level4, "new-round", {"started_on": "2026-05-15", "reason": "款项尚未全部退还"}, on="2026-05-15")
    # the second round: one month from Friday 15 May
    assert (body["status"], body["response_start"], body["response_due"], body["responded_on"]) == (
        "awaiting_response", "2026-05-15", "2026-06-15", None)
    act("yjb", level4, "record-response", {"received_on": "2026-06-10", "content": "第二轮整改报告"}, on="2026-06-10")
    held = api("fushuji", "post", f"/api/cases/{level4}/lift", {"basis": "整改到位"}, on="2026-06-10")
    # the first round's revisit no longer counts; the articles are the policy's (第十三条, 第十七条)
    assert refused(held) == (422, "不能解除预警：尚未回访（第十三条）；尚未书面通报组织部门、人事部门、所在单位党组织（第十七条）")
    revisit(act, level4, on="2026-06-12", met=False)
    again = api("shuji", "post", f"/api/cases/{level4}/new-round", {"started_on": "2026-06-12", "reason": "再整改"},
                on="2026-06-12")
    assert refused(again) == (422, "已进行2轮整改，不能再次整改（第十四条）")
    body = act("shuji", level4, "escalate", {"kind": "organisational", "basis": "两轮整改均未到位"}, on="2026-06-15")
    assert (body["status"], body["closed_on"]) == ("escalated", "2026-06-15")
    assert WarningCase.objects.get(pk=level4).escalation == "organisational"
    assert [t["title"] for t in body["timeline"] if t["title"].startswith("开始第")] == ["开始第2轮整改"]
    # after the escalation, only the year-end restriction of the talk remains
    restricted = api("zuzhibu", "post", "/api/restrictions", {"codes": ["MH0001"]}, on="2026-06-16").json()
    assert [(r["restricted"], [(x["scope"], x["until"]) for x in r["restrictions"]]) for r in restricted] == [
        (True, [("excellent", "2026-12-31")])]


def test_the_demo_loads_under_the_policy(db, graded):
    """make run works under the file: the demo county and its cases follow its measures."""
    assert load_demo() is True
    cases = sorted(WarningCase.objects.values_list("target__code", "measure", "status"))
    assert cases == [
        ("MH0002", "level4", "awaiting_response"), ("MH0007", "level2", "proposed"), ("MH0049", "level1", "lifted")]
    # the heaviest level is decided by the standing committee, at a meeting
    heavy = WarningCase.objects.get(measure="level4")
    assert list(heavy.decisions.values_list("role", "by_committee", "recorded_by__username")) == [
        ("standing_committee", True, "changwei")]
