"""Reads of confidential records that are audit events (第三十三条(六)): one function per kind of
record, called by its page and by its API operation alike, so a read through either leaves the same
event (action, object, unit, actor, address). Downloads log themselves where they are served
(clues/downloads.py, cases/downloads.py, documents/downloads.py); lists are not logged, on the pages
or in the API."""

from __future__ import annotations

from typing import Any

from .models import Event
from .services import Origin, record_view


def clue_viewed(clue: Any, *, by: Any, origin: Origin | None, **data: Any) -> Event:
    return record_view("clues.clue.viewed", by=by, obj=clue, unit_path=clue.handling_unit.path, origin=origin,
                       data=data)


def case_viewed(case: Any, *, by: Any, origin: Origin | None, **data: Any) -> Event:
    return record_view("cases.case.viewed", by=by, obj=case, unit_path=case.unit_in_charge.path, origin=origin,
                       data=data)


def integrity_file_viewed(cadre: Any, *, by: Any, origin: Origin | None, **data: Any) -> Event:
    """A cadre's 个人廉政档案 (the integrity records and the cases behind them) was shown."""
    return record_view("cadres.integrity_file.viewed", by=by, obj=cadre, unit_path=cadre.managed_by.path,
                       origin=origin, data=data)


def report_viewed(unit: Any, year: int, quarter: int, *, by: Any, origin: Origin | None, **data: Any) -> Event:
    """A unit's quarterly report (its figures, or the rows behind one figure) was shown."""
    return record_view("oversight.report.viewed", by=by, obj=unit, unit_path=unit.path, origin=origin,
                       data={"year": year, "quarter": quarter, **data})
