"""The audit log: append-only and hash-chained (第三十三条(六) — breaches must be visible)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yujing.core.dates import office_time


class Event(models.Model):
    """One thing that happened: a state change or a view of something confidential.

    ``hash`` is SHA-256 over the previous event's hash and this event's content, so editing,
    deleting or inserting a row breaks the chain (``yujing audit_verify`` finds where).
    """

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("事件", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=80, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    unit_path = models.CharField("所属单位路径", max_length=255, blank=True, db_index=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    jurisdiction_path = "unit_path"

    class Meta:
        verbose_name = verbose_name_plural = "审计事件"
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object")]

    def __str__(self) -> str:
        return f"{office_time(self.at):%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


class ChainHead(models.Model):
    """A single row locked by every writer so that events are chained one after another."""

    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"{self.count} 条 · {self.last_hash[:12]}"
