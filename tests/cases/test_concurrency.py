"""Two approvers deciding the same case at the same moment: exactly one decision stands (第十七条)."""

import threading

import pytest
from django.db import connection, connections

from yujing.cases import services as cs
from yujing.cases.models import Decision, WarningCase

from .conftest import D

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_only_one_stands(users, open_case):
    case = open_case("inquiry", "MH0003", on="2026-06-01")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(username: str, approve: bool) -> None:
        try:
            barrier.wait(timeout=10)
            cs.decide(case=WarningCase.objects.get(pk=case.pk), by=users[username], today=D("2026-06-02"),
                      approve=approve, opinion="不同意" if not approve else "同意")
            outcomes.append(f"{username}: ok")
        except Exception as exc:
            outcomes.append(f"{username}: {type(exc).__name__}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=("shuji", True)),
               threading.Thread(target=decide, args=("fushuji", False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o.split(": ")[1] for o in outcomes) == ["WorkflowError", "ok"]
    assert Decision.objects.filter(case=case).count() == 1
    decision = Decision.objects.get(case=case)
    case.refresh_from_db()
    assert case.status == ("approved" if decision.outcome == "approved" else "rejected")
