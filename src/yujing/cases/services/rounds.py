"""Further rectification rounds on one case (the policy's ``rounds``, 第二轮整改): after a revisit finds the
requirements not met, a leader opens another round with a new period; the revisits of the round are what
the lifting and the escalations look at. Round 1 is the case's own rectification."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from yujing.audit.services import Origin

from ..models import CaseRound, Revisit, WarningCase
from ._common import begin, case_policy, deciders, due, measure_rules, not_before, raise_if, require_role


def current_round(case: WarningCase) -> int:
    return 1 + len(case.caserounds.all())


def round_started(case: WarningCase) -> date | None:
    """The day the current round began; None for round 1 (the case's own rectification)."""
    rounds = list(case.caserounds.all())
    return rounds[-1].started_on if rounds else None


def round_revisits(case: WarningCase) -> QuerySet[Revisit]:
    """The revisits of the current round (all of them in round 1)."""
    start = round_started(case)
    return case.revisits.filter(done_on__gte=start) if start else case.revisits.all()


def round_failed(case: WarningCase) -> bool:
    """The current round's revisit found the requirements not met."""
    latest = round_revisits(case).order_by("-done_on", "-id").first()
    return latest is not None and not latest.meets_requirement


def new_round_refusal(case: WarningCase) -> str:
    """Why no further round can be opened now; empty when one can."""
    rules = measure_rules(case)
    if rules.rounds is None:
        return f"{rules.label}没有再次整改的规定"
    if current_round(case) >= rules.rounds.max:
        return f"已进行{rules.rounds.max}轮整改，不能再次整改（{rules.rounds.article}）"
    if not round_failed(case):
        return f"回访认为未达到整改要求的，才能{rules.rounds.label}（{rules.rounds.article}）"
    return ""


@transaction.atomic
def new_round(*, case: WarningCase, by: Any, today: date, started_on: date, reason: str,
              origin: Origin | None = None) -> CaseRound:
    """开始再次整改: decided by a leader who may lift (第三十条), after a revisit found the requirements not met;
    the new period runs from ``started_on``."""
    step = begin(case, action="new_round", by=by, perm="case.decide", origin=origin)
    case = step.case
    rules = measure_rules(case)
    require_role(by, deciders(case, case_policy(case).rules.lifting.approvers), case, rules.rounds.label
                 if rules.rounds else "再次整改")
    if refusal := new_round_refusal(case):
        raise ValidationError(refusal)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["请写明再次整改的要求和理由"]
    latest = round_revisits(case).order_by("-done_on", "-id").first()
    not_before(errors, "started_on", started_on, latest.done_on if latest else None, "回访日期", today)
    raise_if(errors)
    number = current_round(case) + 1
    deadline = due(case, started_on, rules.rounds.period or rules.response.period)
    created = CaseRound.objects.create(case=case, recorded_by=by, number=number, started_on=started_on,
                                       due=deadline.date, reason=reason.strip())
    case.response_start, case.response_due, case.response_provisional = started_on, deadline.date, deadline.provisional
    case.responded_on = None
    step.finish(fields=("response_start", "response_due", "response_provisional", "responded_on"), round=number,
                started_on=started_on, response_due=deadline.date)
    return created
