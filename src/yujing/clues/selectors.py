"""Reading clues, always scoped by :mod:`yujing.orgs.access`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When

from yujing.cases.models import WarningCase
from yujing.orgs import access
from yujing.sorting import Sorting

from .models import Attachment, Clue, ClueCadre


def with_lateness(qs: QuerySet[Clue], today: date) -> QuerySet[Clue]:
    """Annotate ``is_late``: still waiting for screening after its time limit (第三十三条(二)).
    Derived from the data on every read, never a stored flag."""
    return qs.annotate(
        is_late=Case(
            When(status=Clue.Status.REGISTERED, screening_due__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


@dataclass(frozen=True)
class ClueFilters:
    q: str = ""
    channel: str = ""
    status: str = ""
    unit_id: int | None = None
    cadre_id: int | None = None
    category_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    late: bool | None = None


# the clue list's sortable columns (?sort=key or -key); the default is the newest clue first
CLUE_SORT = Sorting(Clue, default=("-received_on", "-id"), shown_as="-received", columns={
    "number": ("number",), "received": ("received_on",), "channel": ("channel",), "unit": ("handling_unit__path",),
    "status": ("status",),
    # the list shows the time limit only while a clue waits for screening; the others sort after those
    "screening_due": (Case(When(status=Clue.Status.REGISTERED, then=F("screening_due"))),),
})


def clue_list(*, user: Any, today: date, filters: ClueFilters | None = None, sort: str = "") -> QuerySet[Clue]:
    """The clue list's rows; ``sort`` is a key of :data:`CLUE_SORT` (anything else: the default order)."""
    f = filters or ClueFilters()
    qs = with_lateness(access.restrict(Clue.objects.all(), user, "clue.view"), today)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(summary__contains=f.q) | Q(concerned__name__contains=f.q)).distinct()
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unit_id:
        qs = qs.filter(handling_unit_id=f.unit_id)
    if f.cadre_id:
        qs = qs.filter(Exists(ClueCadre.objects.filter(clue=OuterRef("pk"), cadre_id=f.cadre_id)))
    if f.category_id:
        qs = qs.filter(categories__id=f.category_id)
    if f.received_from:
        qs = qs.filter(received_on__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_on__lte=f.received_to)
    if f.late is not None:
        qs = qs.filter(is_late=f.late)
    return qs.select_related("handling_unit").prefetch_related(
        Prefetch("concerned", queryset=ClueCadre.objects.order_by("id"))
    ).order_by(*CLUE_SORT.order_by(sort))


def clue_get(*, user: Any, pk: int, today: date, action: str = "clue.view") -> Clue:
    qs = with_lateness(Clue.objects.all(), today).select_related(
        "handling_unit", "source_unit", "registered_by", "screened_by", "merged_into", "policy_version",
        "transfer__from_unit", "transfer__filed_by",
    ).prefetch_related(
        Prefetch("concerned", queryset=ClueCadre.objects.select_related("cadre__unit", "cadre__managed_by").order_by("id")),
        "categories",
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        "routings__from_unit", "routings__to_unit", "routings__routed_by",
        "merged_clues", "feedback__sent_by",
        Prefetch("cases", queryset=WarningCase.objects.select_related("target")),
    )
    return access.get_object_or_deny(qs, user, action, pk=pk)


# a liaison sees the people its own form named — not those of duplicates merged into it later
_OWN_PEOPLE = Prefetch("concerned", queryset=ClueCadre.objects.filter(merged_from__isnull=True).order_by("id"))


def transfer_list(*, user: Any) -> QuerySet[Clue]:
    """The transfers a liaison's unit filed — what a liaison may see, and nothing else (第十三条)."""
    return (
        access.restrict(Clue.objects.filter(transfer__isnull=False), user, "transfer.view")
        .select_related("transfer", "transfer__from_unit")
        .prefetch_related(_OWN_PEOPLE, "feedback")
        .order_by("-transfer__transferred_on", "-id")
    )


def transfer_get(*, user: Any, pk: int) -> Clue:
    qs = Clue.objects.filter(transfer__isnull=False).select_related("transfer__from_unit").prefetch_related(
        _OWN_PEOPLE, "feedback"
    )
    return access.get_object_or_deny(qs, user, "transfer.view", pk=pk)


def attachment_get(*, user: Any, pk: int) -> Attachment:
    return access.get_object_or_deny(Attachment.objects.select_related("clue__handling_unit"), user, "clue.view", pk=pk)


def open_items(*, user: Any, cadre_ids: list[int]) -> dict[int, dict[str, int]]:
    """Open clues and cases per cadre, counted only where the user may see them (so a warning on the
    roster search never tells anyone about clues outside their jurisdiction)."""
    result: dict[int, dict[str, int]] = {pk: {"clues": 0, "cases": 0} for pk in cadre_ids}
    if not cadre_ids:
        return result
    if access.can(user, "clue.view"):
        clues = access.restrict(Clue.objects.filter(status__in=[Clue.Status.REGISTERED, Clue.Status.HANDLE]), user,
                                "clue.view")
        rows = ClueCadre.objects.filter(cadre_id__in=cadre_ids, clue__in=clues).values_list("cadre_id", "clue_id")
        for cadre_id, _ in set(rows):
            result[cadre_id]["clues"] += 1
    if access.can(user, "case.view"):
        cases = access.restrict(WarningCase.objects.exclude(status__in=WarningCase.CLOSED), user, "case.view")
        for cadre_id in cases.filter(target_id__in=cadre_ids).values_list("target_id", flat=True):
            result[cadre_id]["cases"] += 1
    return result


LIAISON_PROGRESS = {
    Clue.Status.REGISTERED: "已接收，正在筛选",
    Clue.Status.HANDLE: "已受理，正在办理",
    Clue.Status.CASE_CLUE: "已按规定处理",
    Clue.Status.NO_ACTION: "已按规定处理",
    Clue.Status.MERGED: "已与相同问题的线索合并办理",
}


def liaison_progress(clue: Clue) -> str:
    """What a liaison is told of a clue's progress: whether it is being handled or done, never how
    (a case clue's fate is confidential)."""
    if clue.feedback.all():
        return "已办结并反馈"
    return LIAISON_PROGRESS[clue.status]
