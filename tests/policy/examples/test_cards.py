"""The example policy cards.toml (某区《领导干部提醒卡、函询卡、警诫卡管理办法》, invented): three cards, lightest
first — 提醒卡 (a talk and nothing more), 函询卡 (a letter, a written answer within 7 days that counts only once the
unit's party-organisation principal has signed it, and one redo of 5 days for an unclear answer) and 警诫卡
(verified, requirements approved, a talk followed by a notice, no promotion until it is closed); the district's
own titles (区纪委书记 …) from [roles]. Every case is driven through the API, with the date of each request
fixed; the dates hit 端午 (19 June), 劳动节 (1–5 May) and 国庆 (1–7 October) 2026."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.dates import D
from tests.policy.examples.conftest import docx_paragraphs, talk
from yujing.cases.models import WarningCase
from yujing.demo import load_demo

POLICY = Path(__file__).resolve().parents[3] / "src" / "yujing" / "policy" / "policies" / "cards.toml"


@pytest.fixture
def cards(use_policy):
    return use_policy(POLICY)


@pytest.fixture
def example_policy(cards):
    return cards


@pytest.fixture
def screened(api, cadres):
    """screened("jingjie_ka", "MH0001", on=...) -> the id of the case a clue registered and screened that day
    by the warning office proposes."""

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


def responses(case_id):
    case = WarningCase.objects.get(pk=case_id)
    return [(r.received_on, r.due_on, r.sent_back_on, r.late) for r in case.responses.order_by("id")]


def generated(api, case_id, form, *, on):
    """Generate ``form`` of the case through the API (DOCX only) and download it: (slot label, 文号, the download's
    Content-Disposition, the document's paragraphs without the empty ones)."""
    slots = api("yjb", "post", f"/api/cases/{case_id}/documents", {"form": form, "subject": f"case:{case_id}",
                                                                    "pdf": False}, on=on)
    assert slots.status_code == 201, slots.json()
    slot = next(s for s in slots.json() if s["form"] == form)
    response = api("yjb", "get", f"/api/documents/{slot['versions'][0]['id']}/docx", on=on)
    assert response.status_code == 200
    name = response["Content-Disposition"]
    return slot["label"], slot["versions"][0]["number"], name, [p for p in docx_paragraphs(response) if p.strip()]


def test_the_policy_api_returns_the_three_cards(api):
    body = api("yjb", "get", "/api/policy", on="2026-04-01").json()
    assert (body["id"], body["name"], body["issuer"]) == ("example-cards", "领导干部提醒卡、函询卡、警诫卡管理办法", "某区")
    rules = body["rules"]
    assert rules["policy"]["measures"] == ["tixing_ka", "hanxun_ka", "jingjie_ka"]
    assert {k: v["label"] for k, v in rules["measures"].items()} == {
        "tixing_ka": "提醒卡", "hanxun_ka": "函询卡", "jingjie_ka": "警诫卡"}
    hanxun = rules["measures"]["hanxun_ka"]
    assert (hanxun["deliveries"], hanxun["letter_forms"], hanxun["response"]) == (
        ["letter"], ["inquiry_card"], {"period": "7d", "label": "书面说明", "article": "第九条"})
    assert rules["measures"]["jingjie_ka"]["letter_forms"] == ["warning_card"]
    # the cards' own letters, as the file states them (unset keys come from the generic layout)
    assert rules["letters"] == {
        "inquiry_card": {"title": "函询卡", "article": "第八条", "template": "letter", "content_label": "函询的问题",
                         "requirements": None, "numbered": True},
        "warning_card": {"title": "警诫卡", "article": "第十三条", "template": "letter", "content_label": "指出的问题",
                         "requirements": True, "numbered": True}}
    assert hanxun["redo"] == {"period": "5d", "label": "重新说明", "article": "第十条", "max": 1}
    assert hanxun["signoff"] == {"levels": [{"who": "unit_principal", "label": "所在单位党组织主要负责人"}],
                                 "article": "第九条"}
    assert rules["measures"]["tixing_ka"]["response"] is False
    jingjie = rules["measures"]["jingjie_ka"]
    assert (jingjie["requirements_approval"], jingjie["talk_followed_by_letter"]) == (True, True)
    assert rules["roles"]["secretary"] == "区纪委书记"


def test_tixing_ka_is_a_talk_and_nothing_more(api, act, screened, users):
    """提醒卡 (第七条): no verification, decided by the deputy secretary or the secretary, a talk, no answer."""
    case = screened("tixing_ka", "MH0003", on="2026-06-10")
    refused = api("changwei", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-06-12")
    assert (refused.status_code, refused.json()["message"]) == (403, "提醒卡的审批须由区纪委分管副书记、区纪委书记决定")
    body = act("fushuji", case, "approve", {"opinion": "同意发提醒卡"}, on="2026-06-12")
    # 7 days from Friday 12 June end on Friday 19 June, 端午: rolled to Monday 22 June (第五条)
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-06-12", "2026-06-22")
    assert decisions(case) == [(1, "approved", "deputy_secretary", "fushuji", D("2026-06-12"))]
    # a talk: (the issue_letter step still offered here is fixed on the x1-national / x2-orgdept branches)
    assert next(s["action"] for s in body["next_steps"]) == "plan_talk"
    body = talk(act, case, users["fushuji"], planned="2026-06-15", held="2026-06-18")
    assert (body["status"], body["implemented_on"], body["response_due"]) == ("responded", "2026-06-18", None)
    assert [s["action"] for s in body["next_steps"]] == ["write_register", "lift"]
    act("yjb", case, "write-register", {"content": "本人表示认真改正"}, on="2026-06-18")
    body = act("shuji", case, "lift", {"basis": "提醒谈话已进行"}, on="2026-06-22")
    assert (body["status"], body["closed_on"]) == ("lifted", "2026-06-22")


def test_hanxun_ka_answer_is_signed_off_and_sent_back_once(api, act, screened):
    """函询卡 (第八至十条): by letter, answered within 7 days of receipt (over 劳动节), the answer signed by the
    unit's party-organisation principal before it counts, an unclear answer sent back once with 5 days."""
    case = screened("hanxun_ka", "MH0002", on="2026-04-20")
    refused = api("fushuji", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-04-21")
    # the district's own title, from [roles]
    assert (refused.status_code, refused.json()["message"]) == (403, "函询卡的审批须由区纪委书记决定")
    body = act("shuji", case, "approve", {"opinion": "同意发函询卡"}, on="2026-04-21")
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-04-21", "2026-04-28")
    assert decisions(case) == [(1, "approved", "secretary", "shuji", D("2026-04-21"))]
    wrong = api("yjb", "post", f"/api/cases/{case}/issue-letter",
                {"kind": "inquiry_letter", "issued_on": "2026-04-22", "content": "请说明"}, on="2026-04-22")
    assert (wrong.status_code, wrong.json()["errors"]) == (422, [{"loc": ["kind"], "message": "本措施应使用函询卡"}])
    body = act("yjb", case, "issue-letter", {"kind": "inquiry_card", "issued_on": "2026-04-22",
                                             "content": "请说明收受礼金的情况\n请说明本人及亲属经商办企业的情况"},
               on="2026-04-22")
    assert [(s["action"], s["label"]) for s in body["next_steps"]] == [("record_receipt", "记录送达日期")]
    # the card's own letter: its title, its article beside the measure's (第八条 both: cited once), its content
    label, number, name, text = generated(api, case, "inquiry_card", on="2026-04-22")
    assert (label, number) == ("函询卡", "明纪预〔2026〕1号")
    assert name == "attachment; filename*=utf-8''" + quote("函询卡-明纪预〔2026〕1号-第1版.docx")
    assert text == [
        "明湖县领导干部廉洁自律预警机制工作办公室", "明纪预〔2026〕1号", "函询卡", "秦峰燕同志：",
        "经区纪委书记批准，根据《领导干部提醒卡、函询卡、警诫卡管理办法》第八条的规定，现向你发出函询卡。函询的问题如下：",
        "请说明收受礼金的情况", "请说明本人及亲属经商办企业的情况",
        "请你自收到本函询卡之日起7日内，将书面说明报送县预警办。",
        "联系人：方晓春    联系电话：—", "明湖县领导干部廉洁自律预警机制工作办公室", "2026年4月22日", "（印章）"]
    body = act("yjb", case, "record-receipt", {"received_on": "2026-04-24"}, on="2026-04-24")
    # 7 days from Friday 24 April end on 1 May, 劳动节 (1–5 May): rolled to Wednesday 6 May (第九条)
    assert (body["status"], body["response_start"], body["response_due"]) == ("awaiting_response", "2026-04-24",
                                                                              "2026-05-06")
    # received, but it counts only once the unit's principal has signed it
    body = act("yjb", case, "record-response", {"received_on": "2026-04-30", "content": "书面说明"}, on="2026-04-30")
    assert (body["status"], body["responded_on"], body["response_due"]) == ("awaiting_response", None, "2026-05-06")
    assert [(s["action"], s["label"], s["note"]) for s in body["next_steps"]] == [
        ("sign_off", "答复签署：所在单位党组织主要负责人", "签署后答复才算收到（第九条）")]
    assert "record_response" not in body["available_actions"]
    early = api("yjb", "post", f"/api/cases/{case}/sign-off", {"signer_name": "覃永峰", "signed_on": "2026-04-29"},
                on="2026-05-06")
    assert (early.status_code, early.json()["errors"]) == (
        422, [{"loc": ["signed_on"], "message": "日期不能早于收到答复的日期（2026年4月30日）"}])
    body = act("yjb", case, "sign-off", {"signer_name": "覃永峰", "signed_on": "2026-05-06"}, on="2026-05-06")
    # signed after the due date, but received on 30 April: on time
    assert (body["status"], body["responded_on"]) == ("responded", "2026-04-30")
    # unclear: sent back once, 5 days from Thursday 7 May
    body = act("yjb", case, "send-back", {"sent_back_on": "2026-05-07", "reason": "收受礼金情况说明不清"},
               on="2026-05-07")
    assert (body["status"], body["response_start"], body["response_due"], body["responded_on"]) == (
        "awaiting_response", "2026-05-07", "2026-05-12", None)
    assert [(s["action"], s["label"], s["due"], s["note"]) for s in body["next_steps"]] == [
        ("record_response", "收到重新说明", "2026-05-12", "退回后5日内（第十条）")]
    body = act("yjb", case, "record-response", {"received_on": "2026-05-11", "content": "重新说明"}, on="2026-05-11")
    assert (body["status"], body["responded_on"]) == ("awaiting_response", None)
    body = act("yjb", case, "sign-off", {"signer_name": "覃永峰", "signed_on": "2026-05-12"}, on="2026-05-12")
    assert (body["status"], body["responded_on"]) == ("responded", "2026-05-11")
    assert responses(case) == [(D("2026-04-30"), D("2026-05-06"), D("2026-05-07"), False),
                               (D("2026-05-11"), D("2026-05-12"), None, False)]
    assert "send_back" not in body["available_actions"]
    again = api("yjb", "post", f"/api/cases/{case}/send-back", {"sent_back_on": "2026-05-13", "reason": "仍不清楚"},
                on="2026-05-13")
    assert (again.status_code, again.json()["message"]) == (422, "已退回1次，不能再退回（第十条）")
    # the timeline: the decider by the district's title; the sign-off and the redo cite the card's articles
    # (the other rows still cite Shou's fixed articles: a gap noted for the lead)
    assert [(t["on"], t["title"], t["detail"]) for t in body["timeline"]] == [
        ("2026-04-20", "提出预警建议", "函询卡：群众反映的具体问题。"),
        ("2026-04-21", "审批：批准", "区纪委书记，韩立新。同意发函询卡"),
        ("2026-04-22", "发出函询卡", "请说明收受礼金的情况\n请说明本人及亲属经商办企业的情况"),
        ("2026-04-24", "送达", "函询卡送达预警对象"),
        ("2026-04-30", "收到书面答复或整改报告", "书面说明"),
        ("2026-05-06", "答复签署（所在单位党组织主要负责人）", "覃永峰"),
        ("2026-05-07", "退回重新说明", "方晓春：收受礼金情况说明不清"),
        ("2026-05-11", "收到书面答复或整改报告", "重新说明"),
        ("2026-05-12", "答复签署（所在单位党组织主要负责人）", "覃永峰")]
    assert [t["article"] for t in body["timeline"][5:7]] == ["第九条", "第十条"]
    act("yjb", case, "write-register", {"content": "重新说明属实，予以了结"}, on="2026-05-13")
    body = act("shuji", case, "lift", {"basis": "函询卡说明属实"}, on="2026-05-14")
    assert (body["status"], body["closed_on"]) == ("lifted", "2026-05-14")


def test_jingjie_ka_requirements_a_notice_and_no_promotion(api, act, screened, users):
    """警诫卡 (第十二至十四条): verified, decided by the secretary, requirements approved, the talk, the notice
    delivered, 15 days to report (over 国庆), no promotion from the notice's receipt until it is closed."""
    case = screened("jingjie_ka", "MH0001", on="2026-09-14", verifiable=True)
    waiting = api("shuji", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-14")
    assert (waiting.status_code, waiting.json()["message"]) == (422, "警诫卡对象须在了解、初核或调查后审定（第四条）")
    act("yjb", case, "verify", {"method": "preliminary", "done_on": "2026-09-15", "findings": "初核属实",
                                "conclusion": "true"}, on="2026-09-15")
    refused = api("fushuji", "post", f"/api/cases/{case}/approve", {"opinion": "同意"}, on="2026-09-15")
    assert (refused.status_code, refused.json()["message"]) == (403, "警诫卡的审批须由区纪委书记、区纪委常委决定")
    body = act("shuji", case, "approve", {"opinion": "同意发警诫卡"}, on="2026-09-15")
    assert (body["status"], body["approved_on"], body["implementation_due"]) == ("approved", "2026-09-15", "2026-09-22")
    assert decisions(case) == [(1, "approved", "secretary", "shuji", D("2026-09-15"))]
    body = talk(act, case, users["shuji"], planned="2026-09-16", held="2026-09-17")
    assert (body["status"], body["implemented_on"], body["response_due"]) == ("implemented", "2026-09-17", None)
    act("yjb", case, "write-register", {"content": "整改要求：退还礼金，作出书面检查"}, on="2026-09-17")
    not_yet = api("yjb", "post", f"/api/cases/{case}/issue-letter",
                  {"kind": "warning_card", "issued_on": "2026-09-17", "content": "警诫"}, on="2026-09-17")
    assert (not_yet.status_code, not_yet.json()["message"]) == (422, "整改要求须经领导批准后，才能发出警诫卡（第十二条）")
    act("fushuji", case, "approve-register", {}, on="2026-09-18")
    body = act("yjb", case, "issue-letter", {"kind": "warning_card", "issued_on": "2026-09-18",
                                             "content": "收受管理服务对象礼金2000元"}, on="2026-09-18")
    assert [(s["action"], s["label"]) for s in body["next_steps"]] == [("record_receipt", "记录送达日期")]
    body = act("yjb", case, "record-receipt", {"received_on": "2026-09-18"}, on="2026-09-18")
    # the card states the approved requirements and the measure's restriction (第十四条: no promotion)
    label, number, name, text = generated(api, case, "warning_card", on="2026-09-18")
    assert (label, number) == ("警诫卡", "明纪预〔2026〕1号")
    assert name == "attachment; filename*=utf-8''" + quote("警诫卡-明纪预〔2026〕1号-第1版.docx")
    assert text == [
        "明湖县领导干部廉洁自律预警机制工作办公室", "明纪预〔2026〕1号", "警诫卡", "郭庆艳同志：",
        "经区纪委书记批准，根据《领导干部提醒卡、函询卡、警诫卡管理办法》第十二条、第十三条的规定，现向你发出警诫卡。"
        "指出的问题如下：",
        "收受管理服务对象礼金2000元", "请你按照以下要求进行整改：", "整改要求：退还礼金，作出书面检查",
        "请你自收到本警诫卡之日起15日内，将整改情况书面报告报送县预警办。在整改期限内，你不得提拔使用。",
        "联系人：方晓春    联系电话：—", "明湖县领导干部廉洁自律预警机制工作办公室", "2026年9月18日", "（印章）"]
    # 15 days from Friday 18 September end on Saturday 3 October, 国庆 (1–7 October): rolled to Thursday 8 October
    assert (body["status"], body["response_start"], body["response_due"]) == ("awaiting_response", "2026-09-18",
                                                                              "2026-10-08")
    promotion = {"case_id": case, "measure": "jingjie_ka", "since": "2026-09-18", "until": "2026-10-08",
                 "condition": "整改期限至2026年10月8日，批准解除预警后解除", "scope": "promotion", "label": "不得提拔使用", "article": "第十四条"}
    restricted = api("shuji", "post", "/api/restrictions", {"codes": ["MH0001"]}, on="2026-10-01").json()
    assert [(r["code"], r["restricted"], r["restrictions"]) for r in restricted] == [("MH0001", True, [promotion])]
    body = act("yjb", case, "record-response", {"received_on": "2026-10-08", "content": "整改情况"}, on="2026-10-08")
    assert (body["status"], body["responded_on"]) == ("responded", "2026-10-08")
    assert "send_back" not in body["available_actions"]  # no redo for this card
    body = act("shuji", case, "lift", {"basis": "整改到位"}, on="2026-10-09")
    assert (body["status"], body["closed_on"]) == ("lifted", "2026-10-09")
    restricted = api("shuji", "post", "/api/restrictions", {"codes": ["MH0001"]}, on="2026-10-10").json()
    assert [(r["restricted"], r["restrictions"]) for r in restricted] == [(False, [])]


def test_the_demo_loads_under_the_policy(db, cards):
    """make run works under the file: the demo district and its cases follow its cards."""
    assert load_demo() is True
    # the heaviest card sent by letter (函询卡, waiting for its answer), the lightest (提醒卡, a talk) lifted,
    # the township's case proposed
    assert sorted(WarningCase.objects.values_list("target__code", "measure", "status")) == [
        ("MH0002", "hanxun_ka", "awaiting_response"), ("MH0007", "hanxun_ka", "proposed"),
        ("MH0049", "tixing_ka", "lifted")]
    waiting = WarningCase.objects.get(target__code="MH0002")
    assert (waiting.response_start is not None, waiting.responded_on, waiting.responses.count()) == (True, None, 0)
