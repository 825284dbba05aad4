from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yujing.cadres import selectors as cadre_selectors
from yujing.orgs import access

from . import selectors


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
