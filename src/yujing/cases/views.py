from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yujing.audit import reads
from yujing.audit.services import Origin, record
from yujing.cadres.models import Cadre
from yujing.documents import notices as document_notices
from yujing.documents import selectors as document_selectors
from yujing.orgs import access, recusal
from yujing.orgs import selectors as unit_selectors
from yujing.orgs.roles import Secrecy
from yujing.policy import words
from yujing.policy.loader import get_policy, is_provisional

from . import actions, previews, selectors
from . import services as cs
from .forms import CaseFilterForm, PurgeForm, RestrictionQueryForm, RestrictionUploadForm
from .models import ChiefReport, WarningCase
from .services._common import case_policy, measure_rules


def filters_from(request: HttpRequest) -> tuple[selectors.CaseFilters, str]:
    """The ledger filters from the query string, and a description of them for exports."""
    form = CaseFilterForm(request.GET or None, units=unit_selectors.unit_list(user=request.user))
    if not form.is_valid():
        return selectors.CaseFilters(), "全部"
    d = form.cleaned_data
    filters = selectors.CaseFilters(
        q=d["q"] or "", measure=d["measure"] or "", status=d["status"] or "",
        unit_id=d["unit"].pk if d["unit"] else None, target_id=d["target"], proposed_from=d["proposed_from"],
        proposed_to=d["proposed_to"], open_only=d["open_only"],
    )
    parts = [d["unit"].name if d["unit"] else "", f"{d['proposed_from'] or ''}至{d['proposed_to'] or ''}"
             if d["proposed_from"] or d["proposed_to"] else "", dict(form.fields["measure"].choices).get(d["measure"], "")
             if d["measure"] else "", "仅未办结" if d["open_only"] else ""]
    return filters, "，".join(p for p in parts if p) or "全部"


@access.permission_required("ledger.view")
def case_list(request: HttpRequest) -> HttpResponse:
    """The ledger (台帐, 第二十六条): every case once, filtered."""
    form = CaseFilterForm(request.GET or None, units=unit_selectors.unit_list(user=request.user))
    filters, _ = filters_from(request)
    cases = selectors.case_list(user=request.user, filters=filters, sort=request.GET.get("sort", ""))
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/case_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate(),
        "sorting": selectors.CASE_SORT.state(request.GET), "words": words.in_force(),
    })


def _page(request, case, *, bound=None, status=200):
    today = timezone.localdate()
    names = actions.available(case, request.user, today)
    forms = []
    for name in names:
        action = actions.ACTIONS[name]
        form = bound[1] if bound and bound[0] == name else action.form(case=case, user=request.user,
                                                                      prefix=name)
        forms.append({"name": name, "label": cs_label(name, case), "form": form, "button": action.button,
                      "open": bool(bound and bound[0] == name)})
    cap = cs.extension_cap(case)
    context = {
        "case": case,
        "entries": selectors.timeline(case),
        "next_steps": selectors.next_steps(case),
        "choose_delivery": selectors.delivery_to_choose(case),
        "forms": forms,
        "today": today,
        "blockers": selectors.blockers(case, today),
        "restricted": selectors.restrictions(cadre_ids=[case.target_id], today=today)[case.target_id],
        "reports": list(case.chiefreports.all()),
        "can_see_reports": access.has_role_over(request.user, ["party_chief", cs.chief_role(case)], case) is not None,
        # the chief the reports went to reads them (阅知, 第十七条, 第三十一条)
        "can_mark_seen": access.has_role_over(request.user, [cs.chief_role(case)], case) is not None,
        "cap": cap,
        "cap_provisional": is_provisional(cap),
        "slots": document_notices.attach(request, document_selectors.case_slots(case), owner=f"case:{case.pk}"),
        "generate_base": document_selectors.generate_base(case=case),
        "can_generate": access.can(request.user, "case.manage", case),
        "recused": recusal.reason(request.user, case.target),
        "secrecy_obj": case, "secrecy_url": "cases:case_secrecy", "secrecy_choices": Secrecy.choices,
        "can_classify": access.can(request.user, "case.classify", case),
        "articles": _case_articles(case),
        "words": words.of_case(case),  # the case's own policy's words (请县领导主谈 …)
    }
    return render(request, "cases/case_detail.html", context, status=status)


def _case_articles(case: WarningCase) -> dict[str, str]:
    """The articles the case page cites, from the case's policy ("" where it states none)."""
    w = words.of_case(case)
    rules = case_policy(case).rules
    return {"implementation": rules.implementation.article, "minutes": measure_rules(case).approval_article,
            "talk": rules.talk.article, "delegation": w.cite("delegation"), "deliveries": w.cite("deliveries"),
            "talk_card": "、".join(filter(None, [w.cite("delegation"), rules.talk.article]))}


def cs_label(name: str, case: WarningCase | None = None) -> str:
    """A workflow step's name, in the words of the case's policy (of the policy in force without a case)."""
    from .workflow import TRANSITIONS

    transition = TRANSITIONS[name]
    return transition.label_in(case_policy(case)) if case is not None else transition.label


@access.permission_required("case.view", per_object=True)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    reads.case_viewed(case, by=request.user, origin=Origin.from_request(request))
    return _page(request, case)


def _require_offered(request: HttpRequest, case: WarningCase, name: str) -> None:
    """Action ``name`` must be one the case page offers this user now (actions.available): 404 when the
    case is out of their sight, 403 when they see it but may not do this."""
    if name not in actions.available(case, request.user, timezone.localdate()):
        access.require(request.user, "case.view", case)
        raise PermissionDenied("您现在不能进行此操作")


@require_POST
@access.permission_required("case.manage", per_object=True)
def case_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Post one workflow action from the case page; a refusal shows the page again with the form's
    errors and everything typed still in it."""
    if name not in actions.ACTIONS:
        raise Http404("未找到")
    case = selectors.case_get(user=request.user, pk=pk)
    action = actions.ACTIONS[name]
    _require_offered(request, case, name)
    form = action.form(request.POST, request.FILES, case=case, user=request.user, prefix=name)
    if form.is_valid():
        try:
            action.run(case, request.user, timezone.localdate(), form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, action.done_for(case))
            return redirect("cases:case_detail", pk=pk)
    case = selectors.case_get(user=request.user, pk=pk)
    return _page(request, case, bound=(name, form), status=400)


@access.permission_required("case.view", per_object=True)
def case_due(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The due-date preview under a date field of the case page (htmx, GET): the time limit the typed
    date will set, before the form is saved. The same access as posting that form (case_act)."""
    if name not in previews.FIELDS:
        raise Http404("未找到")
    case = selectors.case_get(user=request.user, pk=pk)
    today = timezone.localdate()
    _require_offered(request, case, name)
    if previews.FIELDS[name] not in actions.ACTIONS[name].form(case=case, user=request.user, prefix=name).fields:
        raise Http404("未找到")  # the form this user gets has no such date (a meeting date is the committee's)
    value = request.GET.get(f"{name}-{previews.FIELDS[name]}")
    return render(request, "policy/_due_preview.html", {"preview": previews.preview(case, name, value, today=today)})


@access.permission_required("case.view")
def minutes_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes of a committee decision: access-checked (jurisdiction, 密级) and every download audited."""
    from .downloads import minutes_response

    minutes = selectors.minutes_get(user=request.user, pk=pk)
    return minutes_response(minutes, by=request.user, origin=Origin.from_request(request))


@require_POST
@access.permission_required("case.view_reported", per_object=True)
def report_seen(request: HttpRequest, pk: int) -> HttpResponse:
    """阅知: the county party chief, or for a unit's own correction its party committee's leader (the
    service decides who: chief_role); a report out of the user's sight is not found."""
    report = ChiefReport.objects.filter(pk=pk).select_related("case__unit_in_charge").first()
    if report is None or not access.in_jurisdiction(request.user, report.case):
        raise Http404("未找到")
    cs.mark_report_seen(report=report, by=request.user, origin=Origin.from_request(request))
    messages.success(request, "已阅知。")
    if access.can(request.user, "case.view_reported"):
        return redirect("cases:chief_reports")
    return redirect("cases:case_detail", pk=report.case_id)


@access.permission_required("case.view_reported")
def chief_reports(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.chief_reports_for(user=request.user), 30).get_page(request.GET.get("page"))
    policy = get_policy()
    heading = "、".join(filter(None, [words.cite(policy, "chief_report"), policy.rules.outcome_report.article]))
    return render(request, "cases/chief_reports.html", {"page": page, "words": words.Words(policy),
                                                        "heading_articles": heading})


@access.permission_required("notices.inbox")
def notices(request: HttpRequest) -> HttpResponse:
    """书面通报 received by the user's units (第三十一条)."""
    from yujing.oversight.meetings import circulars_for

    page = Paginator(selectors.notices_for(user=request.user), 30).get_page(request.GET.get("page"))
    w = words.in_force()
    circular_articles = "、".join(filter(None, [w.cite("statistics"), w.cite("joint_meeting")]))
    return render(request, "cases/notices.html", {"page": page, "circulars": circulars_for(user=request.user)[:20],
                                                  "words": w, "circular_articles": circular_articles})


@access.permission_required("restriction.query")
def restriction_query(request: HttpRequest) -> HttpResponse:
    """Is this cadre restricted today, why, and until when (第三十一条)? One by name or code, or a whole
    list of candidates uploaded as XLSX."""
    from django.http import FileResponse

    from . import batch

    today = timezone.localdate()
    upload = RestrictionUploadForm(request.POST or None, request.FILES or None)
    answers = None
    if request.method == "POST" and upload.is_valid():
        try:
            candidates = batch.read_candidates(upload.cleaned_data["file"].read())
        except ValidationError as exc:
            upload.add_error("file", exc.messages)
        else:
            answers = batch.answer(user=request.user, candidates=candidates, today=today)
            with transaction.atomic():
                record("cases.restriction.queried", by=request.user, origin=Origin.from_request(request),
                       data={"cadres": [a.cadre.pk for a in answers if a.cadre], "asked": len(candidates),
                             "file": upload.cleaned_data["file"].name})
            if "download" in request.POST:
                return FileResponse(batch.answers_xlsx(answers, today), as_attachment=True, filename="限制查询结果.xlsx")
    form = RestrictionQueryForm(request.GET or None)
    rows = []
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        from django.db.models import Q

        cadres = list(access.restrict(Cadre.objects.filter(Q(name=q) | Q(code__iexact=q) | Q(name__contains=q)),
                                      request.user, "restriction.query").select_related("unit")[:50])
        from .restrictions import for_reader

        found = for_reader(selectors.restrictions(cadre_ids=[c.pk for c in cadres], today=today), request.user)
        rows = [{"cadre": c, "restrictions": found[c.pk]} for c in cadres]
        with transaction.atomic():
            record("cases.restriction.queried", by=request.user, origin=Origin.from_request(request),
                   data={"q": q, "cadres": [c.pk for c in cadres]})
    from yujing.policy.loader import get_policy

    from .restrictions import policy_summary

    return render(request, "cases/restrictions.html",
                  {"form": form, "rows": rows, "today": today, "upload": upload, "answers": answers,
                   "rule": policy_summary(get_policy())},
                  status=400 if upload.errors else 200)


@require_POST
@access.permission_required("case.classify", per_object=True)
def case_secrecy(request: HttpRequest, pk: int) -> HttpResponse:
    from yujing.orgs.views import set_secrecy_page

    case = access.get_object_or_deny(WarningCase.objects.select_related("unit_in_charge", "target"), request.user,
                                     "case.classify", pk=pk)
    return set_secrecy_page(request, case, "cases:case_detail")


@access.permission_required("case.purge")
def purge(request: HttpRequest) -> HttpResponse:
    """到期销毁: the archived cases whose retention has ended — numbers and dates only — and the
    administrator's logged purge of them (cases/services/purge.py)."""
    today = timezone.localdate()
    form = PurgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            numbers = cs.purge_expired(by=request.user, today=today, reason=form.cleaned_data["reason"],
                                       origin=Origin.from_request(request))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, errs in error.error_dict.items():
                    form.add_error(key if key in form.fields else None, errs)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, f"已销毁保存期满的预警事项 {len(numbers)} 件：{'、'.join(numbers)}。审计日志已记录。")
            return redirect("cases:purge")
    found = cs.purge_candidates(request.user, today=today)
    return render(request, "cases/purge.html", {
        "form": form, "due": [(c, cs.kept_until(c.closed_on)) for c in found.due],
        "held": [(c, cs.kept_until(c.closed_on), why) for c, why in found.held], "today": today,
        "retention": get_policy().rules.retention,
    }, status=400 if form.errors else 200)
