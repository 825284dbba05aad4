"""Shared building blocks: gap-free yearly counters for numbers (clue numbers, document numbers)."""

from __future__ import annotations

from django.conf import settings
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


class IdempotencyKey(models.Model):
    """One submission of a form or an API POST, remembered with its result for a while
    (``IDEMPOTENCY_HOURS``) so that a repeat — a double click, a client's retry — returns the first
    result instead of writing again (core/idempotency.py). Unique per user, API token, key and path, so two
    repeats arriving at the same moment cannot both write. The stored response body is encrypted (it
    may hold case content)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户")
    # the API token the request came with ("token:<id>"), empty for the browser session
    scope = models.CharField("令牌", max_length=32, blank=True, default="")
    key = models.CharField("幂等键", max_length=64)
    path = models.CharField("路径", max_length=255, help_text="超过255个字符的路径存其 SHA-256")
    fingerprint = models.CharField("请求摘要", max_length=64, help_text="请求内容的 SHA-256")
    status = models.PositiveSmallIntegerField("结果状态", null=True, blank=True, help_text="空：第一次提交仍在处理")
    content_type = models.CharField("结果类型", max_length=100, blank=True)
    content = models.TextField("结果(加密)", blank=True)
    location = models.CharField("结果地址", max_length=255, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    encrypted_fields = ("content",)

    class Meta:
        verbose_name = verbose_name_plural = "重复提交记录"
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key", "path"],
                                               name="idempotency_user_scope_key_path")]

    def __str__(self) -> str:
        return f"{self.path} {self.key[:12]}"
