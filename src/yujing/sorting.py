"""Server-side sorting of the paginated lists (ledger, clues, roster).

Each list declares a whitelist — ``Sorting(model, columns={key: fields}, default=…)`` in its selectors
module — and only keys from it ever reach ``order_by``: an unknown ``?sort=`` is the list's own order,
never an error. ``?sort=key`` sorts ascending, ``?sort=-key`` descending. The primary key always breaks
ties so that pages never overlap. A field with choices sorts in the order its choices are declared
(workflow order, severity, rank) rather than by its stored code, and a field with ``ranked_values()``
(a measure key: the policy's order, lightest first) in the order that returns; empty values come last
either way.

The page's column headers are drawn by the ``sort_th`` template tag from :meth:`Sorting.state`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Case, F, IntegerField, OrderBy, Value, When
from django.http import QueryDict


def _resolve(model: type[models.Model], path: str) -> models.Field:
    """The model field at the end of a ``a__b__c`` lookup path."""
    parts = path.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model  # type: ignore[assignment]
    return model._meta.get_field(parts[-1])  # type: ignore[return-value]


def _order(model: type[models.Model], path: str | Any, *, descending: bool) -> OrderBy:
    if not isinstance(path, str):  # an expression, e.g. a date that only some rows show
        return path.desc(nulls_last=True) if descending else path.asc(nulls_last=True)
    if path.startswith("-"):  # a field that runs against its column (principal first, in a unit)
        path, descending = path[1:], not descending
    target = _resolve(model, path)
    expression: Any = F(path)
    nullable = target.null
    # a field whose values are not fixed in code (a measure key) ranks them itself, at the time of the request
    ranked = target.ranked_values() if hasattr(target, "ranked_values") else [v for v, _ in target.choices or ()]
    if ranked:
        # a value outside the choices (the blank of an optional field) ranks as empty
        expression = Case(*[When(**{path: value}, then=Value(rank)) for rank, value in enumerate(ranked)],
                          default=Value(None), output_field=IntegerField())
        nullable = True
    if descending:
        return expression.desc(nulls_last=True) if nullable else expression.desc()
    return expression.asc(nulls_last=True) if nullable else expression.asc()


@dataclass(frozen=True)
class SortState:
    """The sort a page was asked for, as its column headers need it."""

    key: str  # the sorted column; "" when the default order matches no column
    descending: bool
    query: QueryDict  # the page's other parameters (filters), without page and sort


@dataclass(frozen=True)
class Sorting:
    model: type[models.Model]
    columns: Mapping[str, tuple[Any, ...]]  # key in the URL -> field paths (or expressions), ascending
    default: tuple[str, ...] = field(default=())
    shown_as: str = ""  # the column (``key`` or ``-key``) whose header marks the default order, if one matches it

    def __post_init__(self) -> None:
        for fields in self.columns.values():  # fail at import, not on the first request
            for path in fields:
                if isinstance(path, str):
                    _resolve(self.model, path.removeprefix("-"))
        if self.shown_as and self.shown_as.removeprefix("-") not in self.columns:
            raise ValueError(f"shown_as {self.shown_as!r} is not one of the columns")

    def parse(self, raw: str | None) -> tuple[str, bool]:
        """``(key, descending)`` for a whitelisted ``raw``; ``("", False)`` (the default order) for anything else."""
        raw = (raw or "").strip()
        key = raw.removeprefix("-")
        if key not in self.columns:
            return "", False
        return key, raw.startswith("-")

    def order_by(self, raw: str | None) -> list[Any]:
        key, descending = self.parse(raw)
        if not key:
            return list(self.default)
        fields = [*self.columns[key], self.model._meta.pk.name]
        return [_order(self.model, path, descending=descending) for path in fields]

    def state(self, query: QueryDict) -> SortState:
        key, descending = self.parse(query.get("sort"))
        if not key:
            key, descending = self.parse(self.shown_as)
        rest = query.copy()
        for name in ("page", "sort"):
            rest.pop(name, None)
        return SortState(key, descending, rest)
