"""A further letter on the same case (the policy's ``again``, 再次函询: 对函询说明不清楚、不完整的，可以再次函询):
once the answer to the current letter has been received, a leader decides another letter with new questions.
The case goes back to where its letter is due (approved), the new letter is issued within the limit counted
from the decision and delivered anew, and its delivery starts its own response clock. The earlier letters and
answers stay on file; only the current letter's answer counts for the lifting and for lateness.

Unlike a redo (``redo``: the same letter answered again), this is a new letter: letter 1 is the case's own,
each ``LetterRound`` decides the next one, and the case's ``Letter`` rows are the letters in order."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yujing.audit.services import Origin

from .. import workflow
from ..models import CLOSED, Delivery, Letter, LetterRound, Status, WarningCase
from ._common import begin, bracketed, case_policy, deciders, due, measure_rules, not_before, raise_if, require_role


def letters_decided(case: WarningCase) -> int:
    """How many letters the case has had decided: its own, and one per further letter (uses prefetched rows)."""
    return 1 + len(case.letterrounds.all())


def further_letter(case: WarningCase) -> LetterRound | None:
    """The further letter decided and not yet issued, if any: the case's next letter is due on its ``due``."""
    rounds = list(case.letterrounds.all())
    if rounds and len(case.letters.all()) < 1 + len(rounds):
        return rounds[-1]
    return None


def current_letter(case: WarningCase) -> Letter | None:
    """The letter issued last: the one whose delivery and answer count now."""
    letters = list(case.letters.all())
    return letters[-1] if letters else None


def again_label(case: WarningCase) -> str:
    rules = measure_rules(case)
    return rules.again.label if rules.again else "再次函询"


def again_refusal(case: WarningCase) -> str:
    """Why no further letter can be decided now; empty when one can (and for a closed case, which the
    transition table refuses)."""
    rules = measure_rules(case)
    again = rules.again
    if again is None:
        return f"{rules.label}没有再次函询的规定"
    cite = bracketed(again.article)
    if case.status in CLOSED:
        return ""
    if case.status != Status.RESPONDED:
        from .response import unsigned

        latest = case.responses.order_by("-id").first()
        if latest is not None and latest.sent_back_on and rules.redo:
            return f"答复已退回{rules.redo.label}，收到{rules.redo.label}之后，才能{again.label}{cite}"
        if rules.signoff and unsigned(case) is not None:
            return f"{rules.response.label}尚待签署，签署完毕后，才能{again.label}{cite}"
        return f"收到{rules.response.label}之后，才能{again.label}{cite}"
    if case.delivery != Delivery.LETTER:
        return f"本预警事项未以书面方式实施，不能{again.label}{cite}"
    if letters_decided(case) >= again.max:
        return f"本预警事项已发函{again.max}次（至多{again.max}次），不能{again.label}{cite}"
    return ""


@transaction.atomic
def again(*, case: WarningCase, by: Any, today: date, decided_on: date, reason: str,
          origin: Origin | None = None) -> LetterRound:
    """再次函询: decided by a leader who may lift (as a further rectification round is), after the answer to the
    current letter was received (not while it is sent back or waits for its sign-off); the case's next letter
    is due within the policy's period of ``decided_on`` (``again.period``, else the implementation period)."""
    try:
        step = begin(case, action="again", by=by, perm="case.decide", origin=origin)
    except workflow.WorkflowError:
        # out of order: say why in the words of the rule (before an answer, while it waits for its sign-off)
        why = again_refusal(WarningCase.objects.get(pk=case.pk))
        if why:
            raise ValidationError(why) from None
        raise
    case = step.case
    rules = measure_rules(case)
    label = again_label(case)
    require_role(by, deciders(case, case_policy(case).rules.lifting.approvers), case, label)
    if refusal := again_refusal(case):
        raise ValidationError(refusal)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [f"请写明{label}的理由和需要进一步说明的问题"]
    not_before(errors, "decided_on", decided_on, case.responded_on, f"收到{rules.response.label}的日期", today)
    raise_if(errors)
    number = letters_decided(case) + 1
    deadline = due(case, decided_on, rules.again.period or case_policy(case).rules.implementation.period)
    created = LetterRound.objects.create(case=case, recorded_by=by, number=number, decided_on=decided_on,
                                         due=deadline.date, provisional=deadline.provisional, reason=reason.strip())
    # the answer to the earlier letter stays on file; the case now waits for the new letter and its answer
    case.responded_on = None
    step.finish(fields=("responded_on",), letter=number, decided_on=decided_on, letter_due=deadline.date)
    return created
