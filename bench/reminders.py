"""The daily reminder run over a province (issue 6: seconds, not minutes, at 1,000,000 clues)."""

from __future__ import annotations

import os
import resource
import time


def run():
    from django.utils import timezone

    from bench.province import build
    from yujing.oversight.reminders import send_reminders

    clues = int(os.environ.get("BENCH_CLUES", "200000"))
    today = timezone.localdate()
    start = time.perf_counter()
    size = build(clues=clues, today=today)
    loaded = time.perf_counter() - start
    yield (f"load a province: {size['clues']:,} clues, {size['cases']:,} cases, {size['cadres']:,} cadres",
           f"{loaded:.0f} s", "minutes, not hours")
    start = time.perf_counter()
    result = send_reminders(today=today)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    yield (f"reminder run ({result.items:,} items, {result.digests:,} digests)", f"{took:.1f} s (peak RSS {peak:.0f} MB)",
           "seconds")
    start = time.perf_counter()
    again = send_reminders(today=today)
    yield ("reminder run again the same day (sends nothing)", f"{time.perf_counter() - start:.1f} s, {again.digests} sent",
           "0 sent")
