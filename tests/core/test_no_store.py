"""Hole 11 of issue 18 (part): pages and API JSON with case data send ``Cache-Control: no-store`` (a
shared office computer's back button, a caching proxy)."""

from django.test import Client

from yujing.api.services import create_token


def no_store(response) -> bool:
    return {d.strip() for d in response.get("Cache-Control", "").split(",")} >= {"no-store", "private"}


def test_a_case_page_and_its_json_are_not_stored(login, open_case):
    case = open_case("inquiry", "MH0001", on="2026-03-02")
    client = login("yjb")
    for url in (f"/cases/{case.pk}/", "/cases/", f"/api/cases/{case.pk}", "/api/cases", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), (url, response.get("Cache-Control"))


def test_a_token_client_is_not_stored(users, open_case):
    case = open_case("inquiry", "MH0001", on="2026-03-02")
    _, token = create_token(user=users["yjb"], name="cache", by=users["yjb"])
    response = Client().get(f"/api/cases/{case.pk}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and no_store(response)
    refused = Client().get(f"/api/cases/{case.pk}")
    assert refused.status_code == 401 and no_store(refused)


def test_a_download_keeps_its_own_no_store(login, open_case):
    open_case("inquiry", "MH0001", on="2026-03-02")
    response = login("yjb").get("/documents/ledger.xlsx")
    assert response.status_code == 200 and no_store(response)
