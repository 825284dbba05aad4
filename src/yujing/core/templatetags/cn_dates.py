"""The date filters every template has (a builtin, see settings.TEMPLATES): ``{{ day|cn_date }}``,
``{{ month|cn_month }}``, ``{{ instant|cn_time }}``, ``{{ instant|cn_datetime }}`` — core.dates in
templates, so a page writes a date exactly as the documents and messages do. Empty values give ""
(chain ``|default:"—"`` where a dash is wanted)."""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template

from yujing.core import dates

register = template.Library()
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _or_none(value, kind: type) -> date | datetime | None:
    # like Django's own |date: anything that is not a date (a missing variable, "") prints as nothing
    return value if isinstance(value, kind) else None


@register.filter
def cn_date(value) -> str:
    """Also a day kept as ISO text in JSON data (a digest's items): "2026-10-08" → 2026年10月8日."""
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        value = date.fromisoformat(value)
    return dates.cn_date(_or_none(value, date))


@register.filter
def cn_month(value) -> str:
    return dates.cn_month(_or_none(value, date))


@register.filter
def cn_time(value) -> str:
    return dates.cn_time(_or_none(value, datetime))


@register.filter
def cn_datetime(value) -> str:
    return dates.cn_datetime(_or_none(value, datetime))
