from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yujing.audit.services import Origin
from yujing.orgs import access

from . import selectors, services
from .deadlines import GRADE_LABELS
from .models import LapseNote, Notification


@access.permission_required("oversight.mywork")
def my_work(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.my_work(user=request.user, today=today)
    return render(request, "oversight/my_work.html", {"rows": rows[:300], "total": len(rows), "today": today})


@access.permission_required("oversight.board")
def board(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    units = selectors.board(user=request.user, today=today)
    totals: dict[str, int] = {}
    for unit in units:
        for grade, count in unit.counts.items():
            totals[grade] = totals.get(grade, 0) + count
    return render(request, "oversight/board.html",
                  {"units": units, "today": today, "totals": totals, "labels": GRADE_LABELS})


@access.permission_required("lapse.view")
def lapses(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "oversight/lapses.html", {
        "units": selectors.lapse_list(user=request.user, today=today), "statuses": LapseNote.Status.choices,
        "can_annotate": access.can(request.user, "lapse.annotate"),
    })


@require_POST
@access.permission_required("lapse.annotate")
def annotate(request: HttpRequest) -> HttpResponse:
    try:
        services.annotate_lapse(key=request.POST.get("key", ""), status=request.POST.get("status", ""),
                                note=request.POST.get("note", ""), by=request.user, today=timezone.localdate(),
                                origin=Origin.from_request(request))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已记录处理情况。")
    return redirect("oversight:lapses")


@access.permission_required("oversight.mywork")
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "oversight/notifications.html", {"page": page})


@require_POST
@access.permission_required("oversight.mywork")
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = Notification.objects.filter(pk=pk, user=request.user).first()
    if notification is not None:
        services.mark_read(notification=notification, by=request.user)
    return redirect("oversight:notifications")
