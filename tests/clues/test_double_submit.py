"""Issue 18, hole 10: a double submit writes once. A form carries a key issued with it; an API POST an
``Idempotency-Key``. A repeat returns the first result and writes nothing; the same key with another body
is refused (422); a repeat while the first is still being handled is told to retry (409)."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from yujing.api.services import create_token
from yujing.audit.models import Event
from yujing.clues import services
from yujing.clues.models import Clue, ClueFeedback
from yujing.clues.services import Outcome
from yujing.core import idempotency
from yujing.core.models import IdempotencyKey

from .conftest import TODAY
from .test_api import clue_payload


def issued_key(page: str) -> str:
    match = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page)
    assert match, "the form carries no idempotency key"
    return match.group(1)


def clue_form(cadres, key, **kw):
    return {"received_on": timezone.localdate().isoformat(), "channel": "petition", "summary": "反映其经商办企业",
            "detail": "群众反映该所长在辖区内入股经营砂石场。", "cadre_ids": [cadres["MH0007"].pk], "anonymous": "on",
            "idempotency_key": key, **kw}


def test_the_clue_register_page_writes_once_on_a_double_submit(login, cadres):
    client = login("qs_jiwei")
    key = issued_key(client.get("/clues/new/").content.decode())
    first = client.post("/clues/new/", clue_form(cadres, key))
    again = client.post("/clues/new/", clue_form(cadres, key))
    clue = Clue.objects.get()
    assert (first.status_code, first["Location"]) == (302, f"/clues/{clue.pk}/")
    assert (again.status_code, again["Location"], again["Idempotent-Replayed"]) == (302, f"/clues/{clue.pk}/", "true")
    assert Event.objects.filter(action="clues.clue.registered").count() == 1
    page = client.get(again["Location"]).content.decode()
    assert "此表单已经提交过，未重复保存；以下是第一次提交的结果。" in page
    # the same form sent with other content: refused, nothing written
    other = client.post("/clues/new/", clue_form(cadres, key, summary="另一件事"))
    assert (other.status_code, other.content.decode()) == (422, idempotency.FORM_MISMATCH)
    assert Clue.objects.count() == 1
    # a new form (a new key) registers a new clue
    fresh = issued_key(client.get("/clues/new/").content.decode())
    assert fresh != key
    assert client.post("/clues/new/", clue_form(cadres, fresh)).status_code == 302
    assert Clue.objects.count() == 2


def test_a_refused_form_gives_its_key_back(login, cadres):
    client = login("qs_jiwei")
    key = issued_key(client.get("/clues/new/").content.decode())
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    refused = client.post("/clues/new/", clue_form(cadres, key, received_on=tomorrow))
    assert refused.status_code == 400
    assert issued_key(refused.content.decode()) == key  # the form shown again keeps its key
    assert not IdempotencyKey.objects.exists()
    corrected = client.post("/clues/new/", clue_form(cadres, key))
    assert corrected.status_code == 302 and Clue.objects.count() == 1


def test_a_repeat_while_the_first_is_handled_is_told_to_retry(login, cadres, users, monkeypatch):
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.3)
    client = login("qs_jiwei")
    key = issued_key(client.get("/clues/new/").content.decode())
    data = clue_form(cadres, key)
    from django.test import RequestFactory

    fingerprint = idempotency.form_fingerprint(RequestFactory().post("/clues/new/", data))
    IdempotencyKey.objects.create(user=users["qs_jiwei"], key=key, path="/clues/new/", fingerprint=fingerprint)
    busy = client.post("/clues/new/", data)
    assert (busy.status_code, busy.content.decode()) == (409, idempotency.BUSY)
    assert not Clue.objects.exists()


def test_two_claims_of_one_key_cannot_both_be_written(users):
    IdempotencyKey.objects.create(user=users["yjb"], key="k1", path="/clues/new/", fingerprint="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotencyKey.objects.create(user=users["yjb"], key="k1", path="/clues/new/", fingerprint="a")
    # another user, or another path, has keys of its own
    IdempotencyKey.objects.create(user=users["qs_jiwei"], key="k1", path="/clues/new/", fingerprint="a")
    IdempotencyKey.objects.create(user=users["yjb"], key="k1", path="/clues/transfers/new/", fingerprint="a")


def test_the_transfer_page_writes_once_on_a_double_submit(login, cadres):
    client = login("lianluo")
    key = issued_key(client.get("/clues/transfers/new/").content.decode())
    data = {"transferred_on": timezone.localdate().isoformat(), "cadre_ids": [cadres["MH0007"].pk],
            "summary": "审计发现违规发放补贴", "detail": "2025年度经济责任审计发现。", "found_how": "经济责任审计",
            "contact_person": "莫欣", "contact_phone": "0550-1234567", "idempotency_key": key}
    first, again = client.post("/clues/transfers/new/", data), client.post("/clues/transfers/new/", data)
    clue = Clue.objects.get()
    assert first["Location"] == again["Location"] == f"/clues/transfers/{clue.pk}/"
    assert Event.objects.filter(action="clues.transfer.filed").count() == 1


def test_feedback_is_sent_once_on_a_double_submit(login, register):
    clue = register(username="qs_jiwei", cadre="MH0007")
    services.screen_clue(clue=clue, by=clue.registered_by, today=TODAY, outcome=Outcome.NO_ACTION,
                         reason="不实")
    client = login("qs_jiwei")
    page = client.get(f"/clues/{clue.pk}/").content.decode()
    key = issued_key(page.split(f'action="/clues/{clue.pk}/feedback/"')[1])
    data = {"content": "经核查，反映问题不实，已了结。", "idempotency_key": key}
    first, again = client.post(f"/clues/{clue.pk}/feedback/", data), client.post(f"/clues/{clue.pk}/feedback/", data)
    assert first.status_code == again.status_code == 302
    assert ClueFeedback.objects.filter(clue=clue).count() == 1
    assert Event.objects.filter(action="clues.feedback.sent").count() == 1


@pytest.fixture
def api(users):
    def _api(username):
        return {"Authorization": f"Bearer {create_token(user=users[username], name='集成', by=users[username])[1]}"}

    return _api


def test_the_api_returns_the_first_result_for_a_repeated_key(client, api, cadres, users):
    headers = {**api("yjb"), "Idempotency-Key": "order-2026-0001"}
    payload = clue_payload(cadres["MH0001"])
    first = client.post("/api/clues", payload, content_type="application/json", headers=headers)
    again = client.post("/api/clues", payload, content_type="application/json", headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Clue.objects.count() == 1
    assert Event.objects.filter(action="clues.clue.registered").count() == 1
    # the result is kept encrypted: no clue content in the clear
    stored = IdempotencyKey.objects.get()
    assert stored.status == 201 and "信访件反映违规吃喝" not in stored.content
    # the same key with another body: 422, nothing written
    other = client.post("/api/clues", clue_payload(cadres["MH0001"], summary="另一件事"),
                        content_type="application/json", headers=headers)
    assert other.status_code == 422
    assert other.json() == {"code": "idempotency_mismatch", "message": idempotency.MISMATCH}
    assert Clue.objects.count() == 1
    # without a key every POST writes, as before
    client.post("/api/clues", payload, content_type="application/json", headers=api("yjb"))
    assert Clue.objects.count() == 2


def test_keys_are_per_user_and_checked(client, api, cadres):
    payload = clue_payload(cadres["MH0007"])
    for username in ("qs_jiwei", "yjb"):
        response = client.post("/api/clues", payload, content_type="application/json",
                               headers={**api(username), "Idempotency-Key": "same-key"})
        assert response.status_code == 201, response.content
    assert Clue.objects.count() == 2
    bad = client.post("/api/clues", payload, content_type="application/json",
                      headers={**api("yjb"), "Idempotency-Key": "不合法的键"})
    assert (bad.status_code, bad.json()) == (422, {"code": "invalid", "message": idempotency.BAD_KEY})
    assert Clue.objects.count() == 2


def test_a_refused_api_post_gives_its_key_back(client, api, cadres):
    headers = {**api("yjb"), "Idempotency-Key": "retry-me"}
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    refused = client.post("/api/clues", clue_payload(cadres["MH0001"], received_on=tomorrow),
                          content_type="application/json", headers=headers)
    assert refused.status_code == 422 and not IdempotencyKey.objects.exists()
    assert client.post("/api/clues", clue_payload(cadres["MH0001"]), content_type="application/json",
                       headers=headers).status_code == 201


def test_the_api_transfer_and_feedback_write_once(client, api, cadres, register):
    headers = {**api("lianluo"), "Idempotency-Key": "transfer-1"}
    payload = {"transferred_on": timezone.localdate().isoformat(), "summary": "移送", "detail": "审计发现。",
               "concerned": [{"cadre_id": cadres["MH0007"].pk}], "contact_person": "莫欣", "contact_phone": "1"}
    first = client.post("/api/transfers", payload, content_type="application/json", headers=headers)
    again = client.post("/api/transfers", payload, content_type="application/json", headers=headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Event.objects.filter(action="clues.transfer.filed").count() == 1
    clue = register(username="qs_jiwei", cadre="MH0007")
    services.screen_clue(clue=clue, by=clue.registered_by, today=TODAY, outcome=Outcome.NO_ACTION,
                         reason="不实")
    headers = {**api("qs_jiwei"), "Idempotency-Key": "feedback-1"}
    for _ in range(2):
        response = client.post(f"/api/clues/{clue.pk}/feedback", {"content": "已了结。"},
                               content_type="application/json", headers=headers)
        assert response.status_code == 200
    assert ClueFeedback.objects.filter(clue=clue).count() == 1


def test_reading_posts_are_not_replayed(client, api, register):
    """Revealing a reporter is a logged read: every request is logged, a key or not."""
    from yujing.clues.services import Reporter

    clue = register(username="yjb", cadre="MH0001", reporter=Reporter("实名甲", "139", ""))
    headers = {**api("yjb"), "Idempotency-Key": "reveal-1"}
    for _ in range(2):
        assert client.post(f"/api/clues/{clue.pk}/reporter", headers=headers).status_code == 200
    assert Event.objects.filter(action="clues.reporter.revealed").count() == 2
    assert not IdempotencyKey.objects.exists()


def test_expired_keys_are_forgotten(login, cadres, users):
    from datetime import timedelta

    client = login("qs_jiwei")
    key = issued_key(client.get("/clues/new/").content.decode())
    assert client.post("/clues/new/", clue_form(cadres, key)).status_code == 302
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=idempotency.hours() + 1))
    # a day later the same key is a new submission, and the old result is gone
    assert client.post("/clues/new/", clue_form(cadres, key, summary="次日")).status_code == 302
    assert Clue.objects.count() == 2 and IdempotencyKey.objects.count() == 1
