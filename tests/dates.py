"""Dates for tests: D("2026-01-31") and at("2026-03-06", 9) in Asia/Shanghai."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
D = date.fromisoformat


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ)
