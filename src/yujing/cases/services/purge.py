"""The retention purge (销毁): an administrator deletes archived cases whose retention period — the
policy's ``retention.keep_years`` counted from closing — has ended. It is the only place the
application deletes a case, and it is logged: one ``cases.case.purged`` event per case (its number,
dates, what was deleted) and one ``cases.purge.completed`` event with the reason and the approval.

What goes: the case, every step row, the generated documents and their files, the links to its
clues. What stays: the audit log (every event ever written about the case), the document-number
register (a 文号 once issued is never reused or removed, so the register keeps no gaps), the clues
themselves (they have their own life) and the cadre's integrity-file entries (the 个人廉政档案 is a
personnel record kept by its own rules).

Cases linked by escalation are purged together: a case escalated into another, or from one, waits
until every case in its chain is due, because each holds the other (PROTECT)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction

from yujing.audit.services import Origin, record
from yujing.orgs import access
from yujing.policy.loader import get_policy
from yujing.policy.periods import add_months

from ..models import CaseStep, Minutes, WarningCase

MIN_REASON = 4


def kept_until(closed_on: date, *, keep_years: int | None = None) -> date:
    """The last day a case closed on ``closed_on`` is kept (期间 counted from closing, 第二百零二条)."""
    years = keep_years if keep_years is not None else get_policy().rules.retention.keep_years
    return add_months(closed_on, 12 * years)


@dataclass
class Candidates:
    due: list[WarningCase] = field(default_factory=list)  # may be purged now
    held: list[tuple[WarningCase, str]] = field(default_factory=list)  # due, but linked to a case that is not


def _links(case_ids: set[int]) -> dict[int, set[int]]:
    """Escalation links touching ``case_ids``, both ways."""
    from ..models import Ending

    links: dict[int, set[int]] = {}
    pairs = list(WarningCase.objects.filter(escalated_from_id__isnull=False)
                 .filter(models.Q(pk__in=case_ids) | models.Q(escalated_from_id__in=case_ids))
                 .values_list("pk", "escalated_from_id"))
    pairs += list(Ending.objects.filter(new_case__isnull=False)
                  .filter(models.Q(case_id__in=case_ids) | models.Q(new_case_id__in=case_ids))
                  .values_list("case_id", "new_case_id"))
    for a, b in pairs:
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    return links


def candidates(user: Any, *, today: date, lock: bool = False) -> Candidates:
    """The archived cases in the user's reach (every 密级: the purge opens nothing) whose retention
    ended before ``today``, split into those that may go now and those held back by a link."""
    keep = get_policy().rules.retention.keep_years
    qs = access.restrict_unopened(WarningCase.objects.all(), user, "case.purge").filter(
        archived_on__isnull=False, closed_on__lte=add_months(today, -12 * keep)).order_by("closed_on", "pk")
    if lock:
        qs = qs.select_for_update()
    rows = [c for c in qs.select_related("unit_in_charge") if kept_until(c.closed_on, keep_years=keep) < today]
    due_ids = {c.pk for c in rows}
    links = _links(due_ids)
    blocked: dict[int, int] = {}
    changed = True
    while changed:  # a case linked to one that cannot go cannot go either
        changed = False
        for pk in due_ids - set(blocked):
            other = next((o for o in links.get(pk, ()) if o not in due_ids or o in blocked), None)
            if other is not None:
                blocked[pk] = other
                changed = True
    numbers = dict(WarningCase.objects.filter(pk__in=set(blocked.values())).values_list("pk", "number"))
    result = Candidates()
    for case in rows:
        if case.pk in blocked:
            result.held.append((case, f"与预警事项 {numbers[blocked[case.pk]]} 有升级关联，须一并到期后销毁"))
        else:
            result.due.append(case)
    return result


def _dependants() -> list[tuple[type[models.Model], str]]:
    """Every model that points at a case, with its field. A new one must be handled here, or the
    purge refuses to run (tested), so nothing is ever left pointing at a deleted case."""
    found = []
    for model in apps.get_models():
        for f in model._meta.get_fields(include_hidden=True):
            if isinstance(f, models.ForeignKey) and f.related_model is WarningCase:
                found.append((model, f.name))
    return found


HANDLED = {"cases.warningcase.escalated_from", "cases.ending.new_case", "documents.document.case"}


def _check_dependants() -> None:
    for model, name in _dependants():
        key = f"{model._meta.label_lower}.{name}"
        if key not in HANDLED and not (issubclass(model, CaseStep) and name == "case"):
            raise RuntimeError(f"{key} points at WarningCase: say in cases/services/purge.py what the purge does")


def purge_expired(*, by: Any, today: date, reason: str, origin: Origin | None = None) -> list[str]:
    """Delete every case in ``candidates(by).due``; returns their numbers. One transaction."""
    from yujing.documents.models import Document

    access.require(by, "case.purge")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": [f"请写明销毁依据（批准文件或会议），至少{MIN_REASON}个字"]})
    _check_dependants()
    files: list[Any] = []
    with transaction.atomic():
        found = candidates(by, today=today, lock=True)
        if not found.due:
            raise ValidationError("没有保存期满、可以销毁的预警事项")
        ids = [c.pk for c in found.due]
        keep = get_policy().rules.retention.keep_years
        deleted: dict[int, dict[str, int]] = {pk: {} for pk in ids}
        documents = Document.objects.filter(case_id__in=ids)
        for doc in documents:
            files += [f for f in (doc.docx, doc.pdf) if f]
        for case_id, count in _count_by_case(documents):
            deleted[case_id]["文书"] = count
        steps = [m for m in apps.get_models() if issubclass(m, CaseStep)]
        for model in steps:
            for case_id, count in _count_by_case(model.objects.filter(case_id__in=ids)):
                deleted[case_id][str(model._meta.verbose_name)] = count
        # the committee minutes hang on a decision, not the case: they and their files go first
        minutes = Minutes.objects.filter(decision__case_id__in=ids)
        files += [m.file for m in minutes if m.file]
        for m in minutes.select_related("decision"):
            deleted[m.decision.case_id]["常委会会议纪要"] = deleted[m.decision.case_id].get("常委会会议纪要", 0) + 1
        documents.delete()
        minutes.delete()
        for model in steps:
            model.objects.filter(case_id__in=ids).delete()
        WarningCase.clues.through.objects.filter(warningcase_id__in=ids).delete()
        WarningCase.objects.filter(pk__in=ids).update(escalated_from=None)
        for case in found.due:
            record("cases.case.purged", by=by, obj=case, unit_path=case.unit_in_charge.path, origin=origin, data={
                "number": case.number, "secrecy": case.secrecy, "closed_on": case.closed_on.isoformat(),
                "archived_on": case.archived_on.isoformat(),
                "kept_until": kept_until(case.closed_on, keep_years=keep).isoformat(),
                "deleted": deleted[case.pk], "reason": reason})
        WarningCase.objects.filter(pk__in=ids).delete()
        record("cases.purge.completed", by=by, origin=origin, data={
            "count": len(ids), "numbers": [c.number for c in found.due], "reason": reason,
            "held": [c.number for c, _ in found.held], "keep_years": keep, "date": today.isoformat()})
        # the files go only once the rows are gone for good
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])
    return [c.number for c in found.due]


def _count_by_case(qs: models.QuerySet) -> list[tuple[int, int]]:
    return list(qs.order_by().values("case_id").annotate(n=models.Count("pk")).values_list("case_id", "n"))
