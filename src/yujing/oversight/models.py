"""Reminders sent and the supervisors' notes on lapses (第三十三条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yujing.core.dates import office_day


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


class QuarterlyReport(models.Model):
    """A unit's quarterly statistics report (预警工作统计报表, 第四条): computed from the data, reviewed,
    remarked on and submitted; once submitted its figures are frozen, and later changes in the data
    show as differences, never as silent edits."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已报送"
        RETURNED = "returned", "已退回"

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="quarterly_reports",
                             verbose_name="报送单位")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    figures = models.JSONField("报送时的数字")
    categories = models.JSONField("问题类别", default=list)
    remarks = models.TextField("说明", blank=True)
    due_on = models.DateField("报送期限")
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="报送人")
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="退回人")
    return_reason = models.TextField("退回理由", blank=True)

    jurisdiction_path = "unit__path"
    view_actions = ("report.view",)

    class Meta:
        verbose_name = verbose_name_plural = "季度统计报表"
        ordering = ["-year", "-quarter", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "quarter"], name="report_once_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="report_quarter_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年第{self.quarter}季度"

    @property
    def late(self) -> bool:
        return office_day(self.submitted_at) > self.due_on


ASSESSMENT_ITEMS = (
    ("duties", "党委(党组)及部门履行预警工作职责情况"),
    ("leaders", "党委(党组)有关领导干部实施预警工作情况"),
    ("coordination", "纪委(纪检组)组织协调预警工作情况"),
    ("petitions", "群众信访举报涉及预警内容的处理情况"),
    ("rules", "相关配套制度建设情况"),
)


class Assessment(models.Model):
    """The annual assessment of a unit (检查考核, 第三十二条): five items, the measurable parts taken from
    the data when scored, the rest scored by the assessor with comments."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="assessments", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    metrics = models.JSONField("数据指标", default=dict)
    scores = models.JSONField("得分与评语", default=dict)
    total = models.DecimalField("总分", max_digits=5, decimal_places=1, default=0)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="考核人")
    updated_at = models.DateTimeField("评分时间", auto_now=True)

    jurisdiction_path = "unit__path"
    view_actions = ("assessment.view",)

    class Meta:
        verbose_name = verbose_name_plural = "检查考核"
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="assessment_once_a_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度考核"


class JointMeeting(models.Model):
    """A meeting of the joint-meeting member units (联席会议, 第五条): attendance, minutes, and the clues
    raised there (registered as clues from the member-unit channel)."""

    county = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="joint_meetings",
                               verbose_name="县")
    held_on = models.DateField("会议日期")
    place = models.CharField("地点", max_length=100)
    topic = models.CharField("议题", max_length=200)
    attendees = models.ManyToManyField("orgs.Unit", related_name="+", verbose_name="出席的成员单位")
    attendee_names = models.TextField("出席人员", blank=True)
    minutes = models.TextField("会议纪要")
    clues = models.ManyToManyField("clues.Clue", related_name="+", blank=True, verbose_name="会上提出的线索")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="记录人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    jurisdiction_path = "county__path"
    view_actions = ("meeting.view",)

    class Meta:
        verbose_name = verbose_name_plural = "联席会议"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class Circular(models.Model):
    """The quarter's figures circulated to the member units (通报, 第四条、第五条); each member's
    liaison sees it."""

    county = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="circulars", verbose_name="县")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    figures = models.JSONField("数字")
    content = models.TextField("通报内容")
    recipients = models.ManyToManyField("orgs.Unit", related_name="received_circulars", verbose_name="成员单位")
    sent_on = models.DateField("通报日期")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="通报人")

    class Meta:
        verbose_name = verbose_name_plural = "季度情况通报"
        ordering = ["-sent_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["county", "year", "quarter"], name="circular_once_a_quarter")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年第{self.quarter}季度预警工作情况通报"
