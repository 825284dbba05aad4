from __future__ import annotations

from datetime import date

from django import forms

from yujing.forms import DateInput, StyledForm

from .holidays import NoticeError, parse_notice
from .periods import UNIT_LABELS, Period, Unit


class CalculatorForm(StyledForm):
    start = forms.DateField(label="起算日", widget=DateInput(),
                            help_text="如批准日、送达日、谈话日；起算日当日不计入期间")
    count = forms.IntegerField(label="期间", min_value=1, max_value=3650, initial=7)
    unit = forms.ChoiceField(label="单位", choices=[(u.value, UNIT_LABELS[u].lstrip("个")) for u in Unit],
                             initial=Unit.DAYS.value)

    def clean(self):
        data = super().clean()
        if "count" in data and "unit" in data:
            data["period"] = Period(data["count"], Unit(data["unit"]))
        start = data.get("start")
        if start and not (date(1990, 1, 1) <= start <= date(2200, 12, 31)):
            self.add_error("start", "起算日应在 1990 年至 2200 年之间")
        return data


class HolidayNoticeForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2200)
    title = forms.CharField(label="通知名称", max_length=200)
    text = forms.CharField(
        label="节假日安排",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="每行一项，如“春节 2027-02-06 至 2027-02-14”；调休上班日写“调休上班 2027-02-20”。",
    )

    def clean(self):
        data = super().clean()
        if "year" in data and "text" in data:
            try:
                parse_notice(data["year"], data["text"])
            except NoticeError as exc:
                for number, message in exc.errors:
                    self.add_error("text", f"第{number}行：{message}" if number else message)
        return data
