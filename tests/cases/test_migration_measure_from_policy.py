"""cases 0012: a case's measure is any key of the right form, no longer one of Shou's three; the way back
restores the old rule and refuses, in one line, while a case has another key."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0011_decision_step")]
AFTER = [("cases", "0012_measure_from_policy")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps.get_model("cases", "WarningCase")


@pytest.mark.django_db(transaction=True)
def test_forwards_any_key_backwards_shou_keys_only(open_case):
    case = open_case("correction", "MH0002", on="2026-03-02")

    old = _migrate(BEFORE)
    assert old.objects.get(pk=case.pk).measure == "correction"  # Shou's cases go back unchanged
    with pytest.raises(IntegrityError), transaction.atomic():
        old.objects.filter(pk=case.pk).update(measure="jiucuo")

    new = _migrate(AFTER)
    new.objects.filter(pk=case.pk).update(measure="jiucuo")
    assert new.objects.get(pk=case.pk).measure == "jiucuo"
    for garbage in ("JiuCuo", "9jiucuo", "jiu-cuo", "纠错", "", "jiucuo\n"):
        with pytest.raises(IntegrityError), transaction.atomic():
            new.objects.filter(pk=case.pk).update(measure=garbage)

    with pytest.raises(RuntimeError, match=r"^不能回退 cases 0012：有预警事项使用寿县三项措施以外的措施 jiucuo$"):
        _migrate(BEFORE)
    new = MigrationExecutor(connection).loader.project_state(AFTER).apps.get_model("cases", "WarningCase")
    assert new.objects.get(pk=case.pk).measure == "jiucuo"  # refused before anything changed
    new.objects.filter(pk=case.pk).update(measure="correction")
    assert _migrate(BEFORE).objects.get(pk=case.pk).measure == "correction"


@pytest.fixture(autouse=True)
def _latest_schema_after():
    """Leave the test database at the newest migrations, whatever the test reached (the tests after this one
    use the models as they are now)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
