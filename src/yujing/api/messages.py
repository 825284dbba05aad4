"""The schema's refusals in Chinese: pydantic names each error by a type (``date_from_datetime_parsing``,
``int_parsing`` …) and writes it in English; the API's 422 answers say it in Chinese instead."""

from __future__ import annotations

from typing import Any

DATE = "不是有效的日期，应为 YYYY-MM-DD（如 2026-09-02）"
DATETIME = "不是有效的时间，应为 YYYY-MM-DDTHH:MM（如 2026-09-02T09:30）"

# what pydantic says about a date's parts (ctx "error"), as a reason after DATE
DATE_REASONS = {
    "month value is outside expected range of 1-12": "月份应为 1 至 12",
    "day value is outside expected range": "该月没有这一日",
    "input is too short": "位数不足",
    "input is too long": "多出了字符",
    "invalid character in year": "年份中有不允许的字符",
    "invalid date separator, expected `-`": "年月日之间应以 - 分隔",
    "year 0 is out of range": "年份超出范围",
}

MESSAGES = {
    "missing": "必须填写",
    "date_parsing": DATE, "date_from_datetime_parsing": DATE, "date_from_datetime_inexact": DATE, "date_type": DATE,
    "datetime_parsing": DATETIME, "datetime_from_date_parsing": DATETIME, "datetime_type": DATETIME,
    "datetime_object_invalid": DATETIME,
    "time_parsing": "不是有效的时刻，应为 HH:MM", "time_type": "不是有效的时刻，应为 HH:MM",
    "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数", "int_parsing_size": "数值超出范围",
    "float_parsing": "应为数字", "float_type": "应为数字", "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false", "bool_type": "应为 true 或 false",
    "string_type": "应为文本", "string_unicode": "应为文本",
    "string_too_long": "不能超过 {max_length} 个字符", "string_too_short": "至少 {min_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "too_long": "最多 {max_length} 项", "too_short": "至少 {min_length} 项",
    "greater_than": "应大于 {gt}", "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}", "less_than_equal": "不能大于 {le}",
    "literal_error": "应为以下之一：{expected}", "enum": "应为以下之一：{expected}",
    "list_type": "应为列表", "dict_type": "应为对象", "model_type": "应为对象", "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON", "json_type": "不是有效的 JSON",
    "extra_forbidden": "不允许的字段", "uuid_parsing": "不是有效的 UUID", "url_parsing": "不是有效的网址",
}


def chinese(error: dict[str, Any]) -> str:
    """One pydantic error (``exc.errors`` of django-ninja) as its Chinese message."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error":  # a validator of ours: its own message, without pydantic's prefix
        return str(error.get("msg", "")).removeprefix("Value error, ") or "输入有误"
    template = MESSAGES.get(kind)
    if template is None:
        return "输入有误"
    try:
        text = template.format(**{k: str(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        text = template.split("{")[0].rstrip("：") or "输入有误"
    if template in (DATE, DATETIME) and (reason := DATE_REASONS.get(str(ctx.get("error", "")))):
        text = f"{text}：{reason}"
    return text
