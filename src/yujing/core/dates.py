"""How the pages and messages write a date: 2026年9月2日, never 2026年09月02日."""

from __future__ import annotations

from datetime import date


def cn_date(day: date | None) -> str:
    """A date the Chinese way, without leading zeros; "" for none."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
