from __future__ import annotations

import re

from django import forms
from django.urls import reverse

from yujing.forms import TEXT_MAX, DateInput, OnceForm, StyledForm, due_preview
from yujing.policy.loader import get_policy
from yujing.policy.words import Words, in_force

from .models import Channel, Clue, ProblemCategory
from .services import (
    Concerned,
    Outcome,
    Reporter,
    Upload,
    cadre_handlers,
    clue_trigger,
    clue_words,
    outside_jurisdiction,
    plain_number,
    screening_outcomes,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def uploads_from(files) -> list[Upload]:
    return [Upload(f.name, f.read()) for f in files]


_SPLIT = re.compile(r"[\s,，、;；]+")


def parse_named(text: str) -> list[Concerned]:
    """Cadres not on the roster, one per line: 姓名 单位 职务 (unit and post may be left out)."""
    people = []
    for line in text.splitlines():
        parts = [p for p in _SPLIT.split(line.strip()) if p]
        if parts:
            people.append(Concerned(name=parts[0], unit_text=parts[1] if len(parts) > 1 else "",
                                    position_text=" ".join(parts[2:])))
    return people


class ConcernedMixin(forms.Form):
    cadre_ids = forms.TypedMultipleChoiceField(label="名册中的干部", coerce=int, required=False,
                                               widget=forms.MultipleHiddenInput)
    named = forms.CharField(
        max_length=TEXT_MAX, label="不在名册中的干部", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一人：姓名 单位 职务（单位、职务可不填）",
    )
    categories = forms.ModelMultipleChoiceField(
        label="问题类别", required=False, queryset=ProblemCategory.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(label="附件", help_text="PDF、图片、Word 或 Excel，每个不超过 20 MB")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # any id is accepted here; the service checks it against the roster and says which is wrong
        self.fields["cadre_ids"].choices = [(v, v) for v in (self.data.getlist("cadre_ids") if self.is_bound else [])]

    def concerned(self) -> list[Concerned]:
        ids = [Concerned(cadre_id=pk) for pk in self.cleaned_data.get("cadre_ids") or []]
        return ids + parse_named(self.cleaned_data.get("named") or "")


def labelled(label: str, words: Words, citation: str) -> str:
    """A field label with the article the policy cites for it ("来源渠道(第十条)"), or the bare label."""
    article = words.cite(citation)
    return f"{label}({article})" if article else label


class ClueForm(OnceForm, ConcernedMixin, StyledForm):
    received_on = forms.DateField(label="收到日期", widget=DateInput())
    channel = forms.ChoiceField(label="来源渠道", choices=[("", "请选择"), *Channel.choices])
    source_unit = forms.ModelChoiceField(label="来源单位", required=False, queryset=None,
                                         help_text="上级交办、下级报送、成员单位移送时选择")
    source_name = forms.CharField(label="来源说明", required=False, max_length=200,
                                  help_text="如信访件编号、媒体名称")
    summary = forms.CharField(label="问题摘要", max_length=200)
    detail = forms.CharField(max_length=TEXT_MAX, label="反映的主要问题", widget=forms.Textarea(attrs={"rows": 6}))
    anonymous = forms.BooleanField(label="匿名举报", required=False, initial=True)
    reporter_name = forms.CharField(label="举报人姓名", required=False, max_length=50)
    reporter_contact = forms.CharField(label="联系方式", required=False, max_length=100)
    reporter_id_number = forms.CharField(label="身份证号", required=False, max_length=30)

    handling_unit = forms.ModelChoiceField(label="登记单位", required=False, queryset=None,
                                           help_text="您在多个单位任职：选择以哪个单位的名义登记、承办")

    field_order = ["handling_unit", "received_on", "channel", "source_unit", "source_name", "summary", "detail",
                   "cadre_ids", "named", "categories", "anonymous", "reporter_name", "reporter_contact",
                   "reporter_id_number", "attachments"]

    def __init__(self, *args, units=None, own_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].label = labelled("来源渠道", in_force(), "channels")
        self.fields["source_unit"].queryset = units
        if own_units is not None and len(own_units) > 1:
            self.fields["handling_unit"].queryset = own_units
            self.fields["handling_unit"].required = True
        else:
            del self.fields["handling_unit"]
        due_preview(self, "received_on", reverse("clues:clue_due"))
        self._add_indicators()

    def _add_indicators(self) -> None:
        """One field for each channel the policy sets a threshold for ([[triggers]]), labelled with the
        indicator and its unit; the page shows it only while that channel is chosen (trigger.js), and only
        the chosen channel's value is registered."""
        self.indicator_fields = {}
        for trigger in get_policy().rules.triggers:
            name = f"indicator_value_{trigger.channel}"
            unit = f"（{trigger.unit}）" if trigger.unit else ""
            below = f"{plain_number(trigger.below)}{trigger.unit}"
            self.fields[name] = forms.DecimalField(
                label=f"{trigger.indicator}{unit}", required=False,
                widget=forms.NumberInput(attrs={"step": "any", "data-trigger-channel": trigger.channel}),
                help_text=f"来源渠道为“{Channel(trigger.channel).label}”时填写：{trigger.label}中"
                          f"{trigger.indicator}低于{below}的，作为预警线索（{trigger.article}）",
            )
            self.indicator_fields[trigger.channel] = name
        if self.indicator_fields:
            order = list(self.field_order)
            at = order.index("channel") + 1
            self.order_fields([*order[:at], *self.indicator_fields.values(), *order[at:]])

    def clean(self):
        data = super().clean()
        name = self.indicator_fields.get(data.get("channel") or "")
        data["indicator_value"] = data.get(name) if name else None
        return data

    def error_field(self, key: str) -> str:
        """The field a service refusal keyed ``key`` belongs on (the indicator of the chosen channel)."""
        if key == "indicator_value":
            return self.indicator_fields.get(self.cleaned_data.get("channel") or "", key)
        return key

    def reporter(self) -> Reporter | None:
        data = self.cleaned_data
        if data.get("anonymous"):
            return None
        return Reporter(data.get("reporter_name") or "", data.get("reporter_contact") or "",
                        data.get("reporter_id_number") or "")


class TransferForm(OnceForm, ConcernedMixin, StyledForm):
    transferred_on = forms.DateField(label="移送日期", widget=DateInput())
    summary = forms.CharField(label="问题摘要", max_length=200)
    detail = forms.CharField(max_length=TEXT_MAX, label="反映的主要问题", widget=forms.Textarea(attrs={"rows": 6}))
    found_how = forms.CharField(max_length=TEXT_MAX, label="发现途径", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                help_text="如在审计、执法检查中发现")
    unit_opinion = forms.CharField(max_length=TEXT_MAX, label="移送单位意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    contact_person = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=30)

    field_order = ["transferred_on", "cadre_ids", "named", "summary", "detail", "found_how", "categories",
                   "unit_opinion", "contact_person", "contact_phone", "attachments"]


class ScreenForm(StyledForm):
    outcome = forms.ChoiceField(label="筛选结果", choices=Outcome.CHOICES, widget=forms.RadioSelect)
    verifiable = forms.TypedChoiceField(
        label="可查性", required=False, widget=forms.RadioSelect,
        choices=[("1", "具有可查性"), ("0", "不具有可查性")], coerce=lambda v: v == "1", empty_value=None,
    )
    reason = forms.CharField(max_length=TEXT_MAX, label="筛选意见", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, clue: Clue, **kwargs):
        super().__init__(*args, **kwargs)
        words = clue_words(clue)
        self.fields["outcome"].label = labelled("筛选结果", words, "screening")
        self.fields["verifiable"].label = labelled("可查性", words, "verifiable_clue")
        # offer only what the service accepts (第十四条): a clue about a cadre outside this unit's jurisdiction
        # can only be reported; warnings are proposed only for the cadres this unit manages
        handlers = cadre_handlers(clue)
        own = {c.pk for c in handlers.get(clue.handling_unit_id, (None, []))[1]}
        outside = outside_jurisdiction(clue, handlers)
        self.fields["outcome"].choices = screening_outcomes(outside)
        self.report_only = outside is not None
        if outside is not None:
            self.fields["outcome"].help_text = outside.message
            self.fields["outcome"].initial = Outcome.REPORT_UP
        measures = get_policy().measures
        choices = [("", "不提出"), *[(key, m.label) for key, m in measures.items()]]
        # a clue from a channel with a threshold proposes the measure its rule names ([[triggers]] measure)
        trigger = clue_trigger(clue)
        proposed = trigger.measure if trigger is not None and trigger.measure in measures else None
        self.targets = []
        for link in clue.concerned.all():
            if link.cadre_id not in own:
                continue
            key = f"measure_{link.cadre_id}"
            self.fields[key] = forms.ChoiceField(label=f"{link.name}（{link.position_text}）", required=False,
                                                 choices=choices, initial=proposed)
            self.fields[f"facts_{link.cadre_id}"] = forms.CharField(
                max_length=TEXT_MAX, label="主要问题", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                help_text="不填则取线索所反映的问题",
            )
            self.targets.append((link, self[key], self[f"facts_{link.cadre_id}"]))
        from yujing.forms import style

        style(self)

    def proposals(self):
        from .services import Proposal

        result = []
        for link, _, _ in self.targets:
            measure = self.cleaned_data.get(f"measure_{link.cadre_id}")
            if measure:
                result.append(Proposal(link.cadre_id, measure, self.cleaned_data.get(f"facts_{link.cadre_id}") or ""))
        return result


class MergeForm(StyledForm):
    others = forms.ModelMultipleChoiceField(label="并入本线索的重复线索", queryset=None,
                                            widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(max_length=TEXT_MAX, label="合并理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = candidates
        self.fields["others"].label_from_instance = lambda c: f"{c.number} {c.received_on:%Y-%m-%d} {c.summary}"


class FeedbackForm(OnceForm, StyledForm):
    content = forms.CharField(max_length=TEXT_MAX, label="反馈内容", widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="向线索来源通报预警情况")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].help_text = f"向线索来源通报预警情况{in_force().cited('feedback')}"


class AttachForm(StyledForm):
    attachments = MultipleFileField(label="上传附件", required=True,
                                    help_text="PDF、图片、Word 或 Excel，每个不超过 20 MB")


class ClueFilterForm(StyledForm):
    q = forms.CharField(label="编号、摘要或姓名", required=False, max_length=50)
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部"), *Channel.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Clue.Status.choices])
    unit = forms.ModelChoiceField(label="承办单位", required=False, queryset=None, empty_label="全部")
    category = forms.ModelChoiceField(label="问题类别", required=False, queryset=ProblemCategory.objects.all(),
                                      empty_label="全部")
    received_from = forms.DateField(label="收到日期从", required=False, widget=DateInput())
    received_to = forms.DateField(label="至", required=False, widget=DateInput())
    late = forms.ChoiceField(label="筛选期限", required=False, choices=[("", "全部"), ("1", "已逾期"), ("0", "未逾期")])
    cadre = forms.IntegerField(label="干部", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

