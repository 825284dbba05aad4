"""Issue 18 review (fix B, item 3): idempotency keys on a long path, with another query string, while a
claim comes and goes, and across two API tokens of one user."""

from django.db import IntegrityError
from django.test import Client

from tests.clues.test_api import clue_payload
from yujing.api.services import create_token
from yujing.clues.models import Clue
from yujing.core import idempotency
from yujing.core.models import IdempotencyKey
from yujing.orgs.models import RoleAssignment


def bearer(text, key):
    return {"Authorization": f"Bearer {text}", "Idempotency-Key": key}


def test_a_path_longer_than_the_column_is_claimed_by_its_digest(users):
    path = "/api/" + "x" * 300
    claim = idempotency.begin(user=users["yjb"], key="long-1", path=path, fingerprint="f")
    row = IdempotencyKey.objects.get(pk=claim.row.pk)
    assert len(row.path) <= 255 and row.path.startswith("sha256:")
    from django.http import HttpResponse

    idempotency.finish(claim, HttpResponse("ok", status=201))
    again = idempotency.begin(user=users["yjb"], key="long-1", path=path, fingerprint="f")
    assert again.replay is not None and again.replay.pk == row.pk
    # another long path with the same key is another claim
    other = idempotency.begin(user=users["yjb"], key="long-1", path=path + "y", fingerprint="f")
    assert other.row is not None and other.row.pk != row.pk


def test_a_long_api_path_with_a_key_is_answered_not_a_server_error(users):
    """On PostgreSQL the 300-character path overflowed IdempotencyKey.path: a 500 (DataError)."""
    _, text = create_token(user=users["yjb"], name="集成", by=users["yjb"])
    response = Client().post("/api/" + "x" * 300, {}, content_type="application/json",
                             headers=bearer(text, "long-2"))
    assert response.status_code == 404
    assert not IdempotencyKey.objects.exists()


def test_the_same_key_with_another_query_string_is_refused_not_replayed(users, cadres):
    _, text = create_token(user=users["yjb"], name="集成", by=users["yjb"])
    payload = clue_payload(cadres["MH0001"])
    first = Client().post("/api/clues?source=a", payload, content_type="application/json",
                          headers=bearer(text, "query-1"))
    assert first.status_code == 201
    other = Client().post("/api/clues?source=b", payload, content_type="application/json",
                          headers=bearer(text, "query-1"))
    assert (other.status_code, other.json()) == (422, {"code": "idempotency_mismatch",
                                                        "message": idempotency.MISMATCH})
    assert Clue.objects.count() == 1
    again = Client().post("/api/clues?source=a", payload, content_type="application/json",
                          headers=bearer(text, "query-1"))
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"


def test_a_claim_given_back_again_and_again_still_ends_at_the_deadline(users, monkeypatch):
    """The claim fails (a rival holds it) and the rival's row is gone by the time we look, over and over:
    the wait ends with BUSY at the deadline instead of looping for ever."""
    calls = []

    def rival_claims(**kwargs):
        calls.append(1)
        if len(calls) > 50:
            raise RuntimeError("begin() loops past its deadline")
        raise IntegrityError("claimed by a rival")

    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.0)
    monkeypatch.setattr(IdempotencyKey.objects, "create", rival_claims)
    claim = idempotency.begin(user=users["yjb"], key="gone-1", path="/api/clues", fingerprint="f")
    assert claim.refusal == idempotency.BUSY
    assert len(calls) == 1


def test_a_narrow_token_does_not_get_a_broad_tokens_result(users, demo, cadres):
    """One person, two tokens: the county office's and a township's. The township token, sending the key
    the county token used, is handled as itself — not handed the county's answer."""
    user = users["qs_jiwei"]
    RoleAssignment.objects.create(user=user, unit=demo["MH-JW-YJB"], role="warning_office")
    _, broad = create_token(user=user, name="县", role="warning_office", unit=demo["MH-JW-YJB"], by=user)
    _, narrow = create_token(user=user, name="乡镇", role="discipline_body", unit=demo["MH-QS"], by=user)
    payload = clue_payload(cadres["MH0007"])
    first = Client().post("/api/clues", payload, content_type="application/json", headers=bearer(broad, "k-1"))
    assert first.status_code == 201
    second = Client().post("/api/clues", payload, content_type="application/json", headers=bearer(narrow, "k-1"))
    assert "Idempotent-Replayed" not in second
    assert second.status_code == 201 and second.json()["id"] != first.json()["id"]
    assert Clue.objects.count() == 2
    assert set(IdempotencyKey.objects.values_list("scope", flat=True)) == {
        f"token:{pk}" for pk in user.api_tokens.values_list("pk", flat=True)}
