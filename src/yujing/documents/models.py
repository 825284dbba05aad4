"""Generated documents and their numbers (第二十一条: 统一规范的文书; 第二十六条: 一案一例)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from yujing.core.dates import office_time
from yujing.orgs.models import Unit


class DocumentNumber(models.Model):
    """A 文号 from the issuer's sequence for the year, e.g. 寿纪预〔2026〕3号 — without gaps or
    duplicates. A voided number stays taken and visible; the next issue of that document gets a new one."""

    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="document_numbers", verbose_name="发文单位")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("顺序号")
    text = models.CharField("文号", max_length=60)
    form = models.CharField("文书", max_length=40)
    subject = models.CharField("对象", max_length=40, help_text="如 case:12、talk:5")
    issued_at = models.DateTimeField("取号时间", auto_now_add=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="作废人")
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "文号"
        ordering = ["issuer", "year", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "seq"], name="document_number_unique"),
            models.UniqueConstraint(fields=["form", "subject"], condition=models.Q(voided_at__isnull=True),
                                    name="document_number_one_live_per_subject"),
        ]

    def __str__(self) -> str:
        return self.text + ("（已作废）" if self.voided_at else "")


def document_path(instance: Document, filename: str) -> str:
    return f"documents/{office_time(instance.generated_at):%Y/%m}/{uuid.uuid4().hex}{filename[filename.rfind('.'):]}"


class Document(models.Model):
    """One generated version of a form, kept in the case (or clue) file. Regenerating adds a version;
    nothing is overwritten or deleted."""

    form = models.CharField("文书", max_length=40)
    subject = models.CharField("对象", max_length=40)
    case = models.ForeignKey("cases.WarningCase", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="documents", verbose_name="预警事项")
    clue = models.ForeignKey("clues.Clue", on_delete=models.PROTECT, null=True, blank=True, related_name="documents",
                             verbose_name="线索")
    number = models.ForeignKey(DocumentNumber, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="documents", verbose_name="文号")
    version = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=200)
    docx = models.FileField("DOCX", upload_to=document_path, max_length=200)
    pdf = models.FileField("PDF", upload_to=document_path, max_length=200, blank=True)
    pdf_note = models.CharField("无 PDF 的原因", max_length=200, blank=True,
                                help_text="没有 PDF 时说明原因（如服务器未安装 LibreOffice）；DOCX 照常生成")
    docx_sha256 = models.CharField(max_length=64)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="生成人")
    generated_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = verbose_name_plural = "文书"
        ordering = ["generated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "subject", "version"], name="document_version_unique"),
            models.CheckConstraint(condition=models.Q(case__isnull=False) | models.Q(clue__isnull=False),
                                   name="document_belongs_somewhere"),
        ]

    def __str__(self) -> str:
        return f"{self.title} 第{self.version}版"
