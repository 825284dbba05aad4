"""Issue 18, hole 11: two generations of the same document at the same moment. The one that collides
with the other's number or version starts again and gets the next version under the same number; only
when it keeps colliding is it refused — 409 in the API, a notice on the page — and it writes nothing.
Before, the collision (an IntegrityError) was a 500."""

import threading

import pytest
from django.db import IntegrityError, connection, connections

from yujing.api.services import create_token
from yujing.audit.models import Event
from yujing.cases import services as cs
from yujing.documents import services
from yujing.documents.contexts import targets_for_case
from yujing.documents.models import Document, DocumentNumber

from .conftest import D


@pytest.fixture
def letter(users, open_case):
    """An inquiry case whose letter has been issued: its 询问函 is a numbered document."""
    case = open_case("inquiry", "MH0003", on="2026-06-01")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-06-01"), approve=True)
    cs.issue_letter(case=case, by=users["yjb"], today=D("2026-06-02"), kind="inquiry_letter",
                    issued_on=D("2026-06-02"), content="请说明情况")
    case.refresh_from_db()
    return case, next(t for t in targets_for_case(case) if t.form.key == "inquiry_letter")


def colliding(monkeypatch, times: int):
    """Make the first ``times`` attempts collide as the loser of a race does: its number insert is
    refused by the unique constraint, after it took a number from the counter."""
    real, calls = services._number, []

    def _number(target, issuer, today, by):
        number = real(target, issuer, today, by)
        if len(calls) < times:
            calls.append(1)
            raise IntegrityError('duplicate key value violates unique constraint "document_number_live"')
        return number

    monkeypatch.setattr(services, "_number", _number)
    return calls


def test_a_collision_is_retried_cleanly_over_the_api(client, users, letter, monkeypatch):
    case, target = letter
    colliding(monkeypatch, times=1)
    token = create_token(user=users["yjb"], name="集成", by=users["yjb"])[1]
    response = client.post(f"/api/cases/{case.pk}/documents", {"form": target.form.key, "subject": target.subject_key,
                                                               "pdf": False},
                           content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.content
    assert list(Document.objects.values_list("version", flat=True)) == [1]
    assert list(DocumentNumber.objects.values_list("seq", flat=True)) == [1]  # the collided one's number came back
    assert Event.objects.filter(action="documents.document.generated").count() == 1


def test_a_document_that_keeps_colliding_is_refused_with_409_and_nothing_written(client, users, letter,
                                                                                 monkeypatch, settings):
    case, target = letter
    colliding(monkeypatch, times=services.ATTEMPTS)
    token = create_token(user=users["yjb"], name="集成", by=users["yjb"])[1]
    response = client.post(f"/api/cases/{case.pk}/documents", {"form": target.form.key, "subject": target.subject_key,
                                                               "pdf": False},
                           content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 409
    assert response.json() == {"code": "conflict", "message": f"{target.label}正由他人同时生成，本次未生成，请刷新后重试"}
    assert not Document.objects.exists() and not DocumentNumber.objects.exists()
    assert not Event.objects.filter(action="documents.document.generated").exists()
    files = settings.MEDIA_ROOT
    assert not files.exists() or not [p for p in files.rglob("*") if p.is_file()]  # no orphaned DOCX


def test_the_page_says_so_in_chinese(login, letter, monkeypatch):
    case, target = letter
    colliding(monkeypatch, times=services.ATTEMPTS)
    client = login("yjb")
    response = client.post(f"/documents/case/{case.pk}/generate/{target.form.key}/{target.subject_key}/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"{target.label}正由他人同时生成，本次未生成，请刷新后重试" in page
    assert not Document.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_generations_of_one_document(users, open_case):
    case = open_case("inquiry", "MH0003", on="2026-06-01")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-06-01"), approve=True)
    cs.issue_letter(case=case, by=users["yjb"], today=D("2026-06-02"), kind="inquiry_letter",
                    issued_on=D("2026-06-02"), content="请说明情况")
    case.refresh_from_db()
    targets = [next(t for t in targets_for_case(case) if t.form.key == "inquiry_letter") for _ in range(2)]
    barrier = threading.Barrier(len(targets))
    errors: list[str] = []

    def issue(target):
        try:
            barrier.wait(timeout=20)
            services.generate(target, by=users["yjb"], today=D("2026-06-02"), pdf=False)
        except Exception as exc:  # the assertion below reports any failure
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(Document.objects.values_list("version", flat=True)) == [1, 2]
    assert DocumentNumber.objects.count() == 1 and DocumentNumber.objects.get().seq == 1
    assert set(Document.objects.values_list("number_id", flat=True)) == {DocumentNumber.objects.get().pk}
