"""Changes to the calendar and the registry of policy versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from yujing.audit.services import Origin, record
from yujing.orgs import access

from .holidays import format_notice, parse_notice
from .loader import get_policy
from .models import HolidayNotice, PolicyVersion
from .schema import Policy


@transaction.atomic
def enter_holiday_notice(*, year: int, title: str, text: str, by: Any, origin: Origin | None = None) -> HolidayNotice:
    """Record a year's State Council holiday notice; it replaces the package's data for that year.

    Raises :class:`~yujing.policy.holidays.NoticeError` (line by line) and writes nothing when the
    text cannot be read.
    """
    if not access.can(by, "calendar.manage"):
        raise PermissionDenied("只有系统管理员可以录入节假日通知")
    days = parse_notice(year, text)
    notice = HolidayNotice.objects.select_for_update().filter(year=year).first()
    before = notice.text if notice else None
    normalised = format_notice(days)
    if notice is None:
        notice = HolidayNotice.objects.create(year=year, title=title.strip(), text=normalised, entered_by=by)
    else:
        notice.title, notice.text, notice.entered_by = title.strip(), normalised, by
        notice.save(update_fields=["title", "text", "entered_by", "entered_at"])
    recomputed = recompute_due_dates(year=year)
    record(
        "policy.holiday_notice.entered",
        by=by,
        obj=notice,
        origin=origin,
        data={"year": year, "before": before, "after": normalised, "holidays": len(days.holidays),
              "workdays": len(days.workdays), "recomputed": recomputed},
    )
    return notice


def recompute_due_dates(*, year: int) -> list[dict[str, Any]]:
    """Count again every stored, still running time limit that may have reached into ``year``, now that
    its holiday notice is in: a limit counted without it was 暂定 (plain weekends), and with it may end on
    another day (第二百零三条 rolls over the holidays the notice names). Runs inside the notice's
    transaction; returns what changed, for its audit event.

    A limit can only involve ``year`` if it ends on or after 1 January of it and started no later than
    31 December; finished steps (a clue screened, a case implemented or answered) keep their limits as
    history, and a response limit set by an approved extension is a date decided, not counted.
    """
    from yujing.cases.models import Extension, Status, WarningCase
    from yujing.cases.services import implementation_due, response_due
    from yujing.clues.models import Clue
    from yujing.clues.services import clue_policy, screening_due

    first, last = date(year, 1, 1), date(year, 12, 31)
    changes: list[dict[str, Any]] = []

    def note(kind: str, number: str, field: str, before: date, before_p: bool, after: date, after_p: bool) -> None:
        if (before, before_p) != (after, after_p):
            changes.append({"kind": kind, "number": number, "field": field, "before": before.isoformat(),
                            "after": after.isoformat(), "provisional": after_p})

    clues = Clue.objects.select_for_update().filter(status=Clue.Status.REGISTERED, screening_due__gte=first)
    for clue in clues.select_related("policy_version").prefetch_related("routings").order_by("pk"):
        # the current handler's limit runs from the day it received the clue: the last routing, if any
        routings = list(clue.routings.all())
        start = routings[-1].routed_on if routings else clue.received_on
        if start > last:
            continue
        deadline = screening_due(start, clue_policy(clue))  # the version the clue was received under
        note("clue", clue.number, "screening_due", clue.screening_due, clue.screening_provisional,
             deadline.date, deadline.provisional)
        clue.screening_due, clue.screening_provisional = deadline.date, deadline.provisional
        clue.save(update_fields=["screening_due", "screening_provisional"])

    cases = WarningCase.objects.select_for_update().select_related("policy_version")
    for case in cases.filter(status=Status.APPROVED, implementation_due__gte=first, approved_on__lte=last,
                             implemented_on__isnull=True).order_by("pk"):
        deadline = implementation_due(case, case.approved_on)
        note("case", case.number, "implementation_due", case.implementation_due, case.implementation_provisional,
             deadline.date, deadline.provisional)
        case.implementation_due, case.implementation_provisional = deadline.date, deadline.provisional
        case.save(update_fields=["implementation_due", "implementation_provisional"])
    extended = Extension.objects.filter(outcome=Extension.Outcome.APPROVED).values("case_id")
    for case in cases.filter(status=Status.AWAITING_RESPONSE, response_due__gte=first, response_start__lte=last,
                             responded_on__isnull=True).exclude(pk__in=extended).order_by("pk"):
        deadline = response_due(case, case.response_start)
        note("case", case.number, "response_due", case.response_due, case.response_provisional,
             deadline.date, deadline.provisional)
        case.response_due, case.response_provisional = deadline.date, deadline.provisional
        case.save(update_fields=["response_due", "response_provisional"])
    from yujing.cases.models import CaseLimit
    from yujing.cases.services._common import due as case_due

    # a measure's further deadlines (a not-before date does not roll, so a notice does not move it)
    limits = CaseLimit.objects.select_for_update().select_related("case__policy_version").filter(
        done_on__isnull=True, kind="deadline", due__gte=first, start__lte=last).exclude(case__status__in=list(WarningCase.CLOSED))
    for limit in limits.order_by("pk"):
        rule = limit.case.policy_version and _limit_rule(limit)
        if rule is None:
            continue
        deadline = case_due(limit.case, limit.start, rule.period)
        note("case", limit.case.number, f"limit:{limit.key}", limit.due, limit.provisional, deadline.date,
             deadline.provisional)
        limit.due, limit.provisional = deadline.date, deadline.provisional
        limit.save(update_fields=["due", "provisional"])
    from yujing.cases.models import LetterRound
    from yujing.cases.services._common import case_policy
    from yujing.cases.services.again import further_letter

    # a further letter decided and not yet issued (``again``): its limit counted from the decision
    rounds = LetterRound.objects.select_for_update().select_related("case__policy_version").filter(
        case__status=Status.APPROVED, due__gte=first, decided_on__lte=last)
    for decided in rounds.order_by("pk"):
        if further_letter(decided.case) != decided:
            continue
        again = case_policy(decided.case).measure(decided.case.measure).again
        if again is None:
            continue
        period = again.period or case_policy(decided.case).rules.implementation.period
        deadline = case_due(decided.case, decided.decided_on, period)
        note("case", decided.case.number, f"again:{decided.number}", decided.due, decided.provisional, deadline.date,
             deadline.provisional)
        decided.due, decided.provisional = deadline.date, deadline.provisional
        decided.save(update_fields=["due", "provisional"])
    return changes


def _limit_rule(limit: Any) -> Any:
    from yujing.cases.services._common import measure_rules

    return measure_rules(limit.case).limit(limit.key)


def register_policy_version(policy: Policy | None = None) -> PolicyVersion:
    """The stored version of ``policy`` (default: the policy in force), created on first use.

    Cases keep a reference to this row, so a later change of the policy file leaves them under the
    rules they started with (DESIGN.md §2).
    """
    policy = policy or get_policy()
    meta = policy.rules.policy
    version, _ = PolicyVersion.objects.get_or_create(
        digest=policy.digest,
        defaults={"policy_id": meta.id, "version": meta.version, "name": meta.name, "text": policy.text},
    )
    return version
