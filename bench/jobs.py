"""The jobs over the province loaded by bench/reminders.py (issue 10): lapse detection (第三十三条) and
the ledger export (台帐) of a county — time and peak memory each. The export streams: a county's export
takes the same memory in a province of 20,000 clues as in one of 1,000,000."""

from __future__ import annotations

import time
import tracemalloc


def _measure(fn):
    """(result, seconds, peak MB of Python allocations): timed on its own, then traced once more for the
    memory (tracing slows Python down several times)."""
    start = time.perf_counter()
    fn()
    took = time.perf_counter() - start
    tracemalloc.start()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, took, peak / 1024 / 1024


def _ledger(prefix: str) -> int:
    from django.db.models import Prefetch

    from yujing.cases.models import WarningCase
    from yujing.documents import exports

    cases = (WarningCase.objects.filter(unit_in_charge__path__startswith=prefix)
             .select_related("target__unit", "unit_in_charge")
             .prefetch_related("clues", "extensions", "endings", Prefetch("target__unit")).order_by("-proposed_on", "-id"))
    out = exports.ledger_xlsx(cases.iterator(chunk_size=1000), title="预警工作台帐")
    size = out.seek(0, 2)
    out.close()
    return size


def run():
    from django.utils import timezone

    from yujing.cases.models import WarningCase
    from yujing.orgs.models import Unit
    from yujing.oversight.lapses import find

    province = Unit.objects.filter(code="P").first()
    if province is None:
        yield ("jobs over the province", "skipped: no province (run the reminders benchmark first)", "")
        return
    found, took, peak = _measure(lambda: sum(1 for _ in find(today=timezone.localdate())))
    yield (f"lapse detection, whole province ({found:,} found)", f"{took:.1f} s, peak {peak:.0f} MB (Python)", "seconds")
    county = Unit.objects.get(code="P000")
    rows = WarningCase.objects.filter(unit_in_charge__path__startswith=county.path).count()
    total = WarningCase.objects.count()
    size, took, peak = _measure(lambda: _ledger(county.path))
    # a county's ledger has about as many rows whatever the size of the province: its peak is the same
    # at 20,000 clues as at 1,000,000 when the export streams (compare the two runs)
    yield (f"ledger export (XLSX), one county: {rows:,} of {total:,} cases", f"{took:.1f} s, "
           f"{size / 1024 / 1024:.1f} MB file, peak {peak:.0f} MB (Python)", "memory flat in database size")
