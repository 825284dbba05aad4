"""Warning cases: one target cadre, one measure, one file (一案一例, 第二十六条), and every step of
the workflow of 第十五至三十一条 as a row of its own."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from yujing.cadres.models import Cadre
from yujing.core.dates import cn_date, office_time
from yujing.orgs.models import Unit
from yujing.orgs.roles import Secrecy

from . import measures

USER = settings.AUTH_USER_MODEL


class Delivery(models.TextChoices):
    """第二十一条, 第二十二条: 书面预警 / 谈话预警."""

    LETTER = "letter", "书面预警"
    TALK = "talk", "谈话预警"


class Status(models.TextChoices):
    PROPOSED = "proposed", "待审批"
    APPROVED = "approved", "已批准，待实施"
    IMPLEMENTED = "implemented", "已实施"
    AWAITING_RESPONSE = "awaiting_response", "待答复或整改"
    RESPONDED = "responded", "已答复或报告整改"
    LIFTED = "lifted", "已解除预警"
    ESCALATED = "escalated", "已升级处理"
    REJECTED = "rejected", "未获批准"
    WITHDRAWN = "withdrawn", "已撤回"


CLOSED = frozenset({Status.LIFTED, Status.ESCALATED, Status.REJECTED, Status.WITHDRAWN})

# a measure key as the policy loader accepts it (policy.schema: lower case, a letter first); the length is the
# column's. \Z, not $: in Python's re (SQLite's REGEXP) $ also matches before a final newline; PostgreSQL knows \Z
MEASURE_KEY = r"^[a-z][a-z0-9_]*\Z"


class MeasureKeyField(models.CharField):
    """A measure key of the policy the row keeps: no choices, since any key a policy declares is valid (the
    table's constraint checks its form). Lists sort it by the measures' declared order (``sorting.py``)."""

    def ranked_values(self) -> list[str]:
        return measures.known_measures()


class WarningCase(models.Model):
    """A warning case (预警事项): proposed at screening (第十五条), approved by the tier the policy
    names (第十七条), implemented by letter or talk within the time limit (第十七至二十四条), answered or
    rectified (第二十七至三十条) and lifted or escalated (第二十八至三十一条).

    Dates that start clocks are stored; every due date and "late" is computed from them and the
    case's own policy version."""

    Status = Status
    CLOSED = CLOSED

    number = models.CharField("预警编号", max_length=40, unique=True)
    target = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="warning_cases", verbose_name="预警对象")
    measure = MeasureKeyField("预警措施", max_length=20)  # a key of [policy] measures of its policy version
    delivery = models.CharField("实施方式", max_length=10, choices=Delivery.choices, blank=True)
    facts = models.TextField("主要问题")
    unit_in_charge = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="warning_cases",
                                       verbose_name="承办单位")
    clues = models.ManyToManyField("clues.Clue", related_name="cases", verbose_name="来源线索")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PROPOSED)
    policy_version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT, related_name="+",
                                       verbose_name="策略版本")
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="建议人")
    proposed_on = models.DateField("建议日期")
    referred_to_committee = models.BooleanField("提交常委会研究", default=False)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    implementation_due = models.DateField("实施期限", null=True, blank=True)
    # 暂定: the period ran into a year whose holiday notice is not entered yet; recomputed when it is
    implementation_provisional = models.BooleanField("实施期限为暂定", default=False)
    implemented_on = models.DateField("实施日期", null=True, blank=True)
    response_start = models.DateField("答复(整改)起算日", null=True, blank=True,
                                      help_text="送达日，或没有后续通知书时的谈话日")
    response_due = models.DateField("答复(整改)期限", null=True, blank=True, help_text="含批准的延期")
    response_provisional = models.BooleanField("答复(整改)期限为暂定", default=False)
    responded_on = models.DateField("答复(整改报告)收到日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True, help_text="归档后只读")
    escalation = models.CharField("升级方式", max_length=20, blank=True)
    escalated_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="escalations", verbose_name="由此升级而来")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    secrecy = models.CharField("密级", max_length=12, choices=Secrecy.choices, default=Secrecy.NORMAL)

    jurisdiction_path = "unit_in_charge__path"
    secrecy_field = "secrecy"
    view_actions = ("case.view", "case.view_reported", "case.view_deciding")

    class Meta:
        verbose_name = verbose_name_plural = "预警事项"
        ordering = ["-proposed_on", "-id"]
        indexes = [
            models.Index(fields=["unit_in_charge", "status"], name="case_unit_status"),
            models.Index(fields=["target", "status"], name="case_target_status"),
            models.Index(fields=["status", "implementation_due"], name="case_status_impl_due"),
            models.Index(fields=["status", "response_due"], name="case_status_resp_due"),
            # the ledger's default order (newest proposal first), read backwards
            models.Index(fields=["proposed_on", "id"], name="case_proposed"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(measure__regex=MEASURE_KEY), name="case_measure_key"),
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in Status]), name="case_status_valid"),
            models.CheckConstraint(
                condition=models.Q(approved_on__isnull=True) | models.Q(approved_on__gte=models.F("proposed_on")),
                name="case_approved_after_proposed",
            ),
            models.CheckConstraint(
                condition=models.Q(response_due__isnull=True) | models.Q(response_due__gte=models.F("response_start")),
                name="case_response_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.target.name} {self.get_measure_display()}"

    def get_measure_display(self) -> str:
        """The measure's name in the case's own policy version (谈话函询)."""
        return measures.label(self)

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED

    def chief_report(self, kind: str) -> ChiefReport | None:
        """The case's report to the chief of this kind (from the prefetched reports when there are)."""
        return next((r for r in self.chiefreports.all() if r.kind == kind), None)


class CaseStep(models.Model):
    """Common fields of every step row: who recorded it, when, in which case."""

    case = models.ForeignKey(WarningCase, on_delete=models.PROTECT, related_name="%(class)ss", verbose_name="预警事项")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="记录人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    jurisdiction_path = "case__unit_in_charge__path"
    secrecy_field = "case__secrecy"
    view_actions = ("case.view",)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case.number} {self._meta.verbose_name}"


class Verification(CaseStep):
    """了解、初核或调查 (第十六条); required before approving an admonition or correction and before
    any talk or letter on a clue marked verifiable (第三十三条(三))."""

    class Method(models.TextChoices):
        INQUIRY = "inquiry", "了解"
        PRELIMINARY = "preliminary", "初核"
        INVESTIGATION = "investigation", "调查"

    class Conclusion(models.TextChoices):
        TRUE = "true", "属实"
        PARTLY_TRUE = "partly_true", "部分属实"
        UNTRUE = "untrue", "不属实"
        UNVERIFIABLE = "unverifiable", "无法查实"

    method = models.CharField("方式", max_length=20, choices=Method.choices)
    done_on = models.DateField("完成日期")
    findings = models.TextField("核查情况")
    conclusion = models.CharField("结论", max_length=20, choices=Conclusion.choices)
    meets_filing = models.BooleanField("已构成立案条件", default=False,
                                       help_text="已构成立案条件的应当立案查处，不能以预警代替")

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "了解、初核或调查"


class Decision(CaseStep):
    """The decision on the approval form (预警对象审批表, 第十七条, 第十八条)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "批准"
        REJECTED = "rejected", "不予批准"

    outcome = models.CharField("决定", max_length=10, choices=Outcome.choices)
    decided_on = models.DateField("决定日期")
    # the step of a sequential approval (the policy's ``then``): 1 is the first or only decision
    step = models.PositiveSmallIntegerField("审批步骤", default=1)
    role = models.CharField("决定人身份", max_length=32)
    by_committee = models.BooleanField("常委会研究确定", default=False)
    meeting = models.CharField("常委会会议", max_length=100, blank=True, help_text="如 2026年第12次常委会")
    meeting_on = models.DateField("会议日期", null=True, blank=True)
    opinion = models.TextField("意见或理由", blank=True)

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "审批决定"
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="decision_once_per_step")]

    @property
    def minutes_file(self) -> Minutes | None:
        """The meeting's minutes, when attached (a committee decision only)."""
        try:
            return self.minutes
        except Minutes.DoesNotExist:
            return None


def minutes_path(instance: Minutes, filename: str) -> str:
    # no user-supplied name or extension on disk: the stored name is random (as for clue attachments)
    return f"minutes/{office_time(instance.uploaded_at):%Y/%m}/{instance.storage_key.hex}"


class Minutes(models.Model):
    """The minutes (会议纪要) of the standing-committee meeting that decided a case (第十七条: 提交县纪委常委会
    研究确定), kept as a file like a clue attachment: its type checked by content, stored outside the web
    root under a random name, served only through an access-checked, audited download, and as secret
    as its case (密级)."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="minutes",
                                    verbose_name="审批决定")
    storage_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField("文件", upload_to=minutes_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    kind = models.CharField("类型", max_length=8)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间")

    jurisdiction_path = "decision__case__unit_in_charge__path"
    secrecy_field = "decision__case__secrecy"
    view_actions = ("case.view",)

    class Meta:
        verbose_name = verbose_name_plural = "常委会会议纪要"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ChiefReport(CaseStep):
    """A correction reported to the party chief: before it is implemented (报县委主要领导同志后组织实施,
    第十七条), and its outcome once it has ended (向党委(党组)主要领导汇报, 第三十一条). The chief reads it
    (阅知); until then it waits in the chief's 我的待办."""

    class Kind(models.TextChoices):
        IMPLEMENTATION = "implementation", "实施前报告"
        OUTCOME = "outcome", "结果汇报"

    kind = models.CharField("报告类别", max_length=20, choices=Kind.choices, default=Kind.IMPLEMENTATION)
    reported_on = models.DateField("报告日期")
    chief = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name="主要领导")
    note = models.TextField("报告内容", blank=True)
    seen_at = models.DateTimeField("阅知时间", null=True, blank=True)

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "向主要领导报告"
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="chief_report_once_per_kind"),
            models.CheckConstraint(condition=models.Q(kind__in=["implementation", "outcome"]),
                                   name="chief_report_kind_valid"),
        ]

    @property
    def kind_label(self) -> str:
        """The kind as the case's policy cites it (the choice labels above are neutral: no article)."""
        from yujing.policy import words

        w = words.of_case(self.case)
        if self.kind == self.Kind.OUTCOME:
            article = w.policy.rules.outcome_report.article
            return "结果汇报" + (f"（{article}）" if article else "")
        return "实施前报告" + w.cited("chief_report")


class Talk(CaseStep):
    """A warning talk (谈话预警, 第二十二条): outline, talkers with a chief talker, a written notice of
    time and place, and a record the target signs — only then does the talk count as done."""

    outline = models.TextField("谈话提纲")
    chief = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="主谈人")
    chief_role = models.CharField("主谈人身份", max_length=32)
    chief_reason = models.TextField("请有关领导主谈的理由", blank=True,
                                    help_text="主谈人为请来主谈的有关领导时必填")
    # 委托 (第二十条): the talk with another member of a leadership team delegated to the principal of the
    # cadre's own unit — the chief talker is the one delegated to; these say who delegated and when.
    delegated_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name="委托人")
    delegated_on = models.DateField("委托日期", null=True, blank=True)
    other_talkers = models.CharField("其他谈话人", max_length=200, help_text="姓名，逗号分隔")
    scheduled_at = models.DateTimeField("谈话时间")
    place = models.CharField("谈话地点", max_length=100)
    notice_sent_on = models.DateField("通知送达日期", null=True, blank=True)
    held_on = models.DateField("谈话日期", null=True, blank=True)
    record = models.TextField("谈话记录", blank=True)
    signed_on = models.DateField("对象核实签字日期", null=True, blank=True)

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "预警谈话"

    @property
    def delegated(self) -> bool:
        return self.delegated_by_id is not None

    @property
    def basis(self) -> str:
        """How the chief talker came to talk, in words — blank for the ordinary case (第二十条, 第二十二条)."""
        from yujing.policy import words

        w = words.of_case(self.case) if self.delegated or self.chief_reason else None
        if self.delegated:
            by = self.delegated_by
            return (f"受{by.title}{by.get_full_name()}{cn_date(self.delegated_on)}委托，由所在单位主要负责人实施"
                    + w.cited("delegation"))
        if self.chief_reason:
            talk = w.policy.rules.talk.article
            return f"请{w.body('county_leaders')}主谈{f'（{talk}）' if talk else ''}，理由：{self.chief_reason}"
        return ""

    @property
    def talkers(self) -> list[str]:
        return [n.strip() for n in self.other_talkers.replace("，", ",").split(",") if n.strip()]

    @property
    def done(self) -> bool:
        return bool(self.held_on and self.signed_on)


class Letter(CaseStep):
    """A written warning or notice: a letter form of the case's policy (a built-in one — 询问函, 警示诫勉通知书,
    责令纠错通知书, 意见书, 建议书 — or one its ``[letters.<key>]`` defines, e.g. 函询卡)."""

    # a letter key of the policy the case keeps (any the policy names; the table checks only the key's form)
    kind = models.CharField("文书", max_length=32)
    issued_on = models.DateField("发出日期")
    content = models.TextField("告知事项和要求")
    received_on = models.DateField("送达日期", null=True, blank=True)

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "预警文书"
        constraints = [models.CheckConstraint(condition=models.Q(kind__regex=MEASURE_KEY), name="letter_kind_key")]

    def get_kind_display(self) -> str:
        """The letter form's title in the case's policy (警示诫勉通知书, 函询卡)."""
        return measures.letter_label(self.case, self.kind)


class Register(CaseStep):
    """The warning register (预警工作登记表, 第二十五条): the inquiry target's commitment, or the
    rectification requirements of an admonition or correction, approved by a commission leader before
    the notice is issued."""

    content = models.TextField("承诺情况或整改要求")
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="批准人")
    approved_on = models.DateField("批准日期", null=True, blank=True)

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "预警工作登记表"


class Response(CaseStep):
    """The target's written explanation or rectification report (第二十七至三十条). Late ones are
    accepted and shown as late, never refused."""

    received_on = models.DateField("收到日期")
    content = models.TextField("内容摘要")
    due_on = models.DateField("当时的期限")
    # found inadequate and sent back for redo (the policy's ``redo``): when, by whom, why
    sent_back_on = models.DateField("退回日期", null=True, blank=True)
    sent_back_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name="退回人")
    sent_back_reason = models.TextField("退回理由", blank=True)

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "书面答复或整改报告"

    @property
    def late(self) -> bool:
        return self.received_on > self.due_on


class Extension(CaseStep):
    """延期整改 (第三十条): requested with reason, decided by the policy's approver, issued as a notice."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "批准"
        REFUSED = "refused", "不予批准"

    reason = models.TextField("延期理由")
    requested_on = models.DateField("申请日期")
    requested_until = models.DateField("申请延至")
    outcome = models.CharField("决定", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="审批人")
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    previous_due = models.DateField("原期限")
    new_due = models.DateField("批准延至", null=True, blank=True)

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "延期整改"


class Revisit(CaseStep):
    """回访 (第三十条): "通过听取汇报、查阅资料、召开座谈会等形式" — one revisit often uses several of
    these means at once, so they are kept as a list (in the order of the article)."""

    class Method(models.TextChoices):
        REPORT = "report", "听取汇报"
        DOCUMENTS = "documents", "查阅资料"
        SYMPOSIUM = "symposium", "召开座谈会"
        OTHER = "other", "其他"

    methods = models.JSONField("回访形式", default=list, help_text="report、documents、symposium、other 中的一项或多项")
    other_method = models.CharField("其他形式", max_length=100, blank=True, help_text="选择“其他”时说明")
    done_on = models.DateField("回访日期")
    findings = models.TextField("回访情况")
    meets_requirement = models.BooleanField("达到整改要求")

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "回访"

    @property
    def methods_display(self) -> str:
        """The means in words, 、-separated, with what "其他" was."""
        labels = self.Method
        words = [f"其他（{self.other_method}）" if m == labels.OTHER and self.other_method else labels(m).label
                 for m in self.methods if m in labels.values]
        return "、".join(words)


class Notice(CaseStep):
    """A written notice of a warning to a body (通报, 第三十一条) — the recipient sees it."""

    class Recipient(models.TextChoices):
        ORGANIZATION_DEPT = "organization_dept", "组织部门"
        PERSONNEL_DEPT = "personnel_dept", "人事部门"
        UNIT_PARTY_ORG = "unit_party_org", "所在单位党组织"

    recipient = models.CharField("通报对象", max_length=20, choices=Recipient.choices)
    recipient_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="received_notices",
                                       verbose_name="接收单位")
    sent_on = models.DateField("通报日期")
    content = models.TextField("通报内容")

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "通报"
        constraints = [models.UniqueConstraint(fields=["case", "recipient"], name="notice_once_per_recipient")]


class ResponseSignoff(CaseStep):
    """One level of the sign-off an answer needs before it counts as received (the policy's ``signoff``):
    who signed, in which capacity, and when."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="signoffs", verbose_name="答复")
    level = models.PositiveSmallIntegerField("层级")
    signer_name = models.CharField("签署人", max_length=50)
    signed_on = models.DateField("签署日期")

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "答复签署"
        constraints = [models.UniqueConstraint(fields=["response", "level"], name="signoff_once_per_level")]


class CaseRound(CaseStep):
    """A further rectification round (the policy's ``rounds``), opened after a revisit found the requirements
    not met: round 2, 3 …, with its own period from ``started_on``."""

    number = models.PositiveSmallIntegerField("轮次")
    started_on = models.DateField("开始日期")
    due = models.DateField("整改期限")
    reason = models.TextField("理由")

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "整改轮次"
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="case_round_once")]


class LetterRound(CaseStep):
    """A further letter decided on the same case (the policy's ``again``, 再次函询): letter 2, 3 … with new
    questions, to be issued within ``due`` of the decision and delivered anew; the earlier letters and their
    answers stay on file. The letter itself is the case's next ``Letter`` row."""

    number = models.PositiveSmallIntegerField("第几次发函")
    decided_on = models.DateField("决定日期")
    due = models.DateField("发函期限")
    provisional = models.BooleanField("发函期限为暂定", default=False)
    reason = models.TextField("理由和需进一步说明的问题")

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "再次发函"
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="letter_round_once"),
            models.CheckConstraint(condition=models.Q(number__gte=2), name="letter_round_after_the_first"),
            models.CheckConstraint(condition=models.Q(due__gte=models.F("decided_on")), name="letter_round_due_after_decision"),
        ]


class CaseLimit(CaseStep):
    """One of a measure's further time limits (the policy's ``limits``) on this case: started by its
    event, due (or, for a not-before limit, open) on ``due``, done when recorded."""

    key = models.CharField("期限", max_length=20)
    label = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=12, default="deadline")  # deadline | not_before
    start = models.DateField("起算日")
    due = models.DateField("期限日")
    provisional = models.BooleanField("暂定", default=False)
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.TextField("情况", blank=True)

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "其他期限"
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="case_limit_once")]
        indexes = [models.Index(fields=["done_on", "due"], name="case_limit_open")]

    @property
    def not_before(self) -> bool:
        return self.kind == "not_before"


class Ending(CaseStep):
    """How the case ended: lifted with approval (第三十条) or escalated (第二十八、二十九、三十一条) — or
    both, when a lifted inquiry's renewed complaint is found true and leads on (第二十八条)."""

    # the kinds that are not a measure, as code constants: ``kind`` is one of these or a measure key of the
    # case's policy (转 + its name, cases/measures.py)
    class Kind(models.TextChoices):
        LIFTED = "lifted", "解除预警"
        ORGANISATIONAL = "organisational", "转组织处理"
        CASE_FILING = "case_filing", "立案查处"

    kind = models.CharField("方式", max_length=20)  # lifted, organisational, case_filing or a measure key
    decided_on = models.DateField("决定日期")
    basis = models.TextField("理由")
    new_case = models.ForeignKey(WarningCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="新预警事项")

    class Meta(CaseStep.Meta):
        verbose_name = verbose_name_plural = "解除或升级"
        # one lifting and one escalation at most: a lifted inquiry may still lead on to a new case on a
        # renewed complaint found true (第二十八条), its lifting standing
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(kind="lifted"), name="ending_one_lifting"),
            models.UniqueConstraint(fields=["case"], condition=~models.Q(kind="lifted"), name="ending_one_escalation"),
        ]

    def get_kind_display(self) -> str:
        """解除预警, 转组织处理, 立案查处, or 转 and the name of the measure in the case's policy (转警示诫勉)."""
        return measures.ending_label(self)
