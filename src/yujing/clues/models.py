"""Warning clues: intake from the eight channels, transfer forms, screening (第十至十六条)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from yujing.cadres.models import Cadre
from yujing.core.dates import office_time
from yujing.orgs.models import Unit
from yujing.orgs.roles import Secrecy

from .channels import Channel


class ProblemCategory(models.Model):
    """A configurable list of problem categories (问题类别), kept by administrators."""

    name = models.CharField("名称", max_length=60, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题类别"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Clue(models.Model):
    """A warning clue (预警线索). ``handling_unit`` is the unit whose discipline body holds it now
    and so decides who sees and screens it (干部管理权限, 第十四条)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "待筛选"
        HANDLE = "handle", "本级处理"
        CASE_CLUE = "case_clue", "案件线索(移送查办)"
        NO_ACTION = "no_action", "了结存档"
        MERGED = "merged", "已并入其他线索"

    number = models.CharField("线索编号", max_length=40, unique=True)
    received_on = models.DateField("收到日期")
    channel = models.CharField("来源渠道", max_length=32, choices=Channel.choices)
    source_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="来源单位"
    )
    source_name = models.CharField("来源说明", max_length=200, blank=True, help_text="如媒体名称、信访件编号")
    summary = models.CharField("问题摘要", max_length=200)
    detail = models.TextField("反映的主要问题")
    categories = models.ManyToManyField(ProblemCategory, blank=True, related_name="clues", verbose_name="问题类别")
    # the indicator's value when the policy sets a threshold for the channel ([[triggers]]: 民主测评满意率低于60%);
    # what it measures and the threshold are read from the clue's policy version
    indicator_value = models.DecimalField("指标值", max_digits=14, decimal_places=4, null=True, blank=True)

    # reporter identity, encrypted at rest (core.crypto); never in lists, revealed only with a log entry
    is_anonymous = models.BooleanField("匿名", default=True)
    reporter_name = models.TextField("举报人姓名(密文)", blank=True)
    reporter_contact = models.TextField("举报人联系方式(密文)", blank=True)
    reporter_id_number = models.TextField("举报人身份证号(密文)", blank=True)

    handling_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="clues", verbose_name="承办单位")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.REGISTERED)
    screening_due = models.DateField("筛选期限")
    screening_provisional = models.BooleanField("筛选期限为暂定", default=False)
    verifiable = models.BooleanField("具有可查性", null=True, blank=True,
                                     help_text="具有可查性的线索，须经了解、初核或调查后方可实施预警")
    screened_on = models.DateField("筛选日期", null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="筛选人"
    )
    screening_reason = models.TextField("筛选意见", blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_clues", verbose_name="并入"
    )
    policy_version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT, related_name="+",
                                       verbose_name="策略版本")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)

    secrecy = models.CharField("密级", max_length=12, choices=Secrecy.choices, default=Secrecy.NORMAL)

    jurisdiction_path = "handling_unit__path"
    secrecy_field = "secrecy"
    owner_unit_field = "transfer__from_unit"
    view_actions = ("clue.view", "transfer.view")
    encrypted_fields = ("reporter_name", "reporter_contact", "reporter_id_number")

    class Meta:
        verbose_name = verbose_name_plural = "预警线索"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["handling_unit", "status", "received_on"], name="clue_unit_status_received"),
            models.Index(fields=["status", "screening_due"], name="clue_status_due"),
            models.Index(fields=["received_on"], name="clue_received"),
            # a county's clues, newest first, and filtered by channel: the clue list and the first clue of
            # a county (deadline board), without reading the province's other clues
            models.Index(fields=["handling_unit", "received_on"], name="clue_unit_received"),
            models.Index(fields=["handling_unit", "channel", "received_on"], name="clue_unit_channel_received"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["registered", "handle", "case_clue", "no_action",
                                                                  "merged"]), name="clue_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(merged_into__isnull=False), name="clue_merged_has_target"
            ),
            models.CheckConstraint(
                condition=models.Q(status="registered") | models.Q(status="merged") | models.Q(screened_on__isnull=False),
                name="clue_screened_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.summary}"


class ClueCadre(models.Model):
    """A cadre a clue concerns: from the roster, or only named when not on it."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="concerned", verbose_name="线索")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, null=True, blank=True, related_name="clue_links",
                              verbose_name="干部")
    name = models.CharField("姓名", max_length=50)
    unit_text = models.CharField("单位", max_length=100, blank=True)
    position_text = models.CharField("职务", max_length=100, blank=True)
    merged_from = models.ForeignKey(Clue, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="合并自", help_text="由重复线索并入；移送单位看不到这些人")

    class Meta:
        verbose_name = verbose_name_plural = "线索涉及干部"
        constraints = [
            models.UniqueConstraint(fields=["clue", "cadre"], condition=models.Q(cadre__isnull=False),
                                    name="clue_cadre_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ClueTransfer(models.Model):
    """The transfer form (预警线索移送表, 第十三条) a member unit's liaison filled in."""

    clue = models.OneToOneField(Clue, on_delete=models.CASCADE, related_name="transfer", verbose_name="线索")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="clue_transfers", verbose_name="移送单位")
    transferred_on = models.DateField("移送日期")
    found_how = models.TextField("发现途径", blank=True)
    unit_opinion = models.TextField("移送单位意见", blank=True)
    contact_person = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=30)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="填表人")

    class Meta:
        verbose_name = verbose_name_plural = "预警线索移送表"

    def __str__(self) -> str:
        return f"{self.from_unit} {self.transferred_on}"


class Routing(models.Model):
    """A clue reported up to (or referred down to) the unit that manages the cadre (第十四条)."""

    class Direction(models.TextChoices):
        UP = "up", "报告上级"
        DOWN = "down", "交办下级"

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="routings", verbose_name="线索")
    direction = models.CharField("方向", max_length=4, choices=Direction.choices)
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="原承办单位")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="接收单位")
    routed_on = models.DateField("报送日期")
    due_at_sender = models.DateField("原筛选期限")
    reason = models.TextField("理由")
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="经办人")

    class Meta:
        verbose_name = verbose_name_plural = "线索报送记录"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit}"

    @property
    def late(self) -> bool:
        return self.routed_on > self.due_at_sender


def attachment_path(instance: Attachment, filename: str) -> str:
    # no user-supplied name or extension on disk: the stored name is random
    return f"attachments/{office_time(instance.uploaded_at):%Y/%m}/{instance.storage_key.hex}"


class Attachment(models.Model):
    """A file attached to a clue, stored outside the web root and served only through a view that
    checks access (第三十三条(六))."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        PNG = "png", "PNG 图片"
        JPEG = "jpeg", "JPEG 图片"
        DOCX = "docx", "Word 文档"
        XLSX = "xlsx", "Excel 表格"

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="attachments", verbose_name="线索")
    storage_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间")

    jurisdiction_path = "clue__handling_unit__path"
    secrecy_field = "clue__secrecy"
    view_actions = ("clue.view",)

    class Meta:
        verbose_name = verbose_name_plural = "线索附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ClueFeedback(models.Model):
    """The outcome told to a clue's source when the warning ends (第十四条: 预警结束后, 预警办将预警情况
    向预警线索来源部门通报)."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="feedback", verbose_name="线索")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="反馈对象单位")
    sent_on = models.DateField("反馈日期")
    content = models.TextField("反馈内容")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="反馈人")

    jurisdiction_path = "clue__handling_unit__path"
    secrecy_field = "clue__secrecy"
    owner_unit_field = "clue__transfer__from_unit"
    view_actions = ("clue.view", "transfer.view")

    class Meta:
        verbose_name = verbose_name_plural = "线索办理情况反馈"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.clue.number} {self.sent_on}"
