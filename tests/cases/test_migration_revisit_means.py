"""The one means a revisit recorded before becomes a list of one (migration 0009, 第三十条)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.dates import D
from yujing.cases import services as cs

BEFORE = [("cases", "0008_ending_lifting_then_escalation")]
AFTER = [("cases", "0009_talk_delegation_revisit_means_minutes")]


@pytest.mark.django_db(transaction=True)
def test_single_method_is_migrated_into_the_list(approved, users):
    case = approved("correction", "MH0002", on="2026-03-02", approve_on="2026-03-02")
    office = users["yjb"]
    cs.report_to_chief(case=case, by=office, today=D("2026-03-03"), reported_on=D("2026-03-03"))
    cs.write_register(case=case, by=office, today=D("2026-03-03"), content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-03-03"))
    cs.issue_letter(case=case, by=office, today=D("2026-03-04"), kind="correction_notice", issued_on=D("2026-03-04"),
                    content="纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-03-05"), received_on=D("2026-03-05"))
    visit = cs.record_revisit(case=case, by=office, today=D("2026-03-20"), methods=["symposium"],
                              done_on=D("2026-03-20"), findings="座谈", meets_requirement=True)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("cases", "Revisit")
    assert old.objects.get(pk=visit.pk).method == "symposium"  # the way back keeps the first means
    old.objects.filter(pk=visit.pk).update(method="documents")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("cases", "Revisit")
    assert (new.objects.get(pk=visit.pk).methods, new.objects.get(pk=visit.pk).other_method) == (["documents"], "")


@pytest.fixture(autouse=True)
def _latest_schema_after():
    """Leave the test database at the newest migrations, whatever the test reached: the tests after this one
    use the models as they are now (a later migration, e.g. 0010, would otherwise be missing)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
