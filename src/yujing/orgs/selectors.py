"""Reading units. Every selector starts from :func:`yujing.orgs.access.restrict`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from . import access
from .models import Unit


def unit_list(*, user: Any, kind: str | None = None) -> QuerySet[Unit]:
    qs = access.restrict(Unit.objects.filter(is_active=True), user, "unit.view")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("parent").order_by("path")


def unit_get(*, user: Any, pk: int) -> Unit:
    return access.get_object_or_deny(Unit.objects.select_related("parent"), user, "unit.view", pk=pk)


def unit_tree(*, user: Any) -> list[Unit]:
    """Visible units in tree order, each with ``cadre_count`` (cadres it manages, 干部管理权限)."""
    from yujing.cadres.models import Cadre

    units = list(unit_list(user=user))
    counts = dict(
        Cadre.objects.filter(managed_by__in=[u.pk for u in units], is_active=True)
        .values("managed_by")
        .annotate(n=Count("id"))
        .values_list("managed_by", "n")
    )
    for unit in units:
        unit.cadre_count = counts.get(unit.pk, 0)
    return units


def county_of(unit: Unit) -> Unit | None:
    """The county a unit belongs to (itself when it is one)."""
    return Unit.objects.filter(id__in=unit.ancestor_ids(), kind=Unit.Kind.COUNTY).order_by("-depth").first()
