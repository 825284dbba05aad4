"""The example policy national.toml (issue 17): a two-measure rule set modelled on the national 函询和诫勉
rules — 函询 (hanxun) by letter only, a written explanation within 15 days of delivery, escalated to
诫勉谈话 (jiemian) after its implementation; 诫勉谈话 a talk only, decided for cadres the county committee
manages by the organisation department (干部管理权限), and restricting the target for six months from the
talk (promotion) and to 31 December (an excellent appraisal). Everything is driven through the API."""

import json
from pathlib import Path

import pytest
from django.utils import timezone

from tests.dates import D
from tests.policy.examples.conftest import docx_paragraphs
from yujing.audit.models import Event
from yujing.audit.services import verify_chain
from yujing.cases.models import Decision, WarningCase
from yujing.demo import load_demo
from yujing.policy.schema import parse_policy

NATIONAL = Path(__file__).resolve().parents[3] / "src/yujing/policy/policies/national.toml"


class Clock:
    """The API's today (timezone.localdate()), set by the test; a date of a given moment stays real."""

    def __init__(self, real):
        self.day = None
        self.real = real

    def __call__(self, *args, **kwargs):
        return self.real(*args, **kwargs) if args or kwargs else self.day


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(timezone.localdate)
    monkeypatch.setattr(timezone, "localdate", clock)
    return clock


@pytest.fixture
def national(use_policy, demo):
    return use_policy(NATIONAL)


def post(client, url, body, status=200):
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == status, response.content.decode()
    return response.json()


def docx_text(client, document_id):
    """The paragraphs of a generated DOCX, downloaded through the API, as one string."""
    response = client.get(f"/api/documents/{document_id}/docx")
    assert response.status_code == 200
    return "\n".join(docx_paragraphs(response))


def steps(case):
    return [(s["action"], s["who"], s["due"], s["note"]) for s in case["next_steps"]]


def decisions(pk):
    return [(d.step, d.outcome, d.role, d.recorded_by.username, d.decided_on)
            for d in Decision.objects.filter(case_id=pk).order_by("step")]


def register_and_screen(clock, client, cadre, measure, day):
    """A petition about ``cadre`` received and screened on ``day``, proposing ``measure``; the case's id."""
    clock.day = D(day)
    clue = post(client, "/api/clues", {"received_on": day, "channel": "petition", "summary": "反映问题",
                                       "detail": "群众反映的具体问题。", "concerned": [{"cadre_id": cadre.pk}]},
                status=201)
    screened = post(client, f"/api/clues/{clue['id']}/screen", {
        "outcome": "handle", "reason": "本级处理", "verifiable": measure == "jiemian",
        "proposals": [{"cadre_id": cadre.pk, "measure": measure}]})
    [case] = screened["cases"]
    assert (case["measure"], case["status"]) == (measure, "proposed")
    return case["id"]


def test_the_file_loads_with_its_two_measures():
    policy = parse_policy(NATIONAL.read_text(encoding="utf-8"))
    assert list(policy.measures) == ["hanxun", "jiemian"]
    hanxun, jiemian = policy.measures["hanxun"], policy.measures["jiemian"]
    assert (hanxun.label, hanxun.deliveries, hanxun.letter_forms, hanxun.restricted) == (
        "函询", ["letter"], ["inquiry_letter"], False)
    assert (str(hanxun.response.period), hanxun.response.label, hanxun.response.article) == ("15d", "书面说明", "第十条")
    assert (hanxun.condition("jiemian"), hanxun.condition("case_filing")) == ("after_implementation", "filing_conditions")
    assert (jiemian.label, jiemian.deliveries, jiemian.letter_forms, jiemian.response) == ("诫勉谈话", ["talk"], [], False)
    assert [(r.scope, r.label, r.start, r.until, r.article) for r in jiemian.restrictions] == [
        ("promotion", "六个月内不得提拔或者重用", "implemented", "6m", "第十五条"),
        ("excellent", "当年年度考核不得评为优秀等次", "implemented", "year_end", "第十六条")]
    assert jiemian.approvers == ["secretary"]
    assert {k: v.approvers for k, v in jiemian.by_manager.items()} == {"county_committee": ["organization_dept"]}
    assert hanxun.by_manager == {}
    assert (hanxun.again.max, hanxun.again.label, hanxun.again.article, str(hanxun.again.period)) == (
        2, "再次函询", "第十二条", "10d")
    assert jiemian.again is None


def test_get_policy_returns_the_measures_of_the_file(national, login):
    body = login("yjb").get("/api/policy").json()
    assert (body["id"], body["name"], body["in_force"]) == ("national-example", "领导干部函询和诫勉工作实施办法", True)
    measures = body["rules"]["measures"]
    assert list(measures) == ["hanxun", "jiemian"]
    assert measures["hanxun"]["response"] == {"period": "15d", "label": "书面说明", "article": "第十条"}
    assert measures["jiemian"]["response"] is False
    assert measures["hanxun"]["again"] == {"max": 2, "label": "再次函询", "article": "第十二条", "period": "10d"}
    assert measures["jiemian"]["by_manager"]["county_committee"]["approvers"] == ["organization_dept"]
    assert body["text"] == NATIONAL.read_text(encoding="utf-8")


def test_hanxun_by_letter_escalated_to_jiemian_decided_by_the_organisation_department(
        national, login, cadres, users, clock):
    """函询 of 青石镇党委书记 (MH0001, managed by the county committee): approved by the secretary, the letter
    received on 2026-04-20, the explanation due 15 days later — 05-05, in the Labour Day holiday (05-01 to
    05-05), so 05-06; escalated to 诫勉谈话, which the organisation department decides and the secretary may
    not; the talk on 05-19 restricts promotion to 11-19 and an excellent appraisal to 12-31."""
    office, secretary, org = login("yjb"), login("shuji"), login("zuzhibu")
    cadre = cadres["MH0001"]
    assert (cadre.managed_by.kind, cadre.is_principal) == ("county_committee", True)

    # 函询: proposed on 04-07 without verification (第七条), decided by the secretary (第五条)
    hanxun = register_and_screen(clock, office, cadre, "hanxun", "2026-04-07")
    case = office.get(f"/api/cases/{hanxun}").json()
    assert [(s["action"], s["who"]) for s in case["next_steps"]] == [("approve", "市纪委书记")]
    clock.day = D("2026-04-08")
    case = post(secretary, f"/api/cases/{hanxun}/approve", {"opinion": "同意函询"})
    assert (case["status"], case["approved_on"], case["implementation_due"]) == ("approved", "2026-04-08", "2026-04-15")
    # by letter only: no talk is offered, the implementation note cites this file's 第八条
    assert steps(case) == [("issue_letter", "预警办", "2026-04-15", "批准之日起7日内组织实施（第八条）")]
    assert "plan_talk" not in office.get(f"/api/cases/{hanxun}").json()["available_actions"]
    assert decisions(hanxun) == [(1, "approved", "secretary", "shuji", D("2026-04-08"))]

    clock.day = D("2026-04-09")
    assert post(office, f"/api/cases/{hanxun}/plan-talk", {
        "outline": "谈话", "chief_id": users["shuji"].pk, "other_talkers": ["方晓春"],
        "scheduled_at": "2026-04-10T09:00:00+08:00", "place": "谈话室"}, status=422)["message"] == "函询不采用谈话方式"
    case = post(office, f"/api/cases/{hanxun}/issue-letter",
                {"kind": "inquiry_letter", "issued_on": "2026-04-09", "content": "请就反映的问题作出书面说明"})
    assert (case["status"], case["delivery"], case["implemented_on"]) == ("implemented", "letter", "2026-04-09")
    clock.day = D("2026-04-20")
    case = post(office, f"/api/cases/{hanxun}/record-receipt", {"received_on": "2026-04-20"})
    # 04-20 + 15 days = 05-05, a day of the Labour Day holiday: the explanation is due on 05-06 (第十条)
    assert (case["status"], case["response_start"], case["response_due"]) == ("awaiting_response", "2026-04-20",
                                                                              "2026-05-06")
    assert steps(case) == [("record_response", "预警对象", "2026-05-06", "15日内（第十条）")]
    clock.day = D("2026-05-06")
    case = post(office, f"/api/cases/{hanxun}/record-response", {"received_on": "2026-05-06", "content": "书面说明"})
    assert (case["status"], case["responded_on"]) == ("responded", "2026-05-06")

    # 转诫勉谈话 after the implementation (第十二条)
    clock.day = D("2026-05-11")
    case = post(secretary, f"/api/cases/{hanxun}/escalate", {"kind": "jiemian", "basis": "说明不清，需予诫勉"})
    assert (case["status"], case["closed_on"]) == ("escalated", "2026-05-11")
    jiemian = WarningCase.objects.get(escalated_from_id=hanxun).pk
    assert case["timeline"][-1]["title"] == "转诫勉谈话"

    # 诫勉谈话: verified first (第十三条), then decided by the organisation department (by_manager)
    case = office.get(f"/api/cases/{jiemian}").json()
    assert (case["measure"], case["status"], case["escalated_from_id"]) == ("jiemian", "proposed", hanxun)
    assert [(s["action"], s["who"]) for s in case["next_steps"]] == [("verify", "预警办"), ("approve", "市委组织部")]
    clock.day = D("2026-05-12")
    post(office, f"/api/cases/{jiemian}/verify", {"method": "preliminary", "done_on": "2026-05-12",
                                                  "findings": "反映属实", "conclusion": "true"})
    refused = secretary.post(f"/api/cases/{jiemian}/approve", json.dumps({"opinion": "同意"}),
                             content_type="application/json")
    assert (refused.status_code, refused.json()["message"]) == (403, "诫勉谈话的审批须由市委组织部决定")
    case = post(org, f"/api/cases/{jiemian}/approve", {"opinion": "同意诫勉"})
    assert (case["status"], case["approved_on"], case["implementation_due"]) == ("approved", "2026-05-12", "2026-05-19")
    # a talk only: no letter is offered
    assert steps(case) == [("plan_talk", "预警办；主谈人：市纪委书记", "2026-05-19", "")]
    assert "issue_letter" not in office.get(f"/api/cases/{jiemian}").json()["available_actions"]
    assert decisions(jiemian) == [(1, "approved", "organization_dept", "zuzhibu", D("2026-05-12"))]

    clock.day = D("2026-05-13")
    post(office, f"/api/cases/{jiemian}/plan-talk", {
        "outline": "指出问题，提出改正要求", "chief_id": users["shuji"].pk, "other_talkers": ["方晓春"],
        "scheduled_at": "2026-05-19T09:00:00+08:00", "place": "县纪委谈话室"})
    post(office, f"/api/cases/{jiemian}/notify-talk", {"sent_on": "2026-05-13"})
    clock.day = D("2026-05-19")
    case = post(office, f"/api/cases/{jiemian}/hold-talk",
                {"held_on": "2026-05-19", "record": "诫勉谈话记录", "signed_on": "2026-05-19"})
    # nothing in writing is awaited (response = false); 通报所在单位党组织 is required (第十七条)
    assert (case["status"], case["delivery"], case["implemented_on"], case["response_due"]) == (
        "responded", "talk", "2026-05-19", None)
    assert [s["action"] for s in case["next_steps"]] == ["notify", "write_register", "lift"]
    clock.day = D("2026-05-20")
    post(office, f"/api/cases/{jiemian}/write-register", {"content": "本人表示改正"})
    post(office, f"/api/cases/{jiemian}/notify",
         {"recipient": "unit_party_org", "sent_on": "2026-05-20", "content": "诫勉情况通报"})
    case = post(secretary, f"/api/cases/{jiemian}/lift", {"basis": "谈话已进行，本人表示改正"})
    assert (case["status"], case["closed_on"]) == ("lifted", "2026-05-20")

    # the restrictions outlive the case: six months from the talk (05-19 + 6m = 11-19) and to 31 December
    promotion = {"case_id": jiemian, "measure": "jiemian", "since": "2026-05-19", "until": "2026-11-19",
                 "condition": "自2026年5月19日（实施之日）起6个月，至2026年11月19日止", "scope": "promotion",
                 "label": "六个月内不得提拔或者重用", "article": "第十五条"}
    excellent = {"case_id": jiemian, "measure": "jiemian", "since": "2026-05-19", "until": "2026-12-31",
                 "condition": "自2026年5月19日（实施之日）起，至2026年12月31日（当年年底）止", "scope": "excellent",
                 "label": "当年年度考核不得评为优秀等次", "article": "第十六条"}

    def looked_up(day):
        clock.day = D(day)
        [row] = post(org, "/api/restrictions", {"codes": ["MH0001"]})
        assert (row["code"], row["name"]) == ("MH0001", cadre.name)
        return row["restricted"], row["restrictions"]

    assert looked_up("2026-05-18") == (False, [])
    assert looked_up("2026-05-19") == (True, [promotion, excellent])
    assert looked_up("2026-11-19") == (True, [promotion, excellent])
    assert looked_up("2026-11-20") == (True, [excellent])
    assert looked_up("2026-12-31") == (True, [excellent])
    assert looked_up("2027-01-01") == (False, [])
    assert verify_chain() is None


def test_a_second_hanxun_letter_after_an_unclear_explanation(national, login, cadres, users, clock):
    """再次函询 (第十二条) of 青石镇党委书记 (MH0001): letter 1 delivered on 2026-06-04, its explanation due 15 days
    later — 06-19, the Dragon Boat holiday (06-19 to 06-21), so 06-22 — received on 06-15 and found unclear; the
    secretary decides a second letter on 06-16, due within 10 days (06-26); it goes out on 06-24, is delivered
    on 06-25 and starts its own 15 days (07-10); answered on 07-08, the case is lifted. Refused before an answer,
    to the office and a standing-committee member, and beyond two letters."""
    office, secretary, member = login("yjb"), login("shuji"), login("changwei")
    cadre = cadres["MH0001"]
    hanxun = register_and_screen(clock, office, cadre, "hanxun", "2026-06-01")
    clock.day = D("2026-06-02")
    post(secretary, f"/api/cases/{hanxun}/approve", {"opinion": "同意函询"})
    clock.day = D("2026-06-03")
    post(office, f"/api/cases/{hanxun}/issue-letter",
         {"kind": "inquiry_letter", "issued_on": "2026-06-03", "content": "请就收受礼金问题作出书面说明"})
    clock.day = D("2026-06-04")
    case = post(office, f"/api/cases/{hanxun}/record-receipt", {"received_on": "2026-06-04"})
    assert (case["status"], case["response_due"]) == ("awaiting_response", "2026-06-22")

    # before an answer: refused, citing the rule
    clock.day = D("2026-06-10")
    refused = post(secretary, f"/api/cases/{hanxun}/again", {"decided_on": "2026-06-10", "reason": "说明不清"},
                   status=422)
    assert refused["message"] == "收到书面说明之后，才能再次函询（第十二条）"
    clock.day = D("2026-06-15")
    case = post(office, f"/api/cases/{hanxun}/record-response", {"received_on": "2026-06-15", "content": "说明不清楚"})
    assert (case["status"], case["responded_on"]) == ("responded", "2026-06-15")
    assert ("again", "市纪委书记、市纪委分管副书记", "第十二条") in [(s["action"], s["who"], s["note"])
                                                        for s in case["next_steps"]]
    assert "again" not in case["available_actions"]  # the office does not decide it
    assert "again" in secretary.get(f"/api/cases/{hanxun}").json()["available_actions"]

    # the office and a standing-committee member may not decide it
    clock.day = D("2026-06-16")
    body = {"decided_on": "2026-06-16", "reason": "礼金去向未作说明，需进一步说明"}
    assert post(office, f"/api/cases/{hanxun}/again", body, status=403)["code"] == "forbidden"
    assert post(member, f"/api/cases/{hanxun}/again", body, status=403)["message"] == (
        "再次函询须由市纪委书记、市纪委分管副书记决定")
    case = post(secretary, f"/api/cases/{hanxun}/again", body)
    assert (case["status"], case["delivery"], case["implemented_on"], case["implementation_due"],
            case["responded_on"]) == ("approved", "letter", "2026-06-03", "2026-06-09", None)
    assert steps(case) == [("issue_letter", "预警办", "2026-06-26", "决定之日起10日内发出（第十二条）")]
    assert case["timeline"][-1]["title"] == "再次函询（第2次发函）"

    # the deadline board and 我的待办 show the new letter due on 06-26
    def board_item(day):
        clock.day = D(day)
        items = [i for b in office.get("/api/deadlines").json()["items"] for i in b["items"]
                 if i["url"] == f"/cases/{hanxun}/"]
        return [(i["key"], i["label"], i["due"], i["grade"], i["article"]) for i in items]

    assert board_item("2026-06-22") == []  # beyond the board's 3 days (due_soon_days)
    assert board_item("2026-06-23") == [(f"case:{hanxun}:again:2", "再次函询：发出第2次函", "2026-06-26", "due_soon",
                                         "第十二条")]
    clock.day = D("2026-06-17")
    mine = [(i["key"], i["label"], i["due"], i["grade"]) for i in office.get("/api/my-work").json()["items"]
            if i["url"] == f"/cases/{hanxun}/"]
    assert mine == [(f"case:{hanxun}:again:2", "再次函询：发出第2次函", "2026-06-26", "upcoming")]
    clock.day = D("2026-06-24")

    # letter 2 with new questions, delivered anew: its own 15 days
    case = post(office, f"/api/cases/{hanxun}/issue-letter",
                {"kind": "inquiry_letter", "issued_on": "2026-06-24", "content": "请说明礼金的去向"})
    assert (case["status"], case["implemented_on"]) == ("implemented", "2026-06-03")
    # each letter is a document of its own, with its own 文号 and its own questions
    first = post(office, f"/api/cases/{hanxun}/documents", {"form": "inquiry_letter", "subject": f"case:{hanxun}",
                                                             "pdf": False}, status=201)
    second_letter = WarningCase.objects.get(pk=hanxun).letters.order_by("id").last()
    slots = post(office, f"/api/cases/{hanxun}/documents", {"form": "inquiry_letter",
                                                             "subject": f"letter:{second_letter.pk}", "pdf": False},
                 status=201)
    letters = [(s["subject"], s["label"], s["versions"][0]["number"]) for s in slots if s["form"] == "inquiry_letter"]
    assert letters == [(f"case:{hanxun}", "询问函", "明纪预〔2026〕1号"),
                       (f"letter:{second_letter.pk}", "询问函（2026年6月24日发出）", "明纪预〔2026〕2号")]
    # generating the first letter's document numbers that letter only
    assert [[v["number"] for v in s["versions"]] for s in first if s["form"] == "inquiry_letter"] == [
        ["明纪预〔2026〕1号"], []]
    texts = [docx_text(office, s["versions"][0]["id"]) for s in slots if s["form"] == "inquiry_letter"]
    assert ["请就收受礼金问题作出书面说明" in texts[0], "请说明礼金的去向" in texts[0]] == [True, False]
    assert ["请就收受礼金问题作出书面说明" in texts[1], "请说明礼金的去向" in texts[1]] == [False, True]
    clock.day = D("2026-06-25")
    case = post(office, f"/api/cases/{hanxun}/record-receipt", {"received_on": "2026-06-25"})
    assert (case["status"], case["response_start"], case["response_due"]) == (
        "awaiting_response", "2026-06-25", "2026-07-10")
    assert steps(case) == [("record_response", "预警对象", "2026-07-10", "15日内（第十条）")]
    clock.day = D("2026-07-08")
    case = post(office, f"/api/cases/{hanxun}/record-response", {"received_on": "2026-07-08", "content": "礼金已退还"})
    assert (case["status"], case["responded_on"]) == ("responded", "2026-07-08")

    # two letters in all
    clock.day = D("2026-07-09")
    refused = post(secretary, f"/api/cases/{hanxun}/again", {"decided_on": "2026-07-09", "reason": "仍不清楚"},
                   status=422)
    assert refused["message"] == "本预警事项已发函2次（至多2次），不能再次函询（第十二条）"
    assert "again" not in [s["action"] for s in post(office, f"/api/cases/{hanxun}/write-register",
                                                      {"content": "本人如实说明"})["next_steps"]]
    case = post(secretary, f"/api/cases/{hanxun}/lift", {"basis": "两次书面说明后已说明清楚"})
    assert (case["status"], case["closed_on"]) == ("lifted", "2026-07-09")
    # both letters and both explanations on file, in the timeline in date order
    shown = {"发出询问函", "送达", "收到书面答复或整改报告", "再次函询（第2次发函）"}
    assert [(e["on"], e["title"], e["late"]) for e in case["timeline"] if e["title"] in shown] == [
        ("2026-06-03", "发出询问函", False), ("2026-06-04", "送达", False),
        ("2026-06-15", "收到书面答复或整改报告", False), ("2026-06-16", "再次函询（第2次发函）", False),
        ("2026-06-24", "发出询问函", False), ("2026-06-25", "送达", False),
        ("2026-07-08", "收到书面答复或整改报告", False)]
    event = Event.objects.get(action="cases.case.again", object_id=str(hanxun))
    assert (event.actor.username, event.data["letter"], event.data["letter_due"]) == ("shuji", 2, "2026-06-26")
    assert verify_chain() is None


def test_a_township_managed_cadre_is_decided_by_the_township_party_committee(national, login, cadres, users, clock):
    """A cadre the township manages (MH0007, 青石镇): the township's own case (第五条, [unit_level]) is decided by
    its party committee; the county secretary is refused."""
    cadre = cadres["MH0007"]
    assert (cadre.managed_by.kind, cadre.managed_by.code) == ("township", "MH-QS")
    township = login("qs_jiwei")
    jiemian = register_and_screen(clock, township, cadre, "jiemian", "2026-06-01")
    case = township.get(f"/api/cases/{jiemian}").json()
    assert [(s["action"], s["who"]) for s in case["next_steps"]][-1] == ("approve", "单位党委(党组)负责人")
    post(township, f"/api/cases/{jiemian}/verify", {"method": "inquiry", "done_on": "2026-06-01",
                                                    "findings": "反映属实", "conclusion": "true"})
    clock.day = D("2026-06-02")
    refused = login("shuji").post(f"/api/cases/{jiemian}/approve", json.dumps({"opinion": "同意"}),
                                  content_type="application/json")
    assert (refused.status_code, refused.json()["message"]) == (403, "诫勉谈话的审批须由单位党委(党组)负责人决定")
    case = post(login("qs_dangwei"), f"/api/cases/{jiemian}/approve", {"opinion": "同意"})
    assert (case["status"], case["implementation_due"]) == ("approved", "2026-06-09")
    assert decisions(jiemian) == [(1, "approved", "party_committee", "qs_dangwei", D("2026-06-02"))]


def test_the_demo_loads_under_the_policy(db, use_policy):
    use_policy(NATIONAL)
    assert load_demo() is True
    got = sorted((c.target.code, c.measure, c.status, [(d.recorded_by.username, d.role) for d in c.decisions.all()])
                 for c in WarningCase.objects.all())
    assert got == [("MH0002", "hanxun", "awaiting_response", [("shuji", "secretary")]),
                   ("MH0007", "jiemian", "proposed", []),
                   ("MH0049", "hanxun", "approved", [("shuji", "secretary")])]
    assert verify_chain() is None
