"""The example policy appraisal.toml (issue 17, "Done when"): a one-measure rule set — 诫勉 (jiemian), a talk
and nothing more, decided in two steps (分管副书记审核 → 书记审批), restricting the target for six months
and for the year from the talk, and from awards for the rest of the cadre's term (until = "term_end") — whose clues come also from appraisal results: 民主测评满意率低于60%
(第四条, a [[triggers]] on the appraisal channel). Driven end to end through the API with exact dates."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests.dates import D
from yujing.cases.models import Decision, WarningCase
from yujing.clues.models import Clue
from yujing.demo import load_demo
from yujing.policy.schema import parse_policy

POLICY = Path(__file__).resolve().parents[3] / "src" / "yujing" / "policy" / "policies" / "appraisal.toml"


@pytest.fixture
def appraisal(use_policy):
    return use_policy(POLICY)


@pytest.fixture
def clock(monkeypatch):
    """clock("2026-09-14"): the API's today from now on."""

    def _set(day: str) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(day))

    return _set


def _payload(cadre, day, **kw):
    payload = {"received_on": day, "channel": "appraisal", "summary": "年度民主测评满意率偏低",
               "detail": "2026年度民主测评中，该同志民主测评满意率低于60%。", "concerned": [{"cadre_id": cadre.pk}]}
    payload.update(kw)
    return payload


def _post(client, url, payload=None):
    return client.post(url, payload or {}, content_type="application/json")


def test_the_file_loads_as_one_talk_only_measure_with_its_trigger():
    rules = parse_policy(POLICY.read_text(encoding="utf-8")).rules
    assert rules.policy.measures == ["jiemian"] and list(rules.measures) == ["jiemian"]
    jiemian = rules.measures["jiemian"]
    assert (jiemian.label, jiemian.deliveries, jiemian.letter_forms, jiemian.response, jiemian.answered) == (
        "诫勉", ["talk"], [], False, False)
    assert (jiemian.approvers, [s.roles for s in jiemian.then], jiemian.then[0].label) == (
        ["deputy_secretary"], [["secretary"]], "纪委书记审批")
    assert [(r.scope, r.start, r.until, r.article) for r in jiemian.restrictions] == [
        ("promotion", "talk", "6m", "第十二条"), ("excellent", "talk", "year_end", "第十三条"),
        ("awards", "talk", "term_end", "第十三条")]
    trigger = rules.trigger("appraisal")
    assert (trigger.indicator, trigger.below, trigger.unit, trigger.article, trigger.measure) == (
        "民主测评满意率", 60, "%", "第四条", "jiemian")
    assert rules.trigger("petition") is None


def test_get_api_policy_shows_the_one_measure_and_the_trigger(appraisal, login):
    body = login("yjb").get("/api/policy").json()
    assert (body["id"], body["digest"], body["in_force"]) == ("example-appraisal", appraisal.digest, True)
    rules = body["rules"]
    assert rules["policy"]["measures"] == ["jiemian"] and list(rules["measures"]) == ["jiemian"]
    assert rules["measures"]["jiemian"]["label"] == "诫勉"
    assert rules["measures"]["jiemian"]["response"] is False
    assert rules["implementation"] == {"period": "5wd", "from": "approval", "article": "第九条"}
    assert rules["triggers"] == [{"channel": "appraisal", "label": "年度考核、民主测评结果", "indicator": "民主测评满意率",
                                  "below": 60, "unit": "%", "article": "第四条", "measure": "jiemian"}]


def test_at_the_threshold_or_without_a_value_an_appraisal_is_no_clue(appraisal, login, cadres, clock):
    clock("2026-09-14")
    office = login("yjb")
    at = _post(office, "/api/clues", _payload(cadres["MH0002"], "2026-09-14", indicator_value=60))
    assert at.status_code == 422
    assert at.json()["errors"] == [{"loc": ["indicator_value"],
                                    "message": "民主测评满意率为60%，不低于60%，不构成预警线索（第四条）"}]
    missing = _post(office, "/api/clues", _payload(cadres["MH0002"], "2026-09-14"))
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"loc": ["indicator_value"], "message": "须填写民主测评满意率（第四条）"}]
    assert Clue.objects.count() == 0


def test_an_appraisal_below_60_runs_to_its_lifting_through_the_api(appraisal, login, cadres, users, clock):
    cadre = cadres["MH0002"]  # county-managed: the county warning office handles it
    office, deputy, secretary = login("yjb"), login("fushuji"), login("shuji")

    # 2026-09-14 (Mon): registered with 58.5%, below the line (第四条)
    clock("2026-09-14")
    response = _post(office, "/api/clues", _payload(cadre, "2026-09-14", indicator_value=58.5))
    assert response.status_code == 201, response.json()
    clue = response.json()
    assert (clue["indicator_value"], clue["indicator"]) == (58.5, "民主测评满意率 58.5%（低于60%，第四条）")
    assert clue["screening_due"] == "2026-09-29"  # 15 days (第五条): 09-29, a Tuesday
    assert Clue.objects.get(pk=clue["id"]).indicator_value == Decimal("58.5")

    # the screening form proposes 诫勉, the trigger's measure
    page = office.get(f"/clues/{clue['id']}/").content.decode()
    select = page[page.index(f'name="measure_{cadre.pk}"'):]
    assert '<option value="jiemian" selected>诫勉</option>' in select[:select.index("</select>")]

    # 2026-09-15: screened over the API with that proposal
    clock("2026-09-15")
    screened = _post(office, f"/api/clues/{clue['id']}/screen", {
        "outcome": "handle", "reason": "民主测评满意率低于60%，属县管干部", "verifiable": True,
        "proposals": [{"cadre_id": cadre.pk, "measure": "jiemian"}]})
    assert screened.status_code == 200, screened.json()
    [ref] = screened.json()["cases"]
    assert (ref["measure"], ref["status"], ref["target_id"]) == ("jiemian", "proposed", cadre.pk)
    case_url = f"/api/cases/{ref['id']}"

    def act(client, name, payload=None):
        return _post(client, f"{case_url}/{name}", payload)

    # 2026-09-16: verified (第七条) — approval before it is refused
    clock("2026-09-16")
    early = act(deputy, "approve", {"opinion": "同意"})
    assert (early.status_code, early.json()["message"]) == (422, "诫勉对象须在了解、初核或调查后审定（第七条）")
    assert act(office, "verify", {"method": "inquiry", "done_on": "2026-09-16", "conclusion": "true",
                                  "findings": "经了解，测评满意率偏低系工作作风简单粗暴所致。"}).status_code == 200

    # 2026-09-18 (Fri): step 1 is the deputy secretary's (第八条) — the secretary may not take it
    clock("2026-09-18")
    wrong = act(secretary, "approve", {"opinion": "同意"})
    assert wrong.status_code == 403
    assert wrong.json()["message"] == WRONG_FIRST
    first = act(deputy, "approve", {"opinion": "同意诫勉，报书记审批"})
    assert first.status_code == 200, first.json()
    assert (first.json()["status"], first.json()["approved_on"]) == ("proposed", None)

    # 2026-09-24 (Thu): step 2, 纪委书记审批 — not by the deputy who took step 1
    clock("2026-09-24")
    again = act(deputy, "approve", {"opinion": "同意"})
    assert again.status_code == 403
    assert again.json()["message"] == WRONG_SECOND
    second = act(secretary, "approve", {"opinion": "同意诫勉"})
    assert second.status_code == 200, second.json()
    body = second.json()
    # 5 working days from 09-24 (第九条): 09-28, 09-29, 09-30, then 国庆 10-01..07, 10-08, 10-09
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-09-24", "2026-10-09")
    decisions = Decision.objects.filter(case_id=ref["id"]).order_by("step")
    assert [(d.step, d.recorded_by.username, d.role, d.decided_on, d.outcome) for d in decisions] == [
        (1, "fushuji", "deputy_secretary", D("2026-09-18"), "approved"),
        (2, "shuji", "secretary", D("2026-09-24"), "approved")]

    # 2026-09-28: the talk planned and notified; 2026-09-30: held and signed — that is the whole measure (第十一条)
    clock("2026-09-28")
    planned = act(office, "plan-talk", {"outline": "一、通报民主测评结果；二、指出作风问题；三、提出改正要求。",
                                        "chief_id": users["shuji"].pk, "other_talkers": ["方晓春"],
                                        "scheduled_at": "2026-09-30T09:30:00+08:00", "place": "市纪委谈话室"})
    assert planned.status_code == 200, planned.json()
    assert act(office, "notify-talk", {"sent_on": "2026-09-28"}).status_code == 200
    clock("2026-09-30")
    held = act(office, "hold-talk", {"held_on": "2026-09-30", "record": "对象认识到作风问题，表示立即改正。",
                                     "signed_on": "2026-09-30"})
    assert held.status_code == 200, held.json()
    body = held.json()
    assert (body["status"], body["delivery"], body["implemented_on"]) == ("responded", "talk", "2026-09-30")
    assert (body["response_start"], body["response_due"]) == (None, None)  # no written answer (response = false)

    # the restrictions run from the talk: six months (09-30 + 6m = 2027-03-30, not rolled) and the year
    clock("2026-10-08")
    org = login("zuzhibu")
    looked_up = _post(org, "/api/restrictions", {"codes": ["MH0002", "MH0003"]}).json()
    assert [(r["code"], r["restricted"]) for r in looked_up] == [("MH0002", True), ("MH0003", False)]
    assert looked_up[0]["restrictions"] == [
        {"case_id": ref["id"], "measure": "jiemian", "since": "2026-09-30", "until": "2027-03-30",
         "condition": "自2026年9月30日（谈话之日）起6个月，至2027年3月30日止", "scope": "promotion",
         "label": "六个月内不得提拔或者重用", "article": "第十二条"},
        {"case_id": ref["id"], "measure": "jiemian", "since": "2026-09-30", "until": "2026-12-31",
         "condition": "自2026年9月30日（谈话之日）起，至2026年12月31日（当年年底）止", "scope": "excellent",
         "label": "当年年度考核不得评为优秀等次", "article": "第十三条"},
        # the roster records no term end for 青石镇's 镇长: the restriction still applies, and says so
        {"case_id": ref["id"], "measure": "jiemian", "since": "2026-09-30", "until": None,
         "condition": "自2026年9月30日（谈话之日）起，至任期届满（未登记届满日期）止", "scope": "awards",
         "label": "本届任期内不得评选评优", "article": "第十三条"}]
    page = org.get("/cases/restrictions/?q=MH0002").content.decode()
    assert "诫勉（自 2026年9月30日 起）本届任期内不得评选评优（第十三条）：自2026年9月30日（谈话之日）起，至任期届满（未登记届满日期）止" in page
    # the roster now records the term's end (任期届满日期): the restriction runs to that day
    from yujing.cadres.models import Cadre

    Cadre.objects.filter(code="MH0002").update(term_ends_on=D("2027-01-15"))
    [row] = _post(org, "/api/restrictions", {"codes": ["MH0002"]}).json()
    assert [(r["scope"], r["until"], r["condition"]) for r in row["restrictions"]][2] == (
        "awards", "2027-01-15", "自2026年9月30日（谈话之日）起，至2027年1月15日（任期届满）止")
    page = org.get("/cases/restrictions/?q=MH0002").content.decode()
    assert "本届任期内不得评选评优（第十三条）：自2026年9月30日（谈话之日）起，至2027年1月15日（任期届满）止" in page

    # 2026-10-08: register; lifting waits for the notices to the departments (第十四条)
    assert act(office, "write-register", {"content": "本人表示虚心接受群众评议，三个月内改进工作作风。"}).status_code == 200
    blocked = act(secretary, "lift", {"basis": "诫勉谈话已进行"})
    assert blocked.status_code == 422
    assert blocked.json()["message"] == "不能解除预警：尚未书面通报组织部门、人事部门（第十四条）"
    for recipient in ("organization_dept", "personnel_dept"):
        sent = act(office, "notify", {"recipient": recipient, "sent_on": "2026-10-08",
                                      "content": "对青石镇镇长诫勉，六个月内不得提拔或者重用。"})
        assert sent.status_code == 200, sent.json()

    # 2026-10-09: lifted by the secretary (第十五条); the liaison cannot
    clock("2026-10-09")
    liaison = act(login("lianluo"), "lift", {"basis": "了结"})
    assert (liaison.status_code, liaison.json()["message"]) == (404, "未找到，或不在您的管辖范围内")
    lifted = act(secretary, "lift", {"basis": "诫勉谈话已进行，本人表示改正，予以了结。"})
    assert lifted.status_code == 200, lifted.json()
    assert (lifted.json()["status"], lifted.json()["closed_on"]) == ("lifted", "2026-10-09")
    case = WarningCase.objects.get(pk=ref["id"])
    # 存入个人廉政档案 (第十四条): the measure with the first notice, its result with the lifting
    assert [(r.recorded_on, r.title) for r in case.target.integrity_records.order_by("id")] == [
        (D("2026-10-08"), f"诫勉（{case.number}）"), (D("2026-10-09"), f"诫勉结果：解除预警（{case.number}）")]

    # the restrictions outlive the case: all three on 10-12, the awards one to the term's end (01-15), the
    # promotion one alone after it, none after 03-30
    for day, scopes in (("2026-10-12", ["promotion", "excellent", "awards"]), ("2027-01-04", ["promotion", "awards"]),
                        ("2027-01-15", ["promotion", "awards"]), ("2027-01-16", ["promotion"]),
                        ("2027-03-30", ["promotion"]), ("2027-03-31", [])):
        clock(day)
        [row] = _post(org, "/api/restrictions", {"codes": ["MH0002"]}).json()
        assert [r["scope"] for r in row["restrictions"]] == scopes, day


def test_a_petition_clue_still_starts_a_jiemian(appraisal, login, cadres, clock):
    clock("2026-09-14")
    office = login("yjb")
    cadre = cadres["MH0003"]
    with_value = _post(office, "/api/clues", _payload(cadre, "2026-09-14", channel="petition", indicator_value=50))
    assert with_value.status_code == 422
    assert with_value.json()["errors"] == [{"loc": ["indicator_value"], "message":
                                            "来源渠道为“群众信访举报”的线索不填写指标值（本策略未对该渠道规定预警线）"}]
    clue = _post(office, "/api/clues", _payload(cadre, "2026-09-14", channel="petition", summary="反映其违规接受宴请"))
    assert clue.status_code == 201, clue.json()
    assert clue.json()["indicator_value"] is None
    page = office.get(f"/clues/{clue.json()['id']}/").content.decode()
    select = page[page.index(f'name="measure_{cadre.pk}"'):]
    assert 'selected>诫勉' not in select[:select.index("</select>")]  # no trigger: nothing proposed
    screened = _post(office, f"/api/clues/{clue.json()['id']}/screen", {
        "outcome": "handle", "reason": "反映具体", "verifiable": True,
        "proposals": [{"cadre_id": cadre.pk, "measure": "jiemian"}]})
    assert screened.status_code == 200, screened.json()
    assert [(c["measure"], c["status"]) for c in screened.json()["cases"]] == [("jiemian", "proposed")]
    other = _post(office, "/api/clues", _payload(cadres["MH0004"], "2026-09-14", channel="petition"))
    refused = _post(office, f"/api/clues/{other.json()['id']}/screen", {
        "outcome": "handle", "reason": "反映具体", "verifiable": True,
        "proposals": [{"cadre_id": cadres["MH0004"].pk, "measure": "admonition"}]})
    assert (refused.status_code, refused.json()["errors"]) == (
        422, [{"loc": ["proposals"], "message": "本地办法没有“admonition”这项措施"}])  # Shou's keys mean nothing here


def test_the_demo_loads_under_the_policy(db, use_policy):
    use_policy(POLICY)
    assert load_demo() is True
    appraisal = Clue.objects.get(channel="appraisal")
    assert appraisal.indicator_value == Decimal("58.5")  # one and a half below the line
    got = sorted((c.measure, c.status, [d.recorded_by.username for d in c.decisions.order_by("step")])
                 for c in WarningCase.objects.all())
    assert got == [("jiemian", "lifted", ["fushuji", "shuji"]), ("jiemian", "proposed", []),
                   ("jiemian", "responded", ["fushuji", "shuji"])]


def test_the_demo_under_shou_keeps_its_appraisal_clue_without_a_value(db):
    assert load_demo() is True
    assert Clue.objects.get(channel="appraisal").indicator_value is None


WRONG_FIRST = "诫勉的审批（第1步）须由市纪委分管副书记决定"
WRONG_SECOND = "诫勉的审批（第2步：纪委书记审批）须由市纪委书记决定"
