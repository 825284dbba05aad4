"""Reading the roster and integrity files, scoped by :mod:`yujing.orgs.access`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from yujing.orgs import access
from yujing.sorting import Sorting

from .models import Cadre, IntegrityRecord

# the roster's sortable columns (?sort=key or -key); the default is by unit (tree order), principal first
CADRE_SORT = Sorting(Cadre, default=("unit__path", "-is_principal", "code"), shown_as="unit", columns={
    "name": ("name",), "unit": ("unit__path", "-is_principal", "code"), "position": ("position",), "rank": ("rank",),
    "principal": ("-is_principal", "unit__path", "code"), "managed_by": ("managed_by__path",), "code": ("code",),
})


def cadre_list(
    *,
    user: Any,
    q: str = "",
    unit_id: int | None = None,
    managed_by_id: int | None = None,
    principal: bool | None = None,
    scope_category: str = "",
    active: bool | None = True,
    sort: str = "",
) -> QuerySet[Cadre]:
    """The roster's rows; ``sort`` is a key of :data:`CADRE_SORT` (anything else: the default order)."""
    qs = access.restrict(Cadre.objects.all(), user, "cadre.view")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__iexact=q) | Q(position__contains=q))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if managed_by_id:
        qs = qs.filter(managed_by_id=managed_by_id)
    if principal is not None:
        qs = qs.filter(is_principal=principal)
    if scope_category:
        qs = qs.filter(scope_category=scope_category)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.select_related("unit", "managed_by").order_by(*CADRE_SORT.order_by(sort))


def cadre_get(*, user: Any, pk: int) -> Cadre:
    return access.get_object_or_deny(Cadre.objects.select_related("unit", "managed_by"), user, "cadre.view", pk=pk)


def integrity_file(*, user: Any, cadre: Cadre) -> QuerySet[IntegrityRecord] | None:
    """The cadre's integrity-file entries, or None when the user may not see the file. An entry whose 密级 (its
    case's) is above every clearance of the user's roles that read the file is left out, as the case is."""
    if not access.can(user, "cadre.view_integrity", cadre):
        return None
    return (access.restrict(cadre.integrity_records.all(), user, "cadre.view_integrity")
            .select_related("recorded_by").order_by("-recorded_on", "-id"))


def in_users_county(user: Any) -> QuerySet[Cadre]:
    """Every cadre managed within the counties the user works in (none when the user has no role)."""
    scope = Q(pk__in=[])
    for path in access.county_paths(user):
        scope |= Q(managed_by__path__startswith=path)
    return Cadre.objects.filter(scope)


def cadre_lookup(*, user: Any, q: str, limit: int = 20) -> list[Cadre]:
    """Find cadres by name or code across the user's county, to name them in a clue or transfer form.
    Only names and posts are shown; who may see more is decided by ``cadre.view``."""
    q = q.strip()
    if not q or not access.can(user, "cadre.lookup"):
        return []
    return list(
        in_users_county(user).filter(is_active=True)
        .filter(Q(name__contains=q) | Q(code__iexact=q))
        .select_related("unit")
        .order_by("name", "code")[:limit]
    )
