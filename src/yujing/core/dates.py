"""How the pages, messages and documents write a date or a time: 2026年3月9日, 1975年3月, 15时,
15时30分 — never 2026年03月09日, 03月 or 15时00分. These are the one formatter family (templates reach
them through the ``cn_date``/``cn_month``/``cn_time``/``cn_datetime`` filters); purely numeric ISO
dates stay only where a machine reads or sorts them (table columns, audit timestamps, attributes)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def office_time(instant: datetime) -> datetime:
    """An instant on the office's clock (settings.TIME_ZONE, Asia/Shanghai). Stored timestamps are UTC:
    formatting one directly would print the hour, and before 08:00 the day, of Greenwich."""
    return timezone.localtime(instant)


def office_day(instant: datetime) -> date:
    """The office's day of an instant: a step recorded at 07:30 Beijing time (23:30 UTC the day before)
    is dated that day. The one way a timestamp becomes a date — never ``instant.date()``, which is the
    UTC day."""
    return timezone.localdate(instant)


def _day(value: date | datetime) -> date:
    # a datetime is a date too: an instant is written as its day on the office's clock, not the UTC day
    return office_day(value) if isinstance(value, datetime) else value


def cn_date(day: date | datetime | None) -> str:
    """A date the Chinese way, without leading zeros ("2026年3月9日"); "" for none."""
    if day is None:
        return ""
    day = _day(day)
    return f"{day.year}年{day.month}月{day.day}日"


def cn_month(day: date | datetime | None) -> str:
    """A month, e.g. a birth month ("1975年3月"); "" for none."""
    if day is None:
        return ""
    day = _day(day)
    return f"{day.year}年{day.month}月"


def cn_time(instant: datetime | None) -> str:
    """The hour of an instant on the office's clock: "15时" on the hour, else "15时30分"; "0时5分" after
    midnight; "" for none."""
    if instant is None:
        return ""
    local = office_time(instant)
    return f"{local.hour}时" + (f"{local.minute}分" if local.minute else "")


def cn_datetime(instant: datetime | None) -> str:
    """Day and time of an instant on the office's clock ("2026年3月9日15时30分"); "" for none."""
    if instant is None:
        return ""
    return cn_date(office_day(instant)) + cn_time(instant)
