"""The county (here: province) quarterly roll-up against hand-written GROUP BY queries over the same
rows (issue 7: within 2x). Uses the province loaded by bench/reminders.py when it is there."""

from __future__ import annotations

import statistics
import time


def _time(fn, runs: int = 5) -> float:
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from yujing.orgs.models import Unit
    from yujing.oversight import figures
    from yujing.oversight.reports import last_quarter

    root = Unit.objects.filter(parent__isnull=True).order_by("-id").first()
    if root is None:
        yield ("quarterly roll-up", "skipped: no data (run the reminders benchmark first)", "")
        return
    year, quarter = last_quarter(timezone.localdate())
    first, last = figures.quarter_range(year, quarter)
    with CaptureQueriesContext(connection) as queries:
        figures.compute(prefix=root.path, year=year, quarter=quarter)
    orm = _time(lambda: figures.compute(prefix=root.path, year=year, quarter=quarter))
    raw_sql = [
        # what a person would write by hand: one GROUP BY per table over the same rows
        ("SELECT c.channel, c.status, count(*) FROM clues_clue c JOIN orgs_unit u ON u.id = c.handling_unit_id "
         "WHERE u.path LIKE %s AND ((c.received_on BETWEEN %s AND %s) OR (c.screened_on BETWEEN %s AND %s)) "
         "GROUP BY c.channel, c.status", [root.path + "%", first, last, first, last]),
        ("SELECT w.measure, w.delivery, w.implemented_on <= w.implementation_due, count(*) FROM cases_warningcase w "
         "JOIN orgs_unit u ON u.id = w.unit_in_charge_id WHERE u.path LIKE %s AND ((w.proposed_on BETWEEN %s AND %s) "
         "OR (w.approved_on BETWEEN %s AND %s) OR (w.implemented_on BETWEEN %s AND %s) OR (w.response_start <= %s "
         "AND (w.closed_on IS NULL OR w.closed_on > %s))) GROUP BY 1, 2, 3",
         [root.path + "%", first, last, first, last, first, last, last, last]),
    ]

    def raw():
        with connection.cursor() as cursor:
            for sql, params in raw_sql:
                cursor.execute(sql, params)
                cursor.fetchall()

    floor = _time(raw)
    yield (f"quarterly roll-up of the whole area ({len(queries)} SQL statements)", f"{orm * 1000:.0f} ms", "")
    yield ("hand-written GROUP BY over the same rows (floor)", f"{floor * 1000:.0f} ms", "")
    yield ("roll-up / floor", f"{orm / floor:.2f}x", "<= 2x")
