from __future__ import annotations

from django import forms

from yujing.forms import StyledForm

from .models import ScopeCategory


class CadreFilterForm(StyledForm):
    q = forms.CharField(label="姓名、编号或职务", required=False, max_length=50)
    unit = forms.IntegerField(label="工作单位", required=False, widget=forms.Select)
    managed_by = forms.IntegerField(label="管理单位", required=False, widget=forms.Select)
    principal = forms.ChoiceField(
        label="主要负责人", required=False, choices=[("", "全部"), ("1", "是"), ("0", "否")]
    )
    scope_category = forms.ChoiceField(
        label="适用类别", required=False, choices=[("", "全部"), *ScopeCategory.choices]
    )
    active = forms.ChoiceField(
        label="在职状态", required=False, choices=[("1", "在职"), ("0", "不在职"), ("all", "全部")]
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "全部"), *[(u.pk, ("　" * max(u.depth - 1, 0)) + u.name) for u in units]]
        self.fields["unit"].widget.choices = choices
        self.fields["managed_by"].widget.choices = choices


class RosterUploadForm(StyledForm):
    file = forms.FileField(label="干部名册(XLSX)", help_text="第一行为表头；可先下载模板")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的文件")
        return upload
