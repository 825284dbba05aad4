"""Policy versions and holiday notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PolicyVersion(models.Model):
    """The exact text of a policy a case was started under (DESIGN.md §2: a case keeps its version).

    Rows are written once, keyed by the SHA-256 of the text, and never changed.
    """

    digest = models.CharField("摘要", max_length=64, unique=True)
    policy_id = models.CharField("策略标识", max_length=64)
    version = models.CharField("版本", max_length=32)
    name = models.CharField("名称", max_length=200)
    text = models.TextField("策略全文")
    first_loaded_at = models.DateTimeField("首次启用", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "策略版本"
        ordering = ["-first_loaded_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.version} ({self.digest[:8]})"


class HolidayNotice(models.Model):
    """A year's State Council holiday notice, entered by an administrator.

    It replaces the ``chinesecalendar`` package's data for its year, and is needed for every year
    the package does not know yet (the package covers 2004–2026).
    """

    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("通知名称", max_length=200)
    text = models.TextField("节假日安排", help_text="每行一项：名称 起始日期 至 结束日期；调休上班 日期")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日通知"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2200), name="holiday_notice_year_range")
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"
