"""Every workflow step over the API calls the same service: same rules, same errors, same scoping."""

import pytest
from django.utils import timezone

from yujing.api.services import create_token


@pytest.fixture
def bearer(users):
    def _bearer(username):
        _, text = create_token(user=users[username], name=username, by=users[username])
        return {"Authorization": f"Bearer {text}"}

    return _bearer


def test_correction_through_the_api(client, bearer, open_case, users):
    today = timezone.localdate().isoformat()
    case = open_case("correction", "MH0002", on=today)
    office, secretary = bearer("yjb"), bearer("shuji")

    def act(headers, name, payload=None):
        return client.post(f"/api/cases/{case.pk}/{name}", payload or {}, content_type="application/json",
                           headers=headers)

    detail = client.get(f"/api/cases/{case.pk}", headers=office).json()
    assert detail["status"] == "proposed" and detail["available_actions"] == ["verify", "withdraw"]
    assert [s["action"] for s in detail["next_steps"]] == ["verify", "approve"]
    out_of_order = act(office, "record-receipt", {"received_on": today})
    assert out_of_order.status_code == 422
    assert out_of_order.json()["message"] == "预警事项当前为“待审批”，不能记录送达"
    assert act(office, "approve").status_code == 403
    assert act(office, "verify", {"method": "investigation", "done_on": today, "findings": "调查属实",
                                  "conclusion": "true"}).status_code == 200
    approved = act(secretary, "approve", {"opinion": "同意"})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved" and approved.json()["implementation_due"]
    for headers, name, payload in [
        (office, "report-chief", {"reported_on": today}),
        (office, "write-register", {"content": "一个月内纠正"}),
        (secretary, "approve-register", {}),
        (office, "issue-letter", {"kind": "correction_notice", "issued_on": today, "content": "责令纠正"}),
        (office, "record-receipt", {"received_on": today}),
    ]:
        response = act(headers, name, payload)
        assert response.status_code == 200, (name, response.json())
    body = response.json()
    assert body["status"] == "awaiting_response" and body["response_start"] == today
    batch = client.post("/api/restrictions", {"codes": ["MH0002", "MH0003"]}, content_type="application/json",
                        headers=bearer("zuzhibu")).json()
    assert [(r["code"], r["restricted"]) for r in batch] == [("MH0002", True), ("MH0003", False)]
    assert batch[0]["restrictions"][0]["measure"] == "correction"
    assert client.post("/api/restrictions", {"codes": ["MH0002"]}, content_type="application/json",
                       headers=bearer("lianluo")).status_code == 403


def test_case_api_is_scoped(client, bearer, open_case):
    today = timezone.localdate().isoformat()
    county = open_case("inquiry", "MH0003", on=today)
    unit = open_case("inquiry", "MH0007", on=today)
    assert client.get("/api/cases", headers=bearer("yjb")).json()["count"] == 2
    assert [c["id"] for c in client.get("/api/cases", headers=bearer("qs_jiwei")).json()["items"]] == [unit.pk]
    response = client.get(f"/api/cases/{county.pk}", headers=bearer("qs_jiwei"))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.post(f"/api/cases/{county.pk}/verify", {"method": "inquiry", "done_on": today, "findings": "x",
                                                          "conclusion": "true"}, content_type="application/json",
                       headers=bearer("qs_jiwei")).status_code == 404


def test_approving_a_warning_on_a_case_clue_is_refused_over_the_api(client, bearer, open_case, users):
    from yujing.cases import services as cs
    from yujing.clues.models import Clue

    today = timezone.localdate()
    case = open_case("admonition", "MH0001", on=today.isoformat())
    cs.record_verification(case=case, by=users["yjb"], today=today, method="preliminary", done_on=today,
                           findings="初核属实", conclusion="true")
    Clue.objects.filter(cases=case).update(status=Clue.Status.CASE_CLUE)  # a state no service makes: forged
    response = client.post(f"/api/cases/{case.pk}/approve", {"opinion": "同意"}, content_type="application/json",
                           headers=bearer("shuji"))
    assert response.status_code == 422
    assert response.json()["message"] == "属于案件线索的不能实施预警（第十四条）"
    case.refresh_from_db()
    assert (case.status, case.approved_on) == ("proposed", None)
