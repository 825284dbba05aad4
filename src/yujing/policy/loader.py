"""The policy in force and the calendar, loaded once per process."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.conf import settings

from .holidays import HolidayCalendar, YearDays, parse_notice
from .periods import Due, Period, due_date
from .schema import Policy, load_policy


@lru_cache(maxsize=1)
def get_policy() -> Policy:
    """The policy named by ``YUJING_POLICY`` (default: the Shou County text). Validated at start-up."""
    return load_policy(settings.YUJING_POLICY or None)


def reset_policy_cache() -> None:
    get_policy.cache_clear()


def get_calendar() -> HolidayCalendar:
    """The holiday calendar with every administrator-entered notice (one small query)."""
    from .models import HolidayNotice

    notices: dict[int, YearDays] = {}
    for year, text in HolidayNotice.objects.values_list("year", "text"):
        notices[year] = parse_notice(year, text)
    return HolidayCalendar(notices)


def is_provisional(day: date | None) -> bool:
    """Whether a date counted on the calendar is 暂定: its year has neither the package's data nor an
    entered holiday notice (a query only for a year past the package)."""
    from .holidays import package_year
    from .models import HolidayNotice

    if day is None or package_year(day.year) is not None:
        return False
    return not HolidayNotice.objects.filter(year=day.year).exists()


def due(start: date, period: Period | str, *, calendar: HolidayCalendar | None = None, policy: Policy | None = None) -> Due:
    """The last day of ``period`` from ``start`` under the policy's roll rule."""
    policy = policy or get_policy()
    return due_date(start, period, calendar or get_calendar(), policy.rules.calendar.roll)
