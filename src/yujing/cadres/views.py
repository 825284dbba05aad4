from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yujing.audit import reads
from yujing.audit.services import Origin
from yujing.orgs import access
from yujing.orgs import selectors as unit_selectors

from . import selectors, services
from .forms import CadreFilterForm, RosterUploadForm
from .roster import RosterError, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@access.permission_required("cadre.view")
def cadre_list(request: HttpRequest) -> HttpResponse:
    units = list(unit_selectors.unit_list(user=request.user))
    form = CadreFilterForm(request.GET or None, units=units)
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        active = data.get("active") or "1"
        filters = {
            "q": data.get("q") or "",
            "unit_id": data.get("unit"),
            "managed_by_id": data.get("managed_by"),
            "principal": {"1": True, "0": False}.get(data.get("principal") or ""),
            "scope_category": data.get("scope_category") or "",
            "active": {"1": True, "0": False}.get(active),
        }
    cadres = selectors.cadre_list(user=request.user, **filters, sort=request.GET.get("sort", ""))
    page = Paginator(cadres, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cadres/cadre_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_import": access.can(request.user, "cadre.import"),
            "sorting": selectors.CADRE_SORT.state(request.GET),
        },
    )


@access.permission_required("cadre.view", per_object=True)
def cadre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    records = selectors.integrity_file(user=request.user, cadre=cadre)
    from django.utils import timezone

    from yujing.cases import selectors as case_selectors

    cases = case_selectors.integrity_cases(user=request.user, cadre=cadre) if records is not None else []
    if records is not None:  # the integrity file is shown: a read of it is logged, as a case's is
        reads.integrity_file_viewed(cadre, by=request.user, origin=Origin.from_request(request))
    from yujing.cases.restrictions import for_reader

    restrictions = (for_reader(case_selectors.restrictions(cadre_ids=[cadre.pk], today=timezone.localdate()),
                               request.user)[cadre.pk]
                    if access.can(request.user, "restriction.query", cadre) else None)
    return render(
        request,
        "cadres/cadre_detail.html",
        {"cadre": cadre, "records": records, "can_see_integrity": records is not None, "cases": cases,
         "restrictions": restrictions,
         "restriction_titles": list(dict.fromkeys(r.title for r in restrictions or [])),
         "can_see_clues": access.can(request.user, "clue.view")},
    )


@access.permission_required("cadre.import")
def roster_import(request: HttpRequest) -> HttpResponse:
    errors: list = []
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_roster(
                data=upload.read(), by=request.user, origin=Origin.from_request(request), filename=upload.name
            )
        except RosterError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                f"导入完成：共 {result.total} 行，新增 {result.created} 人，更新 {result.updated} 人，"
                f"无变化 {result.unchanged} 人。",
            )
            return redirect("cadres:cadre_list")
    return render(
        request,
        "cadres/roster_import.html",
        {"form": form, "errors": errors[:500], "error_count": len(errors)},
        status=400 if errors else 200,
    )


@access.permission_required("cadre.import")
def roster_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%B9%B2%E9%83%A8%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx"
    return response


@access.permission_required("cadre.lookup")
def cadre_lookup(request: HttpRequest) -> HttpResponse:
    from yujing.clues.selectors import open_items

    q = request.GET.get("q", "").strip()[:50]
    cadres = selectors.cadre_lookup(user=request.user, q=q)
    counts = open_items(user=request.user, cadre_ids=[c.pk for c in cadres])
    results = [{"cadre": c, "open": counts[c.pk]} for c in cadres]
    return render(request, "cadres/_lookup_results.html", {"q": q, "results": results})
