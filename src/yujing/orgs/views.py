from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yujing.audit.services import Origin
from yujing.cadres import selectors as cadre_selectors
from yujing.orgs import access

from . import secrecy, selectors, services
from .models import Relation
from .roles import Secrecy


@access.permission_required("unit.view")
def unit_list(request: HttpRequest) -> HttpResponse:
    units = selectors.unit_tree(user=request.user)
    return render(request, "orgs/unit_list.html", {"units": units, "can_see_cadres": access.can(request.user, "cadre.view")})


@access.permission_required("unit.view", per_object=True)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(user=request.user, pk=pk)
    context = {"unit": unit, "children": selectors.unit_list(user=request.user).filter(parent=unit)}
    if access.can(request.user, "cadre.view"):
        working = cadre_selectors.cadre_list(user=request.user, unit_id=unit.pk)
        managed = cadre_selectors.cadre_list(user=request.user, managed_by_id=unit.pk)
        context["working"] = Paginator(working, 50).get_page(request.GET.get("page"))
        context["managed_count"] = managed.count()
    return render(request, "orgs/unit_detail.html", context)


class RelationForm(forms.Form):
    cadre = forms.CharField(label="干部编号或姓名", max_length=50,
                            help_text="干部名册中的人员；重名时请填写干部编号")
    kind = forms.ChoiceField(label="关系类别", choices=Relation.Kind.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="说明", max_length=200, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "如：配偶的兄弟；2019—2022年直接上级"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from yujing.policy.words import in_force

        self.fields["cadre"].help_text = f"{in_force().here()}干部名册中的人员；重名时请填写干部编号"
        for name, field in self.fields.items():
            if name != "kind":
                field.widget.attrs.setdefault("class", "form-control")


def relations(request: HttpRequest) -> HttpResponse:
    """回避申报: every signed-in user declares their own relations to cadres. From then on the case services
    refuse to let them screen, approve or talk about those cadres; an administrator may withdraw one."""
    form = RelationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            relation = services.declare_relation(
                user=request.user, cadre_ref=form.cleaned_data["cadre"], kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"], origin=Origin.from_request(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已申报与{relation.cadre.name}的{relation.get_kind_display()}，涉及其的预警事项您将回避。")
            return redirect("relations")
    declared = Relation.objects.filter(user=request.user).select_related("cadre__unit").order_by("-declared_at")
    return render(request, "orgs/relations.html", {"form": form, "declared": declared},
                  status=400 if form.errors else 200)


class SecrecyForm(forms.Form):
    level = forms.ChoiceField(label="密级", choices=Secrecy.choices,
                              widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    reason = forms.CharField(label="理由", max_length=200,
                             widget=forms.TextInput(attrs={"class": "form-control form-control-sm",
                                                           "placeholder": "如：涉及县管干部，经分管副书记同意定为秘密"}))


def set_secrecy_page(request: HttpRequest, obj: Any, detail: str) -> HttpResponse:
    """POST of the 密级 form on a clue or case page; a refusal shows the form again with what was typed."""
    form = SecrecyForm(request.POST)
    if form.is_valid():
        try:
            secrecy.set_secrecy(obj=obj, level=form.cleaned_data["level"], reason=form.cleaned_data["reason"],
                                by=request.user, origin=Origin.from_request(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"密级已定为“{Secrecy(form.cleaned_data['level']).label}”。")
            return redirect(detail, pk=obj.pk)
    return render(request, "orgs/secrecy_form.html", {"form": form, "obj": obj, "detail": detail}, status=400)
