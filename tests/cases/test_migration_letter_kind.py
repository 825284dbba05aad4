"""cases 0019: a letter's kind is any letter key of its policy (a built-in form or one [letters.<key>] defines),
checked for its form by the table; the way back keeps every letter as it is."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.dates import D
from yujing.cases.models import Letter

BEFORE = [("cases", "0018_neutral_texts")]
AFTER = [("cases", "0019_letter_kind_from_policy")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps.get_model("cases", "Letter")


@pytest.mark.django_db(transaction=True)
def test_forwards_any_letter_key_backwards_unchanged(open_case, users):
    case = open_case("correction", "MH0002", on="2026-03-02")
    letter = Letter.objects.create(case=case, kind="correction_notice", issued_on=D("2026-03-10"), content="纠错",
                                   recorded_by=users["yjb"])

    old = _migrate(BEFORE)
    assert old.objects.get(pk=letter.pk).kind == "correction_notice"  # Shou's letters go back unchanged

    new = _migrate(AFTER)
    assert new.objects.get(pk=letter.pk).kind == "correction_notice"
    new.objects.filter(pk=letter.pk).update(kind="warning_card")
    assert new.objects.get(pk=letter.pk).kind == "warning_card"
    for garbage in ("WarningCard", "1card", "_card", "warning-card", "警诫卡", "", "warning_card\n"):
        with pytest.raises(IntegrityError), transaction.atomic():
            new.objects.filter(pk=letter.pk).update(kind=garbage)

    assert _migrate(BEFORE).objects.get(pk=letter.pk).kind == "warning_card"


@pytest.fixture(autouse=True)
def _latest_schema_after():
    """Leave the test database at the newest migrations, whatever the test reached."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
