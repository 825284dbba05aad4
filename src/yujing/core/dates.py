"""How the pages and messages write a date: 2026年9月2日, never 2026年09月02日."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def cn_date(day: date | None) -> str:
    """A date the Chinese way, without leading zeros; "" for none."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def office_time(instant: datetime) -> datetime:
    """An instant on the office's clock (settings.TIME_ZONE, Asia/Shanghai). Stored timestamps are UTC:
    formatting one directly would print the hour, and before 08:00 the day, of Greenwich."""
    return timezone.localtime(instant)


def office_day(instant: datetime) -> date:
    """The office's day of an instant: a step recorded at 07:30 Beijing time (23:30 UTC the day before)
    is dated that day. The one way a timestamp becomes a date — never ``instant.date()``, which is the
    UTC day."""
    return timezone.localdate(instant)
