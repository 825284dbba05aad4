"""What every case service does first: lock the row, check access, the transition table and the
policy the case started under."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet

from yujing.audit.services import Origin, record
from yujing.core.dates import cn_date
from yujing.orgs import access
from yujing.orgs.models import Unit
from yujing.orgs.recusal import require_not_recused
from yujing.orgs.roles import Role
from yujing.policy import words
from yujing.policy.loader import get_calendar
from yujing.policy.periods import Due, Period, due_date
from yujing.policy.schema import Measure, Policy, parse_policy

from .. import workflow
from ..models import Status, Verification, WarningCase

COUNTY_LEVEL = {Unit.Kind.COUNTY, Unit.Kind.COUNTY_COMMITTEE, Unit.Kind.DISCIPLINE_COMMISSION, Unit.Kind.WARNING_OFFICE}


@lru_cache(maxsize=16)
def _parse(digest: str, text: str) -> Policy:
    return parse_policy(text, f"策略版本 {digest[:8]}")


def case_policy(case: WarningCase) -> Policy:
    """The policy the case started under (DESIGN.md §2: a case keeps its version)."""
    version = case.policy_version
    return _parse(version.digest, version.text)


def target_label(case: WarningCase, kind: str) -> str:
    """What an ending ``kind`` is called under the case's policy (one rule: ``cases.measures.kind_label``)."""
    from .. import measures

    return measures.kind_label(case, kind)


def measure_rules(case: WarningCase) -> Measure:
    return case_policy(case).measure(case.measure)


def due(case: WarningCase, start: date, period: Period) -> Due:
    return due_date(start, period, get_calendar(), case_policy(case).rules.calendar.roll)


def implementation_due(case: WarningCase, approved_on: date) -> Due:
    """组织实施期限: within the policy's days of the approval (第十七条)."""
    return due(case, approved_on, case_policy(case).rules.implementation.period)


def response_due(case: WarningCase, start: date) -> Due:
    """The answer or rectification period from its start — receipt of the letter or notice, or for an
    inquiry the day of the talk (第二十八至三十条)."""
    return due(case, start, measure_rules(case).response.period)


def revisit_due(case: WarningCase, responded_on: date) -> Due:
    """回访 within the policy's period of the rectification report (第三十条)."""
    return due(case, responded_on, case_policy(case).rules.revisit.period)


def is_county_level(case: WarningCase) -> bool:
    return case.unit_in_charge.kind in COUNTY_LEVEL


def office(case: WarningCase) -> str:
    """Who carries the case out, in the case's policy's words: the county office, or a unit's own."""
    return words.of_case(case).body("office" if is_county_level(case) else "unit_office")


def cited(case: WarningCase, key: str) -> str:
    """The ``[citations]`` article ``key`` of the case's policy in brackets, or "" when it cites none."""
    return words.of_case(case).cited(key)


def bracketed(article: str) -> str:
    """An article in brackets to append to a sentence, or "" when there is none (no empty brackets)."""
    return f"（{article}）" if article else ""


def deciders(case: WarningCase, county_roles: list[str]) -> list[str]:
    """Who decides a step: the policy's county leaders, or — for a unit's own case (第十八条) — the
    unit's party committee leadership (the text names only county tiers; a policy setting)."""
    if is_county_level(case):
        return list(county_roles)
    return list(case_policy(case).rules.unit_level.approvers)


@dataclass
class Step:
    """A locked case, ready for one action: ``finish`` moves the state and writes the audit event."""

    case: WarningCase
    action: str
    by: Any
    origin: Origin | None
    data: dict[str, Any]

    def finish(self, fields: tuple[str, ...] = (), *, move: bool = True, **data: Any) -> WarningCase:
        """Save the state (and ``fields``) and write the one audit event of this action. ``move=False``
        records the step without moving the state (a talk held but not yet signed)."""
        if move:
            self.case.status = workflow.target(self.action, self.case.status)
        self.case.save(update_fields=["status", *fields])
        self.data.update(data, to=self.case.status)
        record(f"cases.case.{self.action}", by=self.by, obj=self.case, unit_path=self.case.unit_in_charge.path,
               origin=self.origin, data=self.data)
        return self.case


def start_limits(step: Step, event: str, on: date) -> None:
    """Start the case's further limits counted from ``event`` (services/limits.py); the step's audit entry
    names those it started."""
    from .limits import start_limits as start

    started = start(step.case, event, on, step.by)
    if started:
        step.data.setdefault("limits", []).extend(x.key for x in started)


def begin(case: WarningCase, *, action: str, by: Any, perm: str = "case.manage", origin: Origin | None = None) -> Step:
    """Lock the case, then check, in order: the user may see it (else 404), may take this kind of
    action on it (else 403), and the action is allowed in its state (else a clear error)."""
    locked = WarningCase.objects.select_for_update().select_related(
        "unit_in_charge", "target__unit", "target__managed_by", "policy_version"
    ).get(pk=case.pk)
    access.require(by, perm, locked)
    require_not_recused(by, locked.target)  # 回避: nobody acts in a case about their own leader or relation
    if locked.archived_on:
        raise ValidationError(f"预警事项 {locked.number} 已归档，只读")
    workflow.check(locked.status, action, case_policy(locked))
    return Step(locked, action, by, origin, {"from": locked.status})


def require_role(by: Any, roles: list[str], case: WarningCase, what: str) -> Role:
    """The user must hold one of the policy's ``roles`` over this case."""
    role = access.has_role_over(by, roles, case)
    if role is None:
        raise PermissionDenied(f"{what}须由{words.of_case(case).roles(roles)}决定")
    return role


def not_before(errors: dict[str, list[str]], key: str, value: date | None, earliest: date | None, what: str,
               today: date) -> None:
    if value is None:
        errors.setdefault(key, []).append("请填写日期")
        return
    if value > today:
        errors.setdefault(key, []).append("日期不能晚于今天")
    elif earliest and value < earliest:
        errors.setdefault(key, []).append(f"日期不能早于{what}（{cn_date(earliest)}）")


def earliest(case: WarningCase, action: str) -> tuple[date | None, str]:
    """The day before which the date of ``action``'s form cannot fall, and what that day is called — one
    rule for the service that saves the date and for the preview shown as it is typed (cases/previews.py)."""
    if action == "approve":  # a standing-committee meeting
        return case.proposed_on, "提出建议的日期"
    if action == "plan_talk":
        return case.approved_on, "批准日期"
    if action == "hold_talk":
        talk = case.talks.first()
        return (talk.notice_sent_on if talk else None), "通知送达日期"
    if action == "issue_letter":
        from .again import again_label, further_letter

        if (further := further_letter(case)) is not None:
            return further.decided_on, f"{again_label(case)}的决定日期"
        after_talk = case.status == Status.IMPLEMENTED
        return case.implemented_on or case.approved_on, "谈话日期" if after_talk else "批准日期"
    if action == "record_receipt":
        letter = case.letters.last()  # the current letter
        return (letter.issued_on if letter else None), "发出日期"
    if action == "record_response":
        return case.response_start, "起算日"
    raise KeyError(action)


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def verification_needed(rules: Measure, *, verifiable_clue: bool) -> bool:
    """第十六条 for admonition and correction; 第三十三条(三) for any measure on a verifiable clue. The one
    rule, for one case (needs_verification) and for the to-do lists' set-based query (oversight/deadlines)."""
    return rules.verification_required or verifiable_clue
def verifications_for(case: WarningCase) -> QuerySet[Verification]:
    """The verifications that stand for this case: its own, and those recorded on the case it was
    escalated from — the same facts, already verified (第十六条; 第二十八条 "经调查问题属实的，可转…"), so
    nobody enters them twice."""
    own = Q(case_id=case.pk)
    return Verification.objects.filter(own | Q(case_id=case.escalated_from_id) if case.escalated_from_id else own)


def needs_verification(case: WarningCase) -> bool:
    return verification_needed(measure_rules(case), verifiable_clue=case.clues.filter(verifiable=True).exists())


def verification_refusal(rules: Measure, policy: Policy) -> str:
    """Why a case that needs a verification cannot be approved before one is recorded."""
    return (f"{rules.label}对象须在了解、初核或调查后审定（{rules.verification_article}）" if rules.verification_required
            else f"线索具有可查性，须先核查{words.cited(policy, 'verifiable_clue')}")


def awaits_verification(case: WarningCase) -> bool:
    """A proposal that may not be approved yet: it needs a verification and none is recorded (第十六条,
    第三十三条(三)) — its approval is neither offered on the case page nor listed in anyone's 我的待办. The
    verifications of the case it was escalated from count (verifications_for)."""
    inherited = case.escalated_from.verifications.all() if case.escalated_from_id else []
    return case.status == Status.PROPOSED and needs_verification(case) and not case.verifications.all() \
        and not inherited


def require_verification_before_contact(case: WarningCase) -> None:
    if case.clues.filter(verifiable=True).exists() and not verifications_for(case).exists():
        raise ValidationError("线索具有可查性，须先了解、初核或调查，才能谈话或发函"
                              + words.cited(case_policy(case), "verifiable_clue"))
