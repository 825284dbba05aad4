"""Paging and sorting helpers for list operations."""

from typing import Any, Literal

from django.db.models import QuerySet


class LazyMap:
    """A sliceable view of a queryset that maps each row only for the page that is returned."""

    def __init__(self, queryset, fn):
        self.queryset, self.fn = queryset, fn

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self.fn(obj) for obj in self.queryset[item]]
        return self.fn(self.queryset[item])



def ordering_param(*keys: str) -> Any:
    """The type of a list's ``ordering`` parameter: each key, ascending or with ``-`` descending. An
    enum in the OpenAPI description, so clients (and the fuzzer) see exactly what is accepted."""
    return Literal[tuple(k for key in keys for k in (key, f"-{key}"))]  # type: ignore[valid-type]


def ordered(queryset: QuerySet, ordering: str | None, columns: dict[str, str]) -> QuerySet:
    """Sort by one of ``columns`` (``-`` for descending), the id breaking ties so pages never overlap."""
    if not ordering:
        return queryset
    sign = "-" if ordering.startswith("-") else ""
    return queryset.order_by(sign + columns[ordering.lstrip("-")], sign + "pk")
