from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yujing.audit import reads
from yujing.audit.services import Origin
from yujing.core.dates import cn_date, office_day
from yujing.orgs import access
from yujing.policy.words import in_force

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


# --- quarterly reports (第四条) -------------------------------------------------------------------


def _quarter(request: HttpRequest) -> tuple[int, int]:
    from .reports import last_quarter

    try:
        year, quarter = int(request.GET.get("year", "")), int(request.GET.get("quarter", ""))
        if 2000 <= year <= 2200 and 1 <= quarter <= 4:
            return year, quarter
    except ValueError:
        pass
    return last_quarter(timezone.localdate())


def _figure_rows(values: dict, links: str | None) -> list[dict]:
    from . import figures
    from .reports import LABELS

    parents = {f.key: f.parent for f in figures.definitions(timezone.localdate(), timezone.localdate())}
    return [{"key": key, "label": LABELS.get(key, key), "value": value, "part": bool(parents.get(key)),
             "url": f"{links}figure/{key}/" if links else ""} for key, value in values.items()]


@access.permission_required("report.view")
def reports(request: HttpRequest) -> HttpResponse:
    """Who has and has not submitted the quarter's report, and the roll-up of the user's area."""
    from yujing.orgs.models import Unit

    from . import figures
    from . import reports as report_service

    year, quarter = _quarter(request)
    units = access.restrict(report_service.reporting_units("/"), request.user, "report.view")
    due_on = report_service.due_date(year, quarter)
    rows = report_service.quarter_rows(units=units, year=year, quarter=quarter, today=timezone.localdate())
    scopes = sorted({g.scope_path for g in access.grants(request.user)
                     if g.role in access.allowed_roles("report.view")}, key=len)
    area = Unit.objects.filter(path=scopes[0]).first() if scopes else None
    rollup = _figure_rows(figures.compute(prefix=area.path, year=year, quarter=quarter), None) if area else []
    return render(request, "oversight/reports.html", {
        "year": year, "quarter": quarter, "rows": rows, "due_on": due_on, "today": timezone.localdate(),
        "area": area, "rollup": rollup, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
    })


@access.permission_required("report.view", per_object=True)
def report(request: HttpRequest, unit: int, year: int, quarter: int) -> HttpResponse:
    from yujing.orgs.models import Unit

    from . import figures
    from . import reports as report_service
    from .models import QuarterlyReport

    unit_obj = access.get_object_or_deny(Unit.objects.all(), request.user, "report.view", pk=unit)
    if not 1 <= quarter <= 4:
        from django.http import Http404

        raise Http404
    existing = QuarterlyReport.objects.filter(unit=unit_obj, year=year, quarter=quarter).select_related(
        "submitted_by", "returned_by").first()
    now = figures.compute(prefix=unit_obj.path, year=year, quarter=quarter)
    base = f"/oversight/reports/{unit_obj.pk}/{year}/{quarter}/"
    owing = report_service.reporting(today=timezone.localdate(), units=Unit.objects.filter(pk=unit_obj.pk),
                                     quarter=(year, quarter))
    context = {
        "owes": owing.owes(unit_obj.pk, year, quarter), "since": owing.since.get(unit_obj.pk),
        "ended": (year, quarter) <= report_service.last_quarter(timezone.localdate()), "today": timezone.localdate(),
        "unit": unit_obj, "year": year, "quarter": quarter, "report": existing,
        "rows": _figure_rows(report_service.in_order(existing.figures) if existing and existing.status == "submitted"
                             else now, base),
        "categories": figures.categories(prefix=unit_obj.path, year=year, quarter=quarter),
        "differences": report_service.differences(existing) if existing and existing.status == "submitted" else [],
        "due_on": report_service.due_date(year, quarter),
        "can_submit": access.can(request.user, "report.submit", unit_obj) and unit_obj.kind in report_service.reporting_kinds()
        and not (existing and existing.status == "submitted"),
        "can_return": access.can(request.user, "report.return", unit_obj) and existing and existing.status == "submitted",
    }
    if request.method == "POST":
        try:
            if request.POST.get("action") == "submit" and context["can_submit"]:
                report_service.submit(unit=unit_obj, year=year, quarter=quarter, remarks=request.POST.get("remarks", ""),
                                      by=request.user, today=timezone.localdate(), origin=Origin.from_request(request))
                messages.success(request, "季度统计报表已报送。")
            elif request.POST.get("action") == "return" and context["can_return"]:
                report_service.send_back(report=existing, reason=request.POST.get("reason", ""), by=request.user,
                                         origin=Origin.from_request(request))
                messages.success(request, "已退回。")
            else:
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied("您现在不能进行此操作")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(base)
    reads.report_viewed(unit_obj, year, quarter, by=request.user, origin=Origin.from_request(request))
    return render(request, "oversight/report.html", context)


@access.permission_required("report.view", per_object=True)
def report_figure(request: HttpRequest, unit: int, year: int, quarter: int, key: str) -> HttpResponse:
    """The rows behind one figure of a report."""
    from django.http import Http404

    from yujing.orgs.models import Unit

    from . import figures

    unit_obj = access.get_object_or_deny(Unit.objects.all(), request.user, "report.view", pk=unit)
    try:
        definition = figures.figure(key, year, quarter)
    except (KeyError, ValueError):
        raise Http404("没有这个统计项") from None
    rows = figures.rows(prefix=unit_obj.path, key=key, year=year, quarter=quarter)
    # the figure counts every row; the list names only those whose clue or case the user may open (密级, role)
    total = rows.count()
    rows = figures.visible_rows(rows, request.user, definition)
    page = Paginator(rows.order_by("pk"), 50).get_page(request.GET.get("page"))
    reads.report_viewed(unit_obj, year, quarter, by=request.user, origin=Origin.from_request(request), figure=key)
    items = [_link(obj) for obj in page]
    return render(request, "oversight/report_figure.html", {"unit": unit_obj, "year": year, "quarter": quarter,
                                                            "definition": definition, "page": page, "items": items,
                                                            "withheld": total - page.paginator.count})


def _link(obj) -> dict:
    """Where a row behind a figure is seen: its case or its clue."""
    from yujing.cases.models import WarningCase
    from yujing.clues.models import Clue

    case = obj if isinstance(obj, WarningCase) else getattr(obj, "case", None)
    if case is not None:
        return {"label": f"{case.number} {case.target.name} {case.get_measure_display()}", "url": f"/cases/{case.pk}/"}
    clue = obj if isinstance(obj, Clue) else getattr(obj, "clue", None)
    return {"label": f"{clue.number} {clue.summary}", "url": f"/clues/{clue.pk}/"}


@access.permission_required("report.view", per_object=True)
def report_export(request: HttpRequest, unit: int, year: int, quarter: int, fmt: str) -> HttpResponse:
    """A unit's report (as submitted, or as computed when not yet submitted) as XLSX or PDF."""
    from django.db import transaction
    from django.http import FileResponse, Http404

    from yujing.audit.services import record
    from yujing.orgs.models import Unit

    from . import exports, figures
    from . import reports as report_service
    from .models import QuarterlyReport

    unit_obj = access.get_object_or_deny(Unit.objects.all(), request.user, "report.view", pk=unit)
    if fmt not in ("xlsx", "pdf") or not 1 <= quarter <= 4:
        raise Http404
    existing = QuarterlyReport.objects.filter(unit=unit_obj, year=year, quarter=quarter,
                                              status=QuarterlyReport.Status.SUBMITTED).first()
    values = (report_service.in_order(existing.figures) if existing
              else figures.compute(prefix=unit_obj.path, year=year, quarter=quarter))
    cats = existing.categories if existing else figures.categories(prefix=unit_obj.path, year=year, quarter=quarter)
    title = f"{unit_obj.name}预警工作统计报表"
    state = f"{cn_date(office_day(existing.submitted_at))}报送" if existing else f"{cn_date(timezone.localdate())}计算，尚未报送"
    subtitle = f"{year}年第{quarter}季度（{state}）"
    with transaction.atomic():
        record("oversight.report.exported", by=request.user, obj=unit_obj, unit_path=unit_obj.path,
               origin=Origin.from_request(request), data={"year": year, "quarter": quarter, "format": fmt})
    name = f"{unit_obj.name}{year}年第{quarter}季度预警工作统计报表.{fmt}"
    if fmt == "xlsx":
        return FileResponse(exports.report_xlsx(title=title, subtitle=subtitle, values=values, categories=cats,
                                                remarks=existing.remarks if existing else ""),
                            as_attachment=True, filename=name)
    from yujing.documents.render import RenderError

    try:
        pdf = exports.report_pdf(title=title, subtitle=subtitle, values=values, categories=cats,
                                 remarks=existing.remarks if existing else "")
    except RenderError as exc:
        messages.error(request, str(exc))
        return redirect("oversight:report", unit=unit, year=year, quarter=quarter)
    import io

    return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=name, content_type="application/pdf")


@access.permission_required("oversight.board")
def dashboard(request: HttpRequest) -> HttpResponse:
    """Charts of clues and cases by quarter, unit, channel, measure and problem category."""
    from datetime import date

    from yujing.orgs import selectors as unit_selectors

    from . import dashboard as charts

    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = date(today.year - 1, 1, 1)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    units = list(unit_selectors.unit_list(user=request.user))
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit", "")), None)
    data = charts.data(user=request.user, start=start, end=end, unit_path=unit.path if unit else "", today=today)
    return render(request, "oversight/dashboard.html",
                  {"data": data, "start": start, "end": end, "units": units, "unit": unit})


# --- annual assessment (第三十二条) ---------------------------------------------------------------


@access.permission_required("assessment.view")
def assessments(request: HttpRequest) -> HttpResponse:
    from .assessment import metrics
    from .models import Assessment
    from .reports import reporting_units

    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    units = list(access.restrict(reporting_units("/"), request.user, "assessment.view"))
    done = {a.unit_id: a for a in Assessment.objects.filter(unit__in=units, year=year)}
    rows = [{"unit": u, "assessment": done.get(u.pk), "metrics": metrics(unit=u, year=year, today=today)}
            for u in units]
    return render(request, "oversight/assessments.html", {"rows": rows, "year": year,
                                                           "years": range(today.year, today.year - 5, -1)})


@access.permission_required("assessment.view", per_object=True)
def assessment(request: HttpRequest, unit: int, year: int) -> HttpResponse:
    from decimal import Decimal, InvalidOperation

    from yujing.orgs.models import Unit
    from yujing.policy.loader import get_policy

    from .assessment import metrics, score, suggested
    from .models import ASSESSMENT_ITEMS, Assessment

    today = timezone.localdate()
    unit_obj = access.get_object_or_deny(Unit.objects.all(), request.user, "assessment.view", pk=unit)
    points = get_policy().rules.assessment.points
    data = metrics(unit=unit_obj, year=year, today=today)
    existing = Assessment.objects.filter(unit=unit_obj, year=year).select_related("assessor").first()
    errors: dict = {}
    if request.method == "POST":
        values = {}
        for key, _ in ASSESSMENT_ITEMS:
            try:
                values[key] = (Decimal(request.POST.get(f"{key}_score", "")), request.POST.get(f"{key}_comment", ""))
            except InvalidOperation:
                values[key] = (None, request.POST.get(f"{key}_comment", ""))
        try:
            score(unit=unit_obj, year=year, scores=values, by=request.user, today=today,
                  origin=Origin.from_request(request))
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, "考核评分已保存。")
            return redirect("oversight:assessment", unit=unit, year=year)
    hints = suggested(data, points)
    items = [{"key": key, "label": label, "hint": hints[key],
              "score": request.POST.get(f"{key}_score") if request.method == "POST" else (
                  existing.scores.get(key, {}).get("score") if existing else ""),
              "comment": request.POST.get(f"{key}_comment") if request.method == "POST" else (
                  existing.scores.get(key, {}).get("comment") if existing else ""),
              "errors": errors.get(key, [])} for key, label in ASSESSMENT_ITEMS]
    return render(request, "oversight/assessment.html", {
        "unit": unit_obj, "year": year, "metrics": data, "items": items, "points": points, "existing": existing,
        "can_score": access.can(request.user, "assessment.score", unit_obj),
    }, status=400 if errors else 200)


@access.permission_required("assessment.view")
def assessments_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    import tempfile

    from django.http import FileResponse
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .models import ASSESSMENT_ITEMS, Assessment

    scored = access.restrict(Assessment.objects.filter(year=year), request.user, "assessment.view").select_related(
        "unit", "assessor").order_by("unit__path")
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年度考核"
    article = in_force().policy.rules.assessment.article
    sheet.append([f"{year}年度预警工作检查考核（{article}）" if article else f"{year}年度预警工作检查考核"])
    sheet["A1"].font = Font(bold=True, size=14)
    header = ["单位", *[label for _, label in ASSESSMENT_ITEMS], "总分", "评语", "筛选按期率", "实施按期率",
              "按期报送季报", "责任追究情形", "考核人"]
    sheet.append(header)
    for a in scored:
        m = a.metrics
        sheet.append([a.unit.name, *[float(a.scores.get(k, {}).get("score", 0)) for k, _ in ASSESSMENT_ITEMS],
                      float(a.total), "；".join(f"{label}：{a.scores[k]['comment']}" for k, label in ASSESSMENT_ITEMS
                                               if a.scores.get(k, {}).get("comment")),
                      m.get("screening_on_time"), m.get("implementation_on_time"), m.get("reports_on_time"),
                      m.get("lapses"), str(a.assessor)])
    out = tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024)  # noqa: SIM115 — the response closes it
    from yujing.core.cells import neutralise_workbook

    neutralise_workbook(book)
    book.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{year}年度预警工作考核.xlsx")


# --- joint meeting (第五、六条) ------------------------------------------------------------------


@access.permission_required("meeting.view")
def meetings(request: HttpRequest) -> HttpResponse:
    from . import meetings as service
    from .forms import CircularForm, MeetingForm
    from .models import Circular, JointMeeting
    from .reports import last_quarter

    county = service.county_for(request.user)
    today = timezone.localdate()
    can_manage = access.can(request.user, "meeting.manage")
    form = MeetingForm(request.POST or None, members=service.members(county), initial={"held_on": today})
    year, quarter = last_quarter(today)
    circular_form = CircularForm(initial={"year": year, "quarter": quarter})
    if request.method == "POST" and can_manage:
        if "circulate" in request.POST:
            circular_form = CircularForm(request.POST)
            if circular_form.is_valid():
                try:
                    service.circulate(by=request.user, year=circular_form.cleaned_data["year"],
                                      quarter=circular_form.cleaned_data["quarter"], today=today,
                                      origin=Origin.from_request(request))
                except ValidationError as exc:
                    circular_form.add_error(None, exc.messages)
                else:
                    messages.success(request, "已向各成员单位通报。")
                    return redirect("oversight:meetings")
        elif form.is_valid():
            d = form.cleaned_data
            try:
                meeting = service.record_meeting(by=request.user, today=today, held_on=d["held_on"], place=d["place"],
                                                 topic=d["topic"], minutes=d["minutes"], attendees=list(d["attendees"]),
                                                 attendee_names=d["attendee_names"], origin=Origin.from_request(request))
            except ValidationError as exc:
                for key, errs in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errs)
            else:
                messages.success(request, "联席会议已记录。")
                return redirect("oversight:meeting", pk=meeting.pk)
    elif request.method == "POST":
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(f"只有{in_force().local('office')}可以记录联席会议")
    words = in_force()
    return render(request, "oversight/meetings.html", {
        "meeting_articles": "、".join(a for a in (words.cite("joint_meeting"), words.cite("liaisons")) if a),
        "meetings": access.restrict(JointMeeting.objects.all(), request.user, "meeting.view").prefetch_related(
            "attendees"),
        "circulars": Circular.objects.filter(county=county).prefetch_related("recipients"),
        "form": form if can_manage else None, "circular_form": circular_form if can_manage else None,
    }, status=400 if form.errors or circular_form.errors else 200)


@access.permission_required("meeting.view", per_object=True)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    from yujing.cadres.models import Cadre

    from . import meetings as service
    from .forms import MeetingClueForm
    from .models import JointMeeting

    item = access.get_object_or_deny(JointMeeting.objects.prefetch_related("attendees", "clues"), request.user,
                                     "meeting.view", pk=pk)
    can_manage = access.can(request.user, "meeting.manage", item)
    form = MeetingClueForm(request.POST or None, attendees=item.attendees.all())
    if request.method == "POST":
        access.require(request.user, "meeting.manage", item)
        if form.is_valid():
            d = form.cleaned_data
            try:
                clue = service.raise_clue(meeting=item, by=request.user, member=d["member"], summary=d["summary"],
                                          detail=d["detail"], concerned=form.concerned(),
                                          origin=Origin.from_request(request))
            except ValidationError as exc:
                for key, errs in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errs)
            else:
                messages.success(request, f"会上提出的线索已登记为 {clue.number}。")
                return redirect("oversight:meeting", pk=pk)
    ids = form.data.getlist("cadre_ids") if form.is_bound else []
    chosen = list(Cadre.objects.filter(pk__in=[int(i) for i in ids if str(i).isdigit()]).select_related("unit"))
    return render(request, "oversight/meeting.html", {"meeting": item, "form": form if can_manage else None,
                                                      "chosen": chosen}, status=400 if form.errors else 200)
