"""Reminders sent and the supervisors' notes on lapses (第三十三条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One user's daily digest of items due soon and missed: shown in the application and sent by
    e-mail. Unique per user and day, which is what makes the reminder run idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name="用户")
    day = models.DateField("日期")
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    items = models.JSONField("事项", default=list)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    email_error = models.CharField("邮件错误", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "提醒"
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="notification_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day} {self.subject}"


class LapseNote(models.Model):
    """A supervisor's note on a lapse (explained, accountability started). Notes are only added: the
    lapses themselves are computed from the data and can never be deleted."""

    class Status(models.TextChoices):
        EXPLAINED = "explained", "已说明情况"
        ACCOUNTABILITY = "accountability", "已启动责任追究"
        NOTED = "noted", "已知悉"

    key = models.CharField("问题", max_length=80, db_index=True)
    status = models.CharField("处理情况", max_length=20, choices=Status.choices)
    note = models.TextField("说明")
    unit_path = models.CharField(max_length=255, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人")
    at = models.DateTimeField("记录时间", auto_now_add=True)

    jurisdiction_path = "unit_path"

    class Meta:
        verbose_name = verbose_name_plural = "责任追究情形处理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.key} {self.get_status_display()}"
