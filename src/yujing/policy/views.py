from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yujing.audit.services import Origin
from yujing.orgs import access

from . import services
from .forms import CalculatorForm, HolidayNoticeForm
from .holidays import package_year
from .loader import get_calendar, get_policy
from .models import HolidayNotice
from .periods import due_date
from .words import Words


def _presets() -> list[dict]:
    """The policy's own time limits, as one-click choices on the calculator."""
    rules = get_policy().rules
    presets = [
        {"label": "线索筛选", "period": rules.screening.period, "article": rules.screening.article},
        {"label": "批准后组织实施", "period": rules.implementation.period, "article": rules.implementation.article},
    ]
    for measure in rules.measures.values():
        if measure.answered:
            presets.append({"label": f"{measure.label}·{measure.response.label}", "period": measure.response.period,
                            "article": measure.response.article})
        if measure.extension:
            presets.append({"label": f"{measure.label}·延期上限", "period": measure.extension.cap,
                            "article": measure.extension.article})
    presets.append({"label": "责令纠错结果向主要领导汇报", "period": rules.outcome_report.period,
                    "article": rules.outcome_report.article})
    presets.append({"label": "季度报表报送", "period": rules.quarterly_report.period,
                    "article": rules.quarterly_report.article})
    return presets


@access.permission_required("policy.view")
def calculator(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = CalculatorForm(request.GET or None, initial={"start": today})
    result = None
    if form.is_valid():
        cal = get_calendar()
        due = due_date(form.cleaned_data["start"], form.cleaned_data["period"], cal, get_policy().rules.calendar.roll)
        days = []
        for i in range(0, min((due.date - due.start).days, 400) + 1):
            day = due.start + timedelta(days=i)
            css = "workday-adjusted" if day in cal.year(day.year).workdays else ("" if cal.is_working_day(day) else "rest")
            days.append({"date": day, "label": cal.day_label(day), "css": css})
        result = {
            "due": due,
            "weekday": "一二三四五六日"[due.date.weekday()],
            "skipped": [{"date": d, "label": cal.day_label(d)} for d in due.skipped],
            "days": days if len(days) <= 62 else None,
            "lead": range(due.start.weekday()),
            "roll": get_policy().rules.calendar.roll,
        }
    start = form.cleaned_data.get("start") if form.is_bound and form.is_valid() else today
    presets = [
        {**p, "url": "?" + urlencode({"start": start.isoformat(), "count": p["period"].count, "unit": p["period"].unit.value})}
        for p in _presets()
    ]
    template = "policy/_calculator_result.html" if request.htmx else "policy/calculator.html"
    return render(request, template, {"form": form, "result": result, "presets": presets})


@access.permission_required("policy.view")
def policy_detail(request: HttpRequest) -> HttpResponse:
    policy = get_policy()
    version = services.register_policy_version(policy)
    from yujing.orgs.models import Unit

    from .page import rows

    # the number example carries the county's own issuer code (the warning office's, as on its documents)
    prefix = (Unit.objects.filter(kind=Unit.Kind.WARNING_OFFICE, is_active=True).exclude(doc_prefix="")
              .values_list("doc_prefix", flat=True).first() or "某纪预")
    example = policy.rules.numbering.format.format(prefix=prefix, year=timezone.localdate().year, seq=3)
    return render(request, "policy/policy_detail.html",
                  {"policy": policy, "rules": policy.rules, "version": version, "number_example": example,
                   "words": Words(policy), "measure_rows": rows(policy),
                   "triggers": [(t, policy.measures[t.measure].label if t.measure else "") for t in policy.rules.triggers]})


@access.permission_required("policy.view")
def calendar(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    notices = {n.year: n for n in HolidayNotice.objects.select_related("entered_by")}
    years = []
    for year in range(this_year - 2, this_year + 3):
        source = "notice" if year in notices else ("package" if package_year(year) else "none")
        years.append({"year": year, "source": source, "notice": notices.get(year)})
    can_manage = access.can(request.user, "calendar.manage")
    form = None
    if can_manage:
        next_year = this_year + 1
        form = HolidayNoticeForm(
            request.POST or None,
            initial={"year": next_year, "title": f"国务院办公厅关于{next_year}年部分节假日安排的通知"},
        )
        if request.method == "POST" and form.is_valid():
            services.enter_holiday_notice(
                year=form.cleaned_data["year"], title=form.cleaned_data["title"], text=form.cleaned_data["text"],
                by=request.user, origin=Origin.from_request(request),
            )
            messages.success(request, f"{form.cleaned_data['year']}年节假日安排已保存，此后的期限按此计算；涉及该年度、尚在进行的期限已重新计算。")
            return redirect("policy:calendar")
    elif request.method == "POST":
        access.require(request.user, "calendar.manage")
    return render(
        request,
        "policy/calendar.html",
        {"years": years, "form": form, "can_manage": can_manage, "notices": sorted(notices.values(), key=lambda n: -n.year),
         "today": timezone.localdate()},
        status=400 if form is not None and form.errors else 200,
    )
