"""Due-date previews: what a date being typed into a form will set, before the form is saved.

The dates come from the same functions the services call when the form is saved (the period
arithmetic of ``periods.py`` under the policy in force or the case's own policy); this module only
reads the typed date and words the answer. Nothing here writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from yujing.core.dates import cn_date

from .periods import Due

EARLIEST, LATEST = date(1990, 1, 1), date(2200, 12, 31)


class DateProblem(ValueError):
    """A typed date that cannot be used; the message is for people (Chinese)."""


@dataclass(frozen=True)
class Line:
    """One line of a preview: ``label：date（article，basis）note``."""

    label: str
    date: date | None = None
    article: str = ""
    basis: str = ""
    note: str = ""
    warning: bool = False


@dataclass(frozen=True)
class Preview:
    lines: list[Line] = field(default_factory=list)
    error: str = ""


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?")


def parse_day(value: str | None) -> date:
    """The ISO date a date picker sends (a datetime-local value gives its day)."""
    value = (value or "").strip()
    if not value:
        raise DateProblem("请选择日期")
    try:
        # exactly what the forms accept (YYYY-MM-DD, or a datetime-local YYYY-MM-DDTHH:MM): fromisoformat
        # alone would also take 20260905 or 2026-W36-3, which the form then refuses
        if not ISO_DAY.fullmatch(value):
            raise ValueError(value)
        day = date.fromisoformat(value[:10])
    except ValueError:
        raise DateProblem(f"“{value[:20]}”不是有效的日期，请按“2026-09-02”的格式选择或填写") from None
    if not (EARLIEST <= day <= LATEST):
        raise DateProblem("日期应在 1990 年至 2200 年之间")
    return day


def deadline(label: str, due: Due, *, article: str, start: str, note: str = "", warning: bool = False) -> Line:
    """A computed time limit, with how it was reached: ``start`` names the starting event (送达, 收到…)."""
    notes = [note] if note else []
    if due.rolled:
        notes.append(f"届满日 {cn_date(due.nominal)}为休息日，顺延")
    if due.provisional:
        notes.append("所涉年度尚未录入国务院节假日安排，结果为暂定")
    return Line(label, due.date, article, f"自{start}之日起{due.period.label}", "；".join(notes), warning)


def problem(message: str) -> Preview:
    return Preview(error=message)


def for_typed(value: str | None, compute: Callable[[date], Preview]) -> Preview:
    """The preview of a date as typed: nothing while the field is empty (an optional date, or one not chosen
    yet: the form says when it is required), the Chinese reason when it cannot be read, else ``compute``."""
    if not (value or "").strip():
        return Preview()
    try:
        day = parse_day(value)
    except DateProblem as exc:
        return problem(str(exc))
    return compute(day)
