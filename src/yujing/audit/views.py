from __future__ import annotations

import csv
from datetime import date, datetime, time

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from yujing.core.cells import neutral_row
from yujing.orgs import access

from .models import Event
from .sentences import describe, sentences
from .services import Origin, record


def _events(request: HttpRequest):
    """The events the auditor may read, filtered by person, object, action and period."""
    prefixes = sorted({g.scope_path for g in access.grants(request.user)
                       if g.role in access.allowed_roles("audit.view")})
    scope = Q(unit_path="")
    for prefix in prefixes:
        scope |= Q(unit_path__startswith=prefix)
    events = Event.objects.filter(scope) if prefixes else Event.objects.none()
    g = request.GET
    if g.get("person"):
        events = events.filter(Q(actor_name__contains=g["person"]) | Q(actor__username=g["person"]))
    if g.get("action"):
        events = events.filter(action=g["action"])
    if g.get("object"):
        events = events.filter(Q(object_repr__contains=g["object"]) | Q(object_id=g["object"]))
    for key, lookup, moment in (("from", "at__gte", time.min), ("to", "at__lte", time.max)):
        try:
            day = date.fromisoformat(g.get(key, ""))
        except ValueError:
            continue
        events = events.filter(**{lookup: timezone.make_aware(datetime.combine(day, moment))})
    return events.order_by("-id")


@access.permission_required("audit.view")
def event_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_events(request), 100).get_page(request.GET.get("page"))
    for event in page:
        event.sentence = describe(event.action, event.data)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/event_list.html", {"page": page, "actions": sorted(sentences().items(),
                                                                                      key=lambda kv: kv[1]),
                                                     "query": query.urlencode(), "g": request.GET})


class _Echo:
    def write(self, value):
        return value


@access.permission_required("audit.view")
def event_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV (UTF-8 with BOM, so Excel and WPS read the Chinese), streamed."""
    events = _events(request)
    with transaction.atomic():
        record("audit.log.exported", by=request.user, origin=Origin.from_request(request),
               data={"filters": {k: v for k, v in request.GET.items()}})
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"
        yield writer.writerow(["编号", "时间", "操作人", "事件", "说明", "对象", "来源地址", "哈希"])
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow(neutral_row([
                e.id, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.actor_name, e.action,
                describe(e.action, e.data), e.object_repr, e.ip or "", e.hash]))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''audit-log.csv"
    return response
