"""Clue operations over the API: the same rules and scoping as the pages."""

import base64

import pytest
from django.utils import timezone

from yujing.api.services import create_token
from yujing.audit.models import Event
from yujing.cases.models import WarningCase
from yujing.clues.models import Clue

from .conftest import pdf_bytes


@pytest.fixture
def bearer(users):
    def _bearer(username):
        _, text = create_token(user=users[username], name=f"{username} 集成", by=users[username])
        return {"Authorization": f"Bearer {text}"}

    return _bearer


def clue_payload(cadre, **kw):
    payload = {
        "received_on": timezone.localdate().isoformat(), "channel": "petition", "summary": "信访件反映违规吃喝",
        "detail": "反映该干部多次接受宴请。", "concerned": [{"cadre_id": cadre.pk}],
        "attachments": [{"name": "来信.pdf", "content_base64": base64.b64encode(pdf_bytes()).decode()}],
    }
    payload.update(kw)
    return payload


def test_register_read_and_screen_over_the_api(client, bearer, cadres):
    headers = bearer("qs_jiwei")
    response = client.post("/api/clues", clue_payload(cadres["MH0007"]), content_type="application/json",
                           headers=headers)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("MH-XS") and body["status"] == "registered"
    assert body["attachments"][0]["kind"] == "pdf"
    assert body["concerned"][0]["cadre_id"] == cadres["MH0007"].pk
    listing = client.get("/api/clues?status=registered", headers=headers).json()
    assert listing["count"] == 1
    screened = client.post(f"/api/clues/{body['id']}/screen", {
        "outcome": "handle", "reason": "本级处理", "verifiable": False,
        "proposals": [{"cadre_id": cadres["MH0007"].pk, "measure": "inquiry"}],
    }, content_type="application/json", headers=headers)
    assert screened.status_code == 200, screened.json()
    assert screened.json()["status"] == "handle"
    assert screened.json()["cases"][0]["measure"] == "inquiry"
    download = client.get(f"/api/clues/{body['id']}/attachments/{body['attachments'][0]['id']}", headers=headers)
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()


def test_bad_input_is_422_with_fields_and_writes_nothing(client, bearer, cadres):
    headers = bearer("qs_jiwei")
    response = client.post("/api/clues", clue_payload(
        cadres["MH0007"], received_on="2099-01-01", summary="", concerned=[{"cadre_id": 999999}],
        attachments=[{"name": "病毒.pdf", "content_base64": base64.b64encode(b"MZ...").decode()}]),
        content_type="application/json", headers=headers)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert {"loc": ["received_on"], "message": "日期不能晚于今天"} in body["errors"]
    assert {"loc": ["concerned"], "message": "干部名册中没有编号为 999999 的干部"} in body["errors"]
    assert Clue.objects.count() == 0
    not_base64 = client.post("/api/clues", clue_payload(cadres["MH0007"], attachments=[
        {"name": "a.pdf", "content_base64": "***"}]), content_type="application/json", headers=headers)
    assert not_base64.status_code == 422 and "Base64" in not_base64.json()["message"]
    missing = client.post("/api/clues", {"channel": "petition"}, content_type="application/json", headers=headers)
    assert missing.status_code == 422 and missing.json()["code"] == "invalid"


def test_a_case_clue_cannot_be_screened_into_a_warning_over_the_api(client, bearer, register, cadres):
    clue = register(username="qs_jiwei", cadre="MH0007")
    headers = bearer("qs_jiwei")
    first = client.post(f"/api/clues/{clue.pk}/screen", {"outcome": "case_clue", "reason": "移送案件查办"},
                        content_type="application/json", headers=headers)
    assert first.status_code == 200 and first.json()["status"] == "case_clue"
    second = client.post(f"/api/clues/{clue.pk}/screen", {
        "outcome": "handle", "reason": "x", "verifiable": True,
        "proposals": [{"cadre_id": cadres["MH0007"].pk, "measure": "inquiry"}]},
        content_type="application/json", headers=headers)
    assert second.status_code == 422
    assert second.json()["message"] == "属于案件线索的不能实施预警（第十四条）"
    assert {"loc": ["outcome"], "message": "属于案件线索的不能实施预警（第十四条）"} in second.json()["errors"]
    assert WarningCase.objects.count() == 0


def test_only_report_up_is_accepted_for_a_cadre_managed_above_over_the_api(client, bearer, register, cadres, demo):
    clue = register(username="qs_jiwei", cadre="MH0001")
    township, office = bearer("qs_jiwei"), bearer("yjb")
    message = (f"{cadres['MH0001'].name}由中共明湖县委员会管理，属上级管辖的，应及时报告"
               "明湖县领导干部廉洁自律预警机制工作办公室（第十四条）")
    for outcome in ("no_action", "case_clue"):
        refused = client.post(f"/api/clues/{clue.pk}/screen", {"outcome": outcome, "reason": "镇纪委了结"},
                              content_type="application/json", headers=township)
        assert refused.status_code == 422
        assert refused.json()["message"] == message
        assert {"loc": ["outcome"], "message": message} in refused.json()["errors"]
    clue.refresh_from_db()
    assert (clue.status, clue.handling_unit) == ("registered", demo["MH-QS"])

    def screening_keys(headers):
        items = client.get("/api/my-work?limit=100", headers=headers).json()["items"]
        return [i["key"] for i in items if i["kind"] == "screening"]

    key = f"clue:{clue.pk}:screening"
    assert key in screening_keys(township)
    reported = client.post(f"/api/clues/{clue.pk}/screen", {"outcome": "report_up", "reason": "属县管干部"},
                           content_type="application/json", headers=township)
    assert reported.status_code == 202
    assert screening_keys(township) == []
    assert key in screening_keys(office)
    waiting = client.get(f"/api/clues?status=registered&unit_id={demo['MH-JW-YJB'].pk}", headers=office).json()
    assert [c["id"] for c in waiting["items"]] == [clue.pk]


def test_report_up_answers_202_and_the_clue_leaves_the_unit(client, bearer, register):
    clue = register(username="qs_jiwei", cadre="MH0001")
    headers = bearer("qs_jiwei")
    response = client.post(f"/api/clues/{clue.pk}/screen", {"outcome": "report_up", "reason": "县管干部"},
                           content_type="application/json", headers=headers)
    assert response.status_code == 202
    assert response.json() == {"code": "moved", "message": "线索已报送明湖县领导干部廉洁自律预警机制工作办公室"}
    assert client.get(f"/api/clues/{clue.pk}", headers=headers).status_code == 404


def test_liaison_transfers_over_the_api(client, bearer, cadres, register):
    headers = bearer("lianluo")
    response = client.post("/api/transfers", {
        "transferred_on": timezone.localdate().isoformat(), "summary": "审计发现违规报销", "detail": "审计报告第3页。",
        "concerned": [{"cadre_id": cadres["MH0001"].pk}], "contact_person": "莫欣", "contact_phone": "0550-1234567",
    }, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["progress"] == "已接收，正在筛选" and body["feedback"] == []
    assert set(body) == {"id", "number", "transferred_on", "summary", "concerned", "progress", "feedback"}
    assert client.get("/api/transfers", headers=headers).json()["count"] == 1
    assert client.get(f"/api/clues/{body['id']}", headers=headers).status_code == 403
    assert client.get("/api/clues", headers=headers).status_code == 403
    other = register(username="qs_jiwei", cadre="MH0007")
    assert client.get(f"/api/transfers/{other.pk}", headers=headers).status_code == 404
    assert client.post("/api/transfers", {}, content_type="application/json",
                       headers=bearer("qs_jiwei")).status_code == 422
    lookup = client.get(f"/api/cadres-lookup?q={cadres['MH0001'].name}", headers=headers).json()
    assert lookup[0]["id"] == cadres["MH0001"].pk and lookup[0]["open_clues"] == 0


def test_reveal_over_the_api_is_logged_and_limited(client, bearer, register):
    from yujing.clues.services import Reporter

    clue = register(username="qs_jiwei", cadre="MH0007", reporter=Reporter("实名丙", "1"))
    assert client.post(f"/api/clues/{clue.pk}/reporter", headers=bearer("qs_jiwei")).status_code == 403
    response = client.post(f"/api/clues/{clue.pk}/reporter", headers=bearer("shuji"))
    assert response.json() == {"name": "实名丙", "contact": "1", "id_number": ""}
    assert Event.objects.filter(action="clues.reporter.revealed").count() == 1


def test_api_list_runs_a_fixed_number_of_queries(client, bearer, register, django_assert_max_num_queries):
    for _ in range(20):
        register(username="yjb", cadre="MH0001")
    headers = bearer("yjb")
    with django_assert_max_num_queries(8):
        body = client.get("/api/clues?limit=20", headers=headers).json()
    assert len(body["items"]) == 20


def test_problem_categories(client, bearer):
    names = [c["name"] for c in client.get("/api/problem-categories", headers=bearer("yjb")).json()]
    assert names[0] == "违反中央八项规定精神" and "其他" in names
