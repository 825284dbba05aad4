"""One form per workflow action; the services check everything, the forms only shape the input."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone

from yujing.core.dates import cn_date
from yujing.forms import TEXT_MAX, DateInput, StyledForm, due_preview, style
from yujing.policy import words

from . import measures
from .models import Notice, Revisit, Verification

TEXT = {"rows": 3}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _bracketed(article: str) -> str:
    return f"（{article}）" if article else ""


class ActionForm(StyledForm):
    def __init__(self, *args, case=None, user=None, **kwargs):
        self.case, self.user = case, user
        super().__init__(*args, **kwargs)
        if self.set_words(words.of_case(case) if case is not None else words.in_force()):
            style(self)  # link the help texts just set
        today = timezone.localdate()
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and field.required:
                field.initial = field.initial or today
        from .previews import FIELDS

        preview = FIELDS.get(self.prefix or "")
        if case is not None and preview in self.fields:
            due_preview(self, preview, reverse("cases:case_due", args=[case.pk, self.prefix]))

    def set_words(self, w: words.Words) -> bool:
        """Put the policy's articles and bodies into labels and help texts; True when any was set."""
        return False


class VerifyForm(ActionForm):
    method = forms.ChoiceField(label="方式", choices=Verification.Method.choices)
    done_on = forms.DateField(label="完成日期", widget=DateInput())
    findings = forms.CharField(max_length=TEXT_MAX, label="核查情况", widget=forms.Textarea(attrs=TEXT))
    conclusion = forms.ChoiceField(label="结论", choices=Verification.Conclusion.choices)
    meets_filing = forms.BooleanField(label="已构成立案条件", required=False)

    def set_words(self, w: words.Words) -> bool:
        said = [f"立案查处的依据，{w.cite('filing')}" if w.cite("filing") else "",
                f"不能以预警代之，{w.cite('warning_instead')}" if w.cite("warning_instead") else ""]
        self.fields["meets_filing"].label = "已构成立案条件" + _bracketed("；".join(filter(None, said)))
        return False


class EmptyForm(ActionForm):
    pass


class DecideForm(ActionForm):
    opinion = forms.CharField(max_length=TEXT_MAX, label="意见或理由", required=False, widget=forms.Textarea(attrs=TEXT),
                              help_text="不予批准须说明理由")
    meeting = forms.CharField(label="常委会会议", required=False, max_length=100,
                              help_text="以常委身份记录常委会研究确定时填写，如 2026年第12次常委会")
    meeting_on = forms.DateField(label="会议日期", required=False, widget=DateInput())
    minutes = forms.FileField(label="会议纪要", required=False,
                              help_text="可附常委会会议纪要：PDF、图片(PNG/JPEG)、Word(DOCX) 或 Excel(XLSX)，不超过 20 MB")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is None or self.user is None:
            return
        from .services import decides_at_meeting

        if not decides_at_meeting(self.case, self.user):
            # anyone else decides on the day: the meeting fields and their due-date preview would mislead
            del self.fields["meeting"], self.fields["meeting_on"], self.fields["minutes"]


class ReasonForm(ActionForm):
    reason = forms.CharField(max_length=TEXT_MAX, label="理由", widget=forms.Textarea(attrs=TEXT))


class ChiefReportForm(ActionForm):
    reported_on = forms.DateField(label="报告日期", widget=DateInput())
    note = forms.CharField(max_length=TEXT_MAX, label="报告内容", required=False, widget=forms.Textarea(attrs=TEXT))


class OutcomeReportForm(ActionForm):
    reported_on = forms.DateField(label="汇报日期", widget=DateInput())
    note = forms.CharField(max_length=TEXT_MAX, label="汇报内容", widget=forms.Textarea(attrs=TEXT),
                           help_text="解除预警或升级处理的结果，书面汇报")

    def set_words(self, w: words.Words) -> bool:
        self.fields["note"].help_text += _bracketed(w.policy.rules.outcome_report.article)
        return True


class PlanTalkForm(ActionForm):
    outline = forms.CharField(max_length=TEXT_MAX, label="谈话提纲", widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="存在问题、主要错误事实及整改要求")
    chief = forms.ModelChoiceField(label="主谈人", queryset=None)
    other_talkers = forms.CharField(label="其他谈话人", max_length=200, help_text="姓名，用逗号分隔；谈话须两人以上")
    scheduled_at = forms.DateTimeField(label="谈话时间", widget=DateTimeInput())
    place = forms.CharField(label="谈话地点", max_length=100)
    chief_reason = forms.CharField(max_length=TEXT_MAX, label="主谈的理由", required=False, widget=forms.Textarea(attrs=TEXT),
                                   help_text="必填")
    delegated_by = forms.ModelChoiceField(label="委托人", queryset=None, required=False, empty_label="不委托",
                                          help_text="委托所在单位主要负责人实施时选择；主谈人即受委托的单位主要负责人")
    delegated_on = forms.DateField(label="委托日期", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from yujing.orgs.models import User
        from yujing.orgs.roles import Role

        from .services import chief_roles, delegator_roles, leader_roles

        def holders(roles):
            return User.objects.filter(role_assignments__role__in=roles, role_assignments__is_active=True,
                                       is_active=True).distinct().order_by("full_name")

        roles = chief_roles(self.case) if self.case else []
        leaders = leader_roles(self.case) if self.case else []
        delegators = delegator_roles(self.case) if self.case else []
        # offer only what the service accepts: the county leaders for a principal, the unit's principal
        # when the talk may be delegated (第二十条, 第二十二条)
        extra = [*leaders, *([Role.PARTY_COMMITTEE] if delegators else [])]
        self.fields["chief"].queryset = holders([*roles, *extra])
        self.fields["chief"].label_from_instance = lambda u: f"{u.get_full_name()}（{u.title}）"
        if not leaders:
            del self.fields["chief_reason"]
        if delegators:
            self.fields["delegated_by"].queryset = holders(delegators)
            self.fields["delegated_by"].label_from_instance = lambda u: f"{u.get_full_name()}（{u.title}）"
        else:
            del self.fields["delegated_by"], self.fields["delegated_on"]

    def set_words(self, w: words.Words) -> bool:
        talk = w.policy.rules.talk.article
        leaders = w.body("county_leaders")
        self.fields["outline"].help_text += _bracketed(talk)
        self.fields["chief_reason"].label = f"请{leaders}主谈的理由"
        self.fields["chief_reason"].help_text = (f"主谈人为{leaders}时必填（" + (f"{talk}：" if talk else "")
                                                 + f"必要时…请{leaders}主谈）")
        self.fields["delegated_by"].help_text += w.cited("delegation")
        return True


class NotifyTalkForm(ActionForm):
    sent_on = forms.DateField(label="通知送达日期", widget=DateInput())


class HoldTalkForm(ActionForm):
    held_on = forms.DateField(label="谈话日期", required=False, widget=DateInput())
    record = forms.CharField(max_length=TEXT_MAX, label="谈话记录", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    signed_on = forms.DateField(label="对象核实签字日期", required=False, widget=DateInput(),
                                help_text="谈话记录经预警对象本人核实签字后，谈话才算完成；可以稍后补记")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        talk = self.case.talks.first() if self.case else None
        if talk is not None and talk.held_on is not None:
            # the talk and its record are kept already: only the signature is left to add
            del self.fields["held_on"], self.fields["record"]
            self.fields["signed_on"].required = True
            self.fields["signed_on"].initial = timezone.localdate()
            self.fields["signed_on"].help_text = (f"谈话已于{cn_date(talk.held_on)}实施，记录已保存；"
                                                  "补记预警对象本人核实签字的日期后，谈话完成"
                                                  + _bracketed(words.of_case(self.case).policy.rules.talk.article))
            style(self)


class RegisterForm(ActionForm):
    content = forms.CharField(max_length=TEXT_MAX, label="承诺情况或整改要求", widget=forms.Textarea(attrs={"rows": 4}))


class LetterForm(ActionForm):
    kind = forms.ChoiceField(label="文书")
    issued_on = forms.DateField(label="发出日期", widget=DateInput())
    content = forms.CharField(max_length=TEXT_MAX, label="告知的问题和要求", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .services._common import measure_rules

        kinds = measure_rules(self.case).letter_forms if self.case else []
        self.fields["kind"].choices = [(k, measures.letter_label(self.case, k)) for k in kinds]
        # what the content is called, when the policy states it ([letters.<key>] content_label) alike for each
        stated = {measures.stated_content_label(self.case, k) for k in kinds}
        if len(stated) == 1 and "" not in stated:
            self.fields["content"].label = stated.pop()


class ReceiptForm(ActionForm):
    received_on = forms.DateField(label="送达日期", widget=DateInput(), help_text="答复或整改期限自送达之日起算")


class LimitForm(ActionForm):
    key = forms.ChoiceField(label="期限事项")
    done_on = forms.DateField(label="完成日期", widget=DateInput())
    note = forms.CharField(max_length=TEXT_MAX, label="情况", required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .services.limits import open_limits

        self.fields["key"].choices = [(x.key, x.label) for x in open_limits(self.case)] if self.case else []


class SignOffForm(ActionForm):
    signer_name = forms.CharField(label="签署人", max_length=50)
    signed_on = forms.DateField(label="签署日期", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .services._common import measure_rules
        from .services.response import unsigned

        response = unsigned(self.case) if self.case else None
        if response is not None:
            level = measure_rules(self.case).signoff.levels[response.signoffs.count()]
            self.fields["signer_name"].help_text = f"{level.label}签署"


class NewRoundForm(ActionForm):
    started_on = forms.DateField(label="开始日期", widget=DateInput(), help_text="新的整改期限自此起算")
    reason = forms.CharField(max_length=TEXT_MAX, label="再次整改的要求和理由", widget=forms.Textarea(attrs=TEXT))


class AgainForm(ActionForm):
    decided_on = forms.DateField(label="决定日期", widget=DateInput(), help_text="再次发函的期限自决定之日起算")
    reason = forms.CharField(max_length=TEXT_MAX, label="理由和需要进一步说明的问题", widget=forms.Textarea(attrs=TEXT),
                             help_text="前次说明哪些不清楚、不完整；新的函将提出新的问题")

    def set_words(self, w: words.Words) -> bool:
        from .services._common import case_policy, measure_rules

        again = measure_rules(self.case).again if self.case is not None else None
        if again is None:
            return False
        period = again.period or case_policy(self.case).rules.implementation.period
        self.fields["decided_on"].help_text = f"自决定之日起{period.label}内发出新的函{_bracketed(again.article)}"
        self.fields["reason"].label = f"{again.label}的理由和需要进一步说明的问题"
        return True


class SendBackForm(ActionForm):
    sent_back_on = forms.DateField(label="退回日期", widget=DateInput(), help_text="重新说明的期限自退回之日起算")
    reason = forms.CharField(max_length=TEXT_MAX, label="退回理由", widget=forms.Textarea(attrs=TEXT), help_text="哪些问题说明不清、需重新说明")


class ResponseForm(ActionForm):
    received_on = forms.DateField(label="收到日期", widget=DateInput())
    content = forms.CharField(max_length=TEXT_MAX, label="主要内容", widget=forms.Textarea(attrs={"rows": 4}))


class ExtensionRequestForm(ActionForm):
    reason = forms.CharField(max_length=TEXT_MAX, label="延期理由", widget=forms.Textarea(attrs=TEXT))
    requested_until = forms.DateField(label="申请延至", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import extension_cap
        from .services._common import measure_rules

        cap = extension_cap(self.case) if self.case else None
        if cap:
            extension = measure_rules(self.case).extension
            self.fields["requested_until"].help_text = (f"累计延期最迟至 {cn_date(cap)}"
                                                        + _bracketed(extension.article if extension else ""))
            self.fields["requested_until"].widget.attrs["max"] = cap.isoformat()
            style(self)  # link the help text just set


class ExtensionDecisionForm(ActionForm):
    approve = forms.TypedChoiceField(label="决定", choices=[("1", "批准"), ("0", "不予批准")], coerce=lambda v: v == "1",
                                     widget=forms.RadioSelect)
    note = forms.CharField(max_length=TEXT_MAX, label="审批意见", required=False, widget=forms.Textarea(attrs=TEXT))


class RevisitForm(ActionForm):
    methods = forms.MultipleChoiceField(label="回访形式", choices=Revisit.Method.choices,
                                        widget=forms.CheckboxSelectMultiple, required=False,
                                        help_text="可多选（听取汇报、查阅资料、召开座谈会等形式）")
    other_method = forms.CharField(label="其他形式", max_length=100, required=False, help_text="选择“其他”时说明")
    done_on = forms.DateField(label="回访日期", widget=DateInput())
    findings = forms.CharField(max_length=TEXT_MAX, label="回访情况", widget=forms.Textarea(attrs=TEXT))
    meets_requirement = forms.TypedChoiceField(label="是否达到整改要求", choices=[("1", "达到"), ("0", "未达到")],
                                               coerce=lambda v: v == "1", widget=forms.RadioSelect)

    def set_words(self, w: words.Words) -> bool:
        means = w.cite("revisit_means")
        if means:
            self.fields["methods"].help_text = f"可多选（{means}：听取汇报、查阅资料、召开座谈会等形式）"
        return True


class NoticeForm(ActionForm):
    recipient = forms.ChoiceField(label="通报对象")
    sent_on = forms.DateField(label="通报日期", widget=DateInput())
    content = forms.CharField(max_length=TEXT_MAX, label="通报内容", widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import allowed_recipients

        recipients = allowed_recipients(self.case) if self.case else []
        self.fields["recipient"].choices = [(r, Notice.Recipient(r).label) for r in recipients]


class LiftForm(ActionForm):
    basis = forms.CharField(max_length=TEXT_MAX, label="解除预警意见", widget=forms.Textarea(attrs=TEXT))


class EscalateForm(ActionForm):
    kind = forms.ChoiceField(label="升级方式")
    basis = forms.CharField(max_length=TEXT_MAX, label="理由", widget=forms.Textarea(attrs=TEXT))
    facts = forms.CharField(max_length=TEXT_MAX, label="新预警事项的主要问题", required=False, widget=forms.Textarea(attrs=TEXT),
                            help_text="转警示诫勉或责令纠错时填写；不填沿用本事项")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .services._common import target_label
        from .services.ending import escalation_kinds

        kinds = escalation_kinds(self.case) if self.case else []
        self.fields["kind"].choices = [(k, target_label(self.case, k)) for k in kinds]


class CaseFilterForm(StyledForm):
    q = forms.CharField(label="编号或姓名", required=False, max_length=50)
    measure = forms.ChoiceField(label="措施", required=False)
    status = forms.ChoiceField(label="状态", required=False)
    unit = forms.ModelChoiceField(label="承办单位", required=False, queryset=None, empty_label="全部")
    proposed_from = forms.DateField(label="建议日期从", required=False, widget=DateInput())
    proposed_to = forms.DateField(label="至", required=False, widget=DateInput())
    open_only = forms.BooleanField(label="仅未办结", required=False)
    target = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .measures import choices
        from .models import Status

        self.fields["unit"].queryset = units
        self.fields["measure"].choices = [("", "全部"), *choices()]  # any key a case can have, by name
        self.fields["status"].choices = [("", "全部"), *Status.choices]


class RestrictionQueryForm(StyledForm):
    q = forms.CharField(label="姓名或干部编号", max_length=50)


class RestrictionUploadForm(StyledForm):
    file = forms.FileField(label="候选人名单（XLSX）", help_text="第一行为表头，含“干部编号”或“姓名”列")


class PurgeForm(forms.Form):
    """The administrator's purge of cases past retention: the basis, and a deliberate confirmation."""

    reason = forms.CharField(label="销毁依据", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="批准销毁的文件或会议")
    confirm = forms.BooleanField(label="我已核对清单，确认销毁以上预警事项（不可恢复；审计日志保留）",
                                 error_messages={"required": "请勾选确认"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        committee = words.in_force().body("committee")
        self.fields["reason"].help_text = f"批准销毁的文件或会议，如“{committee}2056年第3次会议决定”"
