"""The operations that complete the API: roster import, quarterly reports, 密级, voiding a number, my work
and the deadline board, notices, reports to the chief, messages; sorting and paging of lists."""

import base64
import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.cadres.test_roster_import import row, xlsx
from tests.dates import D
from yujing.api.services import create_token
from yujing.audit.models import Event
from yujing.cadres.models import Cadre
from yujing.cases import services as cs
from yujing.oversight import figures
from yujing.oversight.models import Notification, QuarterlyReport


@pytest.fixture
def api(users):
    """api("yjb") -> a client that sends that user's token with every request."""

    def _api(username):
        _, text = create_token(user=users[username], name=f"{username} 对接", by=users[username])
        client = Client(headers={"Authorization": f"Bearer {text}"})
        client.post_json = lambda url, body: client.post(url, json.dumps(body), content_type="application/json")
        return client

    return _api


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2026-11-10"))
    return D("2026-11-10")


def test_roster_import_writes_all_or_nothing(api, demo):
    hr = api("zuzhibu")
    good = base64.b64encode(xlsx([row(), row(code="MH9002", name="测试乙")])).decode()
    response = hr.post_json("/api/roster-imports", {"name": "名册.xlsx", "content_base64": good})
    assert response.status_code == 200
    assert response.json() == {"total": 2, "created": 2, "updated": 0, "unchanged": 0}
    assert Cadre.objects.filter(code__in=["MH9001", "MH9002"]).count() == 2

    bad = base64.b64encode(xlsx([row(code="MH9003"), row(code="MH9004", rank="大官")])).decode()
    refused = hr.post_json("/api/roster-imports", {"name": "名册.xlsx", "content_base64": bad})
    assert refused.status_code == 422
    body = refused.json()
    assert (body["code"], body["message"]) == ("invalid", "名册有 1 处问题，未导入任何一行")
    assert body["errors"][0]["loc"] == ["第3行", "职级"]
    assert not Cadre.objects.filter(code="MH9003").exists()
    assert hr.post_json("/api/roster-imports", {"content_base64": "不是base64"}).json()["errors"] == [
        {"loc": ["content_base64"], "message": "文件内容不是有效的 Base64"}]
    assert api("yjb").post_json("/api/roster-imports", {"content_base64": good}).status_code == 403


def test_quarterly_report_read_submit_and_send_back(api, demo, open_case, today):
    open_case("admonition", "MH0007", on="2026-08-03")  # a township clue and case in Q3
    unit = demo["MH-QS"]
    township, office = api("qs_jiwei"), api("yjb")
    url = f"/api/reports/{unit.pk}/2026/3"
    live = township.get(url).json()
    expected = figures.compute(prefix=unit.path, year=2026, quarter=3)
    assert {f["key"]: f["value"] for f in live["figures"]} == dict(expected)
    assert expected["clues"] == 1 and expected["cases.admonition"] == 1
    assert (live["status"], live["frozen"], live["due_on"], live["can_submit"]) == ("not_submitted", False,
                                                                                    "2026-10-10", True)
    listing = office.get("/api/reports?year=2026&quarter=3&limit=100").json()
    assert {r["unit_id"]: r["status"] for r in listing["items"]}[unit.pk] == "not_submitted"

    submitted = township.post_json(f"{url}/submit", {"remarks": "无"}).json()
    assert (submitted["status"], submitted["frozen"], submitted["late"]) == ("submitted", True, True)
    again = township.post_json(f"{url}/submit", {})
    assert (again.status_code, again.json()["message"]) == (422, "本季度报表已报送；如需更正，请预警办退回后重新报送")
    assert township.post_json(f"{url}/return", {"reason": "x"}).status_code == 403
    back = office.post_json(f"{url}/return", {"reason": "案件数有误"}).json()
    assert (back["status"], back["return_reason"]) == ("returned", "案件数有误")
    assert QuarterlyReport.objects.get(unit=unit).status == "returned"
    assert township.get(f"/api/reports/{unit.pk}/2026/5").status_code == 422
    assert api("lianluo").get(url).status_code == 404  # not in a liaison's reach at all


def test_secrecy_and_void_through_the_api(api, users, open_case, today):
    from yujing.documents.contexts import targets_for_case
    from yujing.documents.services import generate

    case = open_case("inquiry", "MH0008", on="2026-11-03")
    clue = case.clues.get()
    township = api("qs_jiwei")
    refused = township.post_json(f"/api/clues/{clue.pk}/secrecy", {"level": "secret", "reason": "涉及重要情况"})
    assert refused.status_code == 422  # a township body may open 秘密 at most
    ok = township.post_json(f"/api/clues/{clue.pk}/secrecy", {"level": "confidential", "reason": "涉及重要情况"})
    assert (ok.status_code, ok.json()["secrecy"]) == (200, "confidential")
    assert township.post_json(f"/api/cases/{case.pk}/secrecy",
                              {"level": "confidential", "reason": "同线索"}).json()["secrecy"] == "confidential"

    cs.record_verification(case=case, by=users["qs_jiwei"], today=D("2026-11-03"), method="inquiry",
                           done_on=D("2026-11-03"), findings="x", conclusion="true")
    cs.decide(case=case, by=users["qs_dangwei"], today=D("2026-11-03"), approve=True)
    cs.issue_letter(case=case, by=users["qs_jiwei"], today=D("2026-11-04"), kind="inquiry_letter",
                    issued_on=D("2026-11-04"), content="请说明")
    letter = next(t for t in targets_for_case(case) if t.form.key == "inquiry_letter")
    document = generate(letter, by=users["qs_jiwei"], today=D("2026-11-04"), pdf=False)
    voided = township.post_json(f"/api/document-numbers/{document.number_id}/void", {"reason": "送达前发现错字"})
    assert voided.status_code == 200
    assert (voided.json()["text"], voided.json()["void_reason"]) == (document.number.text, "送达前发现错字")
    twice = township.post_json(f"/api/document-numbers/{document.number_id}/void", {"reason": "再次"})
    assert (twice.status_code, twice.json()["message"]) == (422, "该文号已作废")


def test_my_work_board_notices_and_messages(api, users, open_case, today):
    case = open_case("admonition", "MH0007", on="2026-11-02")
    # not verified yet (第十六条): the discipline body's to verify, not yet the party committee's to approve
    assert api("qs_dangwei").get("/api/my-work").json()["items"] == []
    verify = next(i for i in api("qs_jiwei").get("/api/my-work").json()["items"] if i["key"].startswith(f"case:{case.pk}:"))
    assert (verify["kind"], verify["label"], verify["article"]) == ("verification", "待核查", "第十六条")
    cs.record_verification(case=case, by=users["qs_jiwei"], today=today, method="preliminary", done_on=today,
                           findings="初核属实", conclusion="true")
    work = api("qs_dangwei").get("/api/my-work").json()
    decide = next(i for i in work["items"] if i["key"].startswith(f"case:{case.pk}:"))
    assert (decide["kind"], decide["unit_name"]) == ("approval", "明湖县青石镇")
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned

    late = clue_services.register_clue(by=users["yjb"], today=D("2026-10-20"), received_on=D("2026-10-20"),
                                       channel="petition", summary="反映问题", detail="x",
                                       concerned=[Concerned(cadre_id=case.target_id)])
    board = api("yjb").get("/api/deadlines").json()
    assert (board["count"], board["items"][0]["unit_name"], board["items"][0]["counts"]) == (
        1, "明湖县领导干部廉洁自律预警机制工作办公室", {"late": 1})
    item = board["items"][0]["items"][0]
    # received 10-20, screened within 15 days (第十四条): due 11-04, six days late on 11-10
    assert (item["key"], item["due"], item["grade"], item["days_left"], item["article"]) == (
        f"clue:{late.pk}:screening", "2026-11-04", "late", -6, "第十四条")
    assert api("lianluo").get("/api/deadlines").status_code == 403

    mine = Notification.objects.create(user=users["yjb"], day=D("2026-11-10"), subject="今日提醒", body="x")
    theirs = Notification.objects.create(user=users["shuji"], day=D("2026-11-10"), subject="今日提醒", body="x")
    office = api("yjb")
    assert [n["id"] for n in office.get("/api/notifications").json()["items"]] == [mine.pk]
    read = office.post(f"/api/notifications/{mine.pk}/read").json()
    assert read["read_at"] is not None
    assert office.post(f"/api/notifications/{theirs.pk}/read").status_code == 404
    assert api("zuzhibu").get("/api/notices").json() == {"items": [], "count": 0}
    assert api("xianwei").get("/api/chief-reports").json() == {"items": [], "count": 0}


def test_lists_sort_by_a_named_column_and_refuse_others(api, demo):
    office = api("yjb")
    codes = [c["code"] for c in office.get("/api/cadres?ordering=-code&limit=5").json()["items"]]
    assert codes == list(Cadre.objects.order_by("-code").values_list("code", flat=True)[:5])
    page2 = [c["code"] for c in office.get("/api/cadres?ordering=-code&limit=5&offset=5").json()["items"]]
    assert page2 == list(Cadre.objects.order_by("-code").values_list("code", flat=True)[5:10])
    bad = office.get("/api/cadres?ordering=password")
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid")
    assert office.get("/api/cases?ordering=-response_due").status_code == 200
    assert office.get("/api/clues?ordering=screening_due").status_code == 200


def test_audit_events_for_api_writes_carry_the_caller_and_address(api, users, open_case, today):
    case = open_case("inquiry", "MH0008", on="2026-11-03")
    api("qs_jiwei").post_json(f"/api/cases/{case.pk}/secrecy", {"level": "confidential", "reason": "同线索"})
    event = Event.objects.get(action="cases.case.secrecy_set")
    assert (event.actor_id, event.object_id, event.ip) == (users["qs_jiwei"].pk, str(case.pk), "127.0.0.1")
