"""The holiday calendar: statutory holidays and adjusted working days (调休上班).

Sources, per year, in order: an administrator-entered State Council notice (``HolidayNotice``),
then the ``chinesecalendar`` package (which knows 2004–2026 only), then — for a year neither
knows — plain weekends, with every date computed that way marked provisional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from yujing.core.dates import cn_date

_PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争胜利70周年纪念日",
}


@dataclass(frozen=True)
class YearDays:
    """One year's exceptions to the weekend rule."""

    year: int
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: frozenset[date] = frozenset()
    source: str = "weekends"  # notice | package | weekends

    @property
    def known(self) -> bool:
        return self.source != "weekends"


@lru_cache(maxsize=64)
def package_year(year: int) -> YearDays | None:
    """The year as ``chinesecalendar`` knows it, or None when it does not."""
    holidays = {d: _PACKAGE_NAMES.get(name, name) for d, name in chinese_calendar.holidays.items() if d.year == year}
    workdays = frozenset(d for d in chinese_calendar.workdays if d.year == year)
    if not holidays and not workdays:
        return None
    return YearDays(year, holidays, workdays, "package")


class HolidayCalendar:
    """A calendar built from notices (by year) with the package as fallback."""

    def __init__(self, notices: dict[int, YearDays] | None = None) -> None:
        self._notices = dict(notices or {})
        self._years: dict[int, YearDays] = {}

    def year(self, year: int) -> YearDays:
        if year not in self._years:
            self._years[year] = self._notices.get(year) or package_year(year) or YearDays(year)
        return self._years[year]

    def is_known(self, year: int) -> bool:
        return self.year(year).known

    def is_holiday(self, day: date) -> bool:
        return day in self.year(day.year).holidays

    def holiday_name(self, day: date) -> str | None:
        return self.year(day.year).holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        data = self.year(day.year)
        if day in data.workdays:
            return True
        if day in data.holidays:
            return False
        return day.weekday() < 5

    def day_label(self, day: date) -> str:
        """A short Chinese description of the day, for the calculator page."""
        data = self.year(day.year)
        if day in data.workdays:
            return "调休上班日"
        if day in data.holidays:
            return f"法定节假日({data.holidays[day]})"
        return "工作日" if day.weekday() < 5 else "公休日"


# --- the notice text format an administrator types in -----------------------------------------

_RANGE_RE = re.compile(
    r"^(?P<name>[^\d\s:：]+)\s*[:：]?\s*(?P<first>\d{4}-\d{1,2}-\d{1,2})"
    r"(?:\s*(?:至|到|~|-{1,2}|—)\s*(?P<last>\d{4}-\d{1,2}-\d{1,2}))?\s*$"
)
WORKDAY_NAMES = {"调休上班", "上班", "补班", "调休"}


class NoticeError(ValueError):
    """Lines of a holiday notice that could not be read: ``errors`` holds (line number, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("；".join(f"第{n}行：{m}" for n, m in errors))


def parse_notice(year: int, text: str) -> YearDays:
    """Read a notice written one line per holiday or working day, e.g.::

        元旦 2027-01-01 至 2027-01-03
        春节 2027-02-06 至 2027-02-14
        调休上班 2027-02-20
    """
    holidays: dict[date, str] = {}
    workdays: set[date] = set()
    errors: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _RANGE_RE.match(line)
        if not match:
            errors.append((number, f"无法识别“{line}”，应写作“名称 起始日期 至 结束日期”或“调休上班 日期”"))
            continue
        try:
            first = date.fromisoformat(_pad(match["first"]))
            last = date.fromisoformat(_pad(match["last"])) if match["last"] else first
        except ValueError:
            errors.append((number, f"日期“{line}”不存在"))
            continue
        if last < first:
            errors.append((number, "结束日期早于起始日期"))
            continue
        if first.year != year or last.year != year:
            errors.append((number, f"日期不在{year}年内"))
            continue
        name = match["name"].strip()
        day = first
        while day <= last:
            if day in holidays or day in workdays:
                errors.append((number, f"{cn_date(day)}重复出现"))
            elif name in WORKDAY_NAMES:
                workdays.add(day)
            else:
                holidays[day] = name
            day += timedelta(days=1)
    if errors:
        raise NoticeError(errors)
    if not holidays:
        raise NoticeError([(0, "通知中没有任何节假日")])
    return YearDays(year, holidays, frozenset(workdays), "notice")


def _pad(text: str) -> str:
    y, m, d = text.split("-")
    return f"{y}-{int(m):02d}-{int(d):02d}"


def format_notice(data: YearDays) -> str:
    """The inverse of :func:`parse_notice`: ranges of consecutive days with the same name."""
    lines: list[str] = []
    entries = sorted([(d, n) for d, n in data.holidays.items()] + [(d, "调休上班") for d in data.workdays])
    i = 0
    while i < len(entries):
        first, name = entries[i]
        last = first
        while i + 1 < len(entries) and entries[i + 1][1] == name and entries[i + 1][0] == last + timedelta(days=1):
            i += 1
            last = entries[i][0]
        lines.append(f"{name} {first.isoformat()}" + (f" 至 {last.isoformat()}" if last != first else ""))
        i += 1
    return "\n".join(lines)
