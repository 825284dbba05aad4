"""The outcome of a correction reported to the party chief once the case has ended (第三十一条:
责令纠错情况应及时以书面形式……向党委(党组)主要领导汇报). Its own step, after lifting or escalation —
not the report before implementation of 第十七条 (proposal.report_to_chief)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yujing.audit.services import Origin
from yujing.policy import words

from ..models import ChiefReport, Status, WarningCase
from ._common import begin, bracketed, case_policy, due, measure_rules, not_before, raise_if
from .proposal import chief_of

ENDED = frozenset({Status.LIFTED, Status.ESCALATED})


def outcome_report_due(case: WarningCase) -> date | None:
    """及时汇报: within the policy's outcome_report period of the day the case ended (a reading of 第三十一条)."""
    if case.closed_on is None:
        return None
    return due(case, case.closed_on, case_policy(case).rules.outcome_report.period).date


def outcome_report_pending(case: WarningCase) -> bool:
    """A correction that has ended (lifted or escalated) and whose outcome the chief has not been told."""
    return (case.status in ENDED and measure_rules(case).report_outcome_to_party_chief
            and case.chief_report(ChiefReport.Kind.OUTCOME) is None)


@transaction.atomic
def report_outcome_to_chief(
    *, case: WarningCase, by: Any, today: date, reported_on: date, note: str, origin: Origin | None = None,
) -> ChiefReport:
    """向党委(党组)主要领导汇报 the outcome (第三十一条): the date, the content and who recorded it; the chief
    reads it in their 我的待办 (mark_report_seen). Whether it came in time is kept in the audit event."""
    step = begin(case, action="report_outcome", by=by, origin=origin)
    case = step.case
    if not measure_rules(case).report_outcome_to_party_chief:
        raise ValidationError(f"{case.get_measure_display()}的结果不需向{words.of_case(case).body('unit_chief')}汇报"
                              + bracketed(case_policy(case).rules.outcome_report.article))
    if case.chief_report(ChiefReport.Kind.OUTCOME):
        raise ValidationError(f"已向{words.of_case(case).body('unit_chief')}汇报结果")
    errors: dict[str, list[str]] = {}
    if not note.strip():
        errors["note"] = ["请填写汇报内容（解除预警或升级处理的结果）"]
    not_before(errors, "reported_on", reported_on, case.closed_on, "办结日期", today)
    raise_if(errors)
    chief = chief_of(case)
    report = ChiefReport.objects.create(case=case, kind=ChiefReport.Kind.OUTCOME, recorded_by=by,
                                        reported_on=reported_on, chief=chief, note=note.strip())
    deadline = outcome_report_due(case)
    step.finish(reported_on=reported_on, chief=chief.pk if chief else None, due=deadline,
                late=bool(deadline and reported_on > deadline))
    return report
