"""A measure's further time limits (the policy's ``limits``): a 自查报告 within 5 working days, a
整改情况报告 no earlier than 6 months after the measure. Each starts when its event happens on the case,
is recorded when done, and while open stands in the way of lifting (unless the policy says it does not)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yujing.audit.services import Origin
from yujing.core.dates import cn_date
from yujing.policy.loader import get_calendar
from yujing.policy.periods import Roll, due_date

from ..models import CaseLimit, WarningCase
from ._common import begin, case_policy, measure_rules, not_before, raise_if


def start_limits(case: WarningCase, event: str, on: date, by: Any) -> list[CaseLimit]:
    """Start the limits of the case's measure counted from ``event`` (a LIMIT_EVENTS key), which happened
    ``on``; a limit already started keeps its first start. Called by the service recording the event, in its
    transaction (the event's own audit entry records the limits it started)."""
    rules = measure_rules(case)
    started = []
    have = set(case.caselimits.values_list("key", flat=True)) if rules.limits else set()
    for limit in rules.limits:
        if limit.start != event or limit.key in have:
            continue
        roll = Roll.NONE if limit.kind == "not_before" else case_policy(case).rules.calendar.roll
        deadline = due_date(on, limit.period, get_calendar(), roll)
        started.append(CaseLimit.objects.create(case=case, recorded_by=by, key=limit.key, label=limit.label,
                                                kind=limit.kind, start=on, due=deadline.date,
                                                provisional=deadline.provisional))
    return started


def open_limits(case: WarningCase) -> list[CaseLimit]:
    return [x for x in case.caselimits.all() if x.done_on is None]


def limit_blockers(case: WarningCase) -> list[str]:
    """The open limits that stand in the way of lifting: 尚未提交自查报告（第九条）."""
    rules = measure_rules(case)
    blockers = []
    for limit in open_limits(case):
        rule = rules.limit(limit.key)
        if rule is None or rule.blocks_lifting:
            when = f"，不早于{cn_date(limit.due)}" if limit.not_before else ""
            blockers.append(f"尚未{limit.label}{when}" + (f"（{rule.article}）" if rule else ""))
    return blockers


@transaction.atomic
def record_limit(*, case: WarningCase, by: Any, today: date, key: str, done_on: date, note: str = "",
                 origin: Origin | None = None) -> CaseLimit:
    """Record that a limit was met (the report came in, the step was taken). A deadline met late is
    recorded and marked late; a not-before limit is refused before its date."""
    step = begin(case, action="record_limit", by=by, origin=origin)
    case = step.case
    limit = case.caselimits.select_for_update().filter(key=key).first()
    if limit is None:
        raise ValidationError({"key": ["本事项没有此项期限，或尚未开始计算"]})
    if limit.done_on is not None:
        raise ValidationError({"key": [f"{limit.label}已于{cn_date(limit.done_on)}记录"]})
    errors: dict[str, list[str]] = {}
    not_before(errors, "done_on", done_on, limit.start, "起算日", today)
    rule = measure_rules(case).limit(key)
    if not errors and limit.not_before and done_on < limit.due:
        errors["done_on"] = [f"{limit.label}不得早于{cn_date(limit.due)}" + (f"（{rule.article}）" if rule else "")]
    raise_if(errors)
    limit.done_on, limit.note = done_on, note.strip()
    limit.save(update_fields=["done_on", "note"])
    late = not limit.not_before and done_on > limit.due
    step.finish(key=key, done_on=done_on, due=limit.due, late=late)
    return limit
