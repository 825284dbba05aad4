"""Importing a 10,000-row roster (target: under 10 s, issue 2)."""

from __future__ import annotations

import io
import resource
import time

from openpyxl import Workbook

ROWS = 10_000


def roster(rows: int, position: str = "副局长") -> bytes:
    from yujing.cadres.roster import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("干部名册")
    sheet.append([c.header for c in COLUMNS])
    units = ["青石镇", "白沙镇", "柳溪乡", "云山乡", "县财政局", "县审计局", "县信访局", "县公安局", "县教育局"]
    for i in range(rows):
        unit = units[i % len(units)]
        sheet.append([
            f"BX{i:06d}", f"干部{i}", "男" if i % 3 else "女", f"{1965 + i % 25}.{1 + i % 12:02d}", unit,
            position, "副科级", "否", "县委" if i % 2 else unit, "行政机关", "是", "",
        ])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run():
    from yujing.cadres.services import import_roster
    from yujing.demo import load_demo
    from yujing.orgs.models import User

    load_demo()
    admin = User.objects.get(username="zuzhibu")
    data = roster(ROWS)
    start = time.perf_counter()
    result = import_roster(data=data, by=admin)
    created = time.perf_counter() - start
    assert result.created == ROWS, result
    data = roster(ROWS, position="局长")
    start = time.perf_counter()
    result = import_roster(data=data, by=admin)
    updated = time.perf_counter() - start
    assert result.updated == ROWS, result
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    yield (f"roster import, {ROWS:,} new rows", f"{created:.2f} s", "< 10 s")
    yield (f"roster import, {ROWS:,} changed rows", f"{updated:.2f} s (peak RSS {peak:.0f} MB)", "< 10 s")
