"""Period arithmetic of the Civil Code, 第二百零一条 to 第二百零三条.

- 第二百零一条: a period in years, months or days starts on the day after the start day (the start
  day is not counted).
- 第二百零二条: a period in years or months ends on the corresponding day of the last month; when
  that month has no such day, on its last day (01-31 + 1 month = 02-28, or 02-29 in a leap year).
- 第二百零三条: a period whose last day is a statutory rest day ends on the first day after the
  rest. Yujing's default reading (a policy setting) rolls over any rest day — weekend or holiday —
  but not over an adjusted working day (调休上班).

Working-day periods (工作日) count working days after the start day; their last day is a working
day by construction, so they never roll.

Everything here is pure: the calendar is a parameter and nothing reads the clock.
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol


class Unit(StrEnum):
    DAYS = "d"
    WORKING_DAYS = "wd"
    MONTHS = "m"
    YEARS = "y"


UNIT_LABELS = {Unit.DAYS: "日", Unit.WORKING_DAYS: "个工作日", Unit.MONTHS: "个月", Unit.YEARS: "年"}


class Roll(StrEnum):
    """What happens when a period's last day is not a working day."""

    REST_DAY = "rest_day"  # roll over weekends and holidays (adjusted working days stay)
    HOLIDAY = "holiday"  # roll over statutory holidays only, the letter of 第二百零三条
    NONE = "none"


_PERIOD_RE = re.compile(r"^\s*(\d{1,4})\s*(wd|d|m|y)\s*$", re.IGNORECASE)


class PeriodError(ValueError):
    """A period written wrongly; the message is for people (Chinese)."""


@dataclass(frozen=True)
class Period:
    count: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``7d``, ``10d``, ``1m``, ``1y`` or ``5wd`` (working days)."""
        match = _PERIOD_RE.match(text or "")
        if not match:
            raise PeriodError(
                f"期间“{text}”格式不对：应写作数字加单位，如 7d(日)、1m(月)、1y(年)、5wd(工作日)"
            )
        count = int(match.group(1))
        if count <= 0:
            raise PeriodError(f"期间“{text}”必须大于零")
        return cls(count, Unit(match.group(2).lower()))

    def __str__(self) -> str:
        return f"{self.count}{self.unit.value}"

    @property
    def label(self) -> str:
        return f"{self.count}{UNIT_LABELS[self.unit]}"


class Calendar(Protocol):
    """What period arithmetic needs to know about days."""

    def is_working_day(self, day: date) -> bool: ...

    def is_holiday(self, day: date) -> bool: ...

    def is_known(self, year: int) -> bool: ...

    def holiday_name(self, day: date) -> str | None: ...


@dataclass(frozen=True)
class Due:
    """A computed last day, with how it was reached (for the calculator and the case file)."""

    start: date
    period: Period
    date: date
    nominal: date  # the last day before any roll
    provisional: bool = False  # a year the calendar does not know was involved
    skipped: tuple[date, ...] = field(default_factory=tuple)  # rest days rolled over

    @property
    def rolled(self) -> bool:
        return self.date != self.nominal


def add_months(day: date, months: int) -> date:
    """The corresponding day ``months`` later, or that month's last day (第二百零二条)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not date.min.year <= year <= date.max.year:  # as date + timedelta does beyond the calendar
        raise OverflowError("date value out of range")
    last = _calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _blocked(day: date, cal: Calendar, roll: Roll) -> bool:
    if roll is Roll.REST_DAY:
        return not cal.is_working_day(day)
    if roll is Roll.HOLIDAY:
        return cal.is_holiday(day)
    return False


def due_date(start: date, period: Period | str, cal: Calendar, roll: Roll | str = Roll.REST_DAY) -> Due:
    """The last day of ``period`` counted from ``start`` (start day not counted)."""
    if isinstance(period, str):
        period = Period.parse(period)
    roll = Roll(roll)
    years_seen = {start.year}
    if period.unit is Unit.WORKING_DAYS:
        day, left = start, period.count
        while left:
            day += timedelta(days=1)
            years_seen.add(day.year)
            if cal.is_working_day(day):
                left -= 1
        return Due(start, period, day, day, _provisional(years_seen, cal))
    if period.unit is Unit.DAYS:
        nominal = start + timedelta(days=period.count)
    elif period.unit is Unit.MONTHS:
        nominal = add_months(start, period.count)
    else:
        nominal = add_months(start, 12 * period.count)
    day, skipped = nominal, []
    years_seen.add(day.year)
    while _blocked(day, cal, roll):
        skipped.append(day)
        day += timedelta(days=1)
        years_seen.add(day.year)
    return Due(start, period, day, nominal, _provisional(years_seen, cal), tuple(skipped))


def _provisional(years: set[int], cal: Calendar) -> bool:
    return any(not cal.is_known(year) for year in years)


def working_days_between(first: date, last: date, cal: Calendar) -> int:
    """Working days after ``first`` up to and including ``last`` (0 when last <= first)."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        if cal.is_working_day(day):
            count += 1
    return count
