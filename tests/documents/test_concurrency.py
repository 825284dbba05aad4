"""Many documents issued at the same moment: numbers without gaps or duplicates (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from yujing.cases import services as cs
from yujing.documents.contexts import targets_for_case
from yujing.documents.models import DocumentNumber
from yujing.documents.services import generate

from .conftest import D

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
CODES = ["MH0003", "MH0004", "MH0005", "MH0006", "MH0012", "MH0013", "MH0014", "MH0015"]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_issuance_gives_consecutive_unique_numbers(users, open_case):
    targets = []
    for code in CODES:
        case = open_case("inquiry", code, on="2026-06-01")
        cs.decide(case=case, by=users["fushuji"], today=D("2026-06-01"), approve=True)
        cs.issue_letter(case=case, by=users["yjb"], today=D("2026-06-02"), kind="inquiry_letter",
                        issued_on=D("2026-06-02"), content="请说明情况")
        case.refresh_from_db()
        targets.append(next(t for t in targets_for_case(case) if t.form.key == "inquiry_letter"))
    barrier = threading.Barrier(len(targets))
    errors: list[str] = []

    def issue(target):
        try:
            barrier.wait(timeout=20)
            generate(target, by=users["yjb"], today=D("2026-06-02"), pdf=False)
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
    assert sorted(DocumentNumber.objects.values_list("seq", flat=True)) == list(range(1, len(CODES) + 1))
    assert DocumentNumber.objects.values("text").distinct().count() == len(CODES)
