from __future__ import annotations

from django import forms

from yujing.clues.forms import ConcernedMixin
from yujing.forms import TEXT_MAX, DateInput, StyledForm


class MeetingForm(StyledForm):
    held_on = forms.DateField(label="会议日期", widget=DateInput())
    place = forms.CharField(label="地点", max_length=100)
    topic = forms.CharField(label="议题", max_length=200)
    attendees = forms.ModelMultipleChoiceField(label="出席的成员单位", queryset=None, widget=forms.CheckboxSelectMultiple)
    attendee_names = forms.CharField(max_length=TEXT_MAX, label="出席人员", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(max_length=TEXT_MAX, label="会议纪要", widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members


class MeetingClueForm(ConcernedMixin, StyledForm):
    member = forms.ModelChoiceField(label="提出线索的成员单位", queryset=None)
    summary = forms.CharField(label="问题摘要", max_length=200)
    detail = forms.CharField(max_length=TEXT_MAX, label="反映的主要问题", widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ["member", "cadre_ids", "named", "summary", "detail"]

    def __init__(self, *args, attendees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = attendees
        del self.fields["categories"]
        del self.fields["attachments"]


class CircularForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2200)
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in range(1, 5)])
