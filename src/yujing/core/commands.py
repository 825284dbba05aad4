"""What the daily commands (remind, archive, purge) share: the day they compute for."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone


def add_date_argument(parser: Any) -> None:
    parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD），默认今天")


def day(options: dict) -> date:
    """The ``--date`` given, or today."""
    try:
        return date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
    except ValueError:
        raise CommandError("日期应为 YYYY-MM-DD 格式") from None
