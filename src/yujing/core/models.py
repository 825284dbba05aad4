"""Shared building blocks: gap-free yearly counters for numbers (clue numbers, document numbers)."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.db.models import F


class Counter(models.Model):
    """The last number given out for one key and year. Locked while a number is taken, so numbers
    have no gaps and no duplicates even when many are taken at once."""

    key = models.CharField("序列", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号序列"
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="counter_key_year_unique")]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.last}"


def next_number(key: str, year: int) -> int:
    """Take the next number of ``key`` for ``year``; must run inside the caller's transaction, so a
    rolled-back transaction gives its number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside a transaction")
    if not Counter.objects.filter(key=key, year=year).exists():
        try:
            with transaction.atomic():
                Counter.objects.create(key=key, year=year, last=0)
        except IntegrityError:
            pass  # created at the same moment by another transaction
    Counter.objects.filter(key=key, year=year).update(last=F("last") + 1)
    return Counter.objects.select_for_update().values_list("last", flat=True).get(key=key, year=year)
