from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yujing.audit import reads
from yujing.audit.selectors import history
from yujing.audit.services import Origin
from yujing.core import idempotency
from yujing.core.dates import cn_date
from yujing.documents import notices as document_notices
from yujing.documents import selectors as document_selectors
from yujing.orgs import access
from yujing.orgs import selectors as unit_selectors
from yujing.orgs.models import Unit
from yujing.orgs.roles import Secrecy
from yujing.policy.loader import get_policy
from yujing.policy.previews import Preview, deadline, for_typed, problem

from . import selectors, services
from .downloads import attachment_response
from .forms import (
    AttachForm,
    ClueFilterForm,
    ClueForm,
    FeedbackForm,
    MergeForm,
    ScreenForm,
    TransferForm,
    uploads_from,
)
from .models import Clue, ClueCadre


def _apply_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: per field where it names one, else on the form."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            key = form.error_field(key) if hasattr(form, "error_field") else key
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _county_units(user):
    return Unit.objects.filter(is_active=True, path__startswith=(access.county_paths(user) or ["~"])[0]).order_by("path")


@access.permission_required("clue.view")
def clue_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ClueFilterForm(request.GET or None, units=unit_selectors.unit_list(user=request.user))
    filters = selectors.ClueFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.ClueFilters(
            q=d["q"] or "", channel=d["channel"] or "", status=d["status"] or "",
            unit_id=d["unit"].pk if d["unit"] else None, category_id=d["category"].pk if d["category"] else None,
            received_from=d["received_from"], received_to=d["received_to"],
            late={"1": True, "0": False}.get(d["late"] or ""), cadre_id=d["cadre"],
        )
    clues = selectors.clue_list(user=request.user, today=today, filters=filters, sort=request.GET.get("sort", ""))
    page = Paginator(clues, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "clues/clue_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": today,
        "can_register": access.can(request.user, "clue.register"), "sorting": selectors.CLUE_SORT.state(request.GET),
    })


@access.permission_required("clue.register")
def clue_create(request: HttpRequest) -> HttpResponse:
    return idempotency.once(request, lambda: _clue_create(request))


def _clue_create(request: HttpRequest) -> HttpResponse:
    own = Unit.objects.filter(pk__in=access.grant_units(request.user, "clue.register")).order_by("path")
    form = ClueForm(request.POST or None, request.FILES or None, units=_county_units(request.user), own_units=own,
                    initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            clue = services.register_clue(
                by=request.user, today=timezone.localdate(), received_on=d["received_on"], channel=d["channel"],
                summary=d["summary"], detail=d["detail"], concerned=form.concerned(),
                category_ids=[c.pk for c in d["categories"]], source_unit=d["source_unit"],
                source_name=d["source_name"], reporter=form.reporter(), uploads=uploads_from(d["attachments"]),
                handling_unit=d.get("handling_unit"), indicator_value=d["indicator_value"],
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"线索 {clue.number} 已登记，筛选期限至 {cn_date(clue.screening_due)}。")
            return redirect("clues:clue_detail", pk=clue.pk)
    return render(request, "clues/clue_form.html", _picker_context(request, form, "登记预警线索"),
                  status=400 if form.errors else 200)


@access.permission_required("clue.register")
def clue_due(request: HttpRequest) -> HttpResponse:
    """The screening time limit (第十四条) under the registration form's 收到日期, as it is typed
    (htmx, GET): the same access as the registration page; nothing is written."""
    def screening(received_on):
        why = services.received_on_problem(received_on, today=timezone.localdate())
        rule = get_policy().rules.screening
        return problem(why) if why else Preview([
            deadline("筛选期限", services.screening_due(received_on), article=rule.article, start="收到")])

    preview = for_typed(request.GET.get("received_on"), screening)
    return render(request, "policy/_due_preview.html", {"preview": preview})


def _picker_context(request, form, title):
    from yujing.cadres.models import Cadre

    ids = form.data.getlist("cadre_ids") if form.is_bound else []
    chosen = list(Cadre.objects.filter(pk__in=[int(i) for i in ids if str(i).isdigit()]).select_related("unit"))
    return {"form": form, "title": title, "chosen": chosen}


def _detail_context(request, clue: Clue, **forms) -> dict:
    user = request.user
    can_screen = access.can(user, "clue.screen", clue) and clue.status == Clue.Status.REGISTERED
    can_merge = access.can(user, "clue.merge", clue) and clue.status == Clue.Status.REGISTERED
    words = services.clue_words(clue)
    context = {
        "clue": clue,
        "words": words,
        # the article on verification before a warning, as the clue's policy's measures cite it
        "verification_article": "、".join(dict.fromkeys(
            m.verification_article for m in words.policy.measures.values() if m.verification_article)),
        "indicator": services.indicator_parts(clue),
        "secrecy_obj": clue, "secrecy_url": "clues:clue_secrecy", "secrecy_choices": Secrecy.choices, "can_classify": access.can(user, "clue.classify", clue),
        "events": [e for e in history(clue) if not e.action.endswith(".viewed")],
        "can_screen": can_screen,
        "can_attach": access.can(user, "clue.attach", clue),
        "can_reveal": not clue.is_anonymous and access.can(user, "clue.reveal_reporter", clue),
        "can_feedback": access.can(user, "clue.feedback", clue) and services.is_finished(clue),
        "screen_form": forms.get("screen_form") or (ScreenForm(clue=clue) if can_screen else None),
        "attach_form": forms.get("attach_form") or AttachForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "today": timezone.localdate(),
        "slots": document_notices.attach(request, document_selectors.clue_slots(clue), owner=f"clue:{clue.pk}"),
        "generate_base": document_selectors.generate_base(clue=clue),
        "can_generate": access.can(user, "clue.screen", clue),
    }
    if can_merge:
        # duplicates are clues about the same cadre, still waiting for screening in this unit
        cadre_ids = [c.cadre_id for c in clue.concerned.all() if c.cadre_id]
        candidates = access.restrict(
            Clue.objects.filter(handling_unit=clue.handling_unit, status=Clue.Status.REGISTERED).exclude(pk=clue.pk),
            user, "clue.merge",
        ).filter(Exists(ClueCadre.objects.filter(clue=OuterRef("pk"), cadre_id__in=cadre_ids))
                 ).order_by("-received_on")[:50]
        if candidates:
            context["merge_form"] = forms.get("merge_form") or MergeForm(
                candidates=Clue.objects.filter(pk__in=[c.pk for c in candidates]).order_by("-received_on"))
    return context


@access.permission_required("clue.view", per_object=True)
def clue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_get(user=request.user, pk=pk, today=timezone.localdate())
    reads.clue_viewed(clue, by=request.user, origin=Origin.from_request(request))
    return render(request, "clues/clue_detail.html", _detail_context(request, clue))


def _detail_url(clue: Clue) -> str:
    return reverse("clues:clue_detail", args=[clue.pk])


def _post_on_clue(request, pk, form_class, key, action, run, success, form_kwargs=None):
    """Handle a form posted on the clue page: on a refusal, show the page again with the form's
    errors (status 400) and everything the user typed still in it."""
    today = timezone.localdate()
    clue = selectors.clue_get(user=request.user, pk=pk, today=today)
    access.require(request.user, action, clue)
    form = form_class(request.POST, request.FILES, **(form_kwargs(clue) if form_kwargs else {}))
    if form.is_valid():
        try:
            message = run(clue, form.cleaned_data, form)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(success(clue))
    clue = selectors.clue_get(user=request.user, pk=pk, today=today)
    return render(request, "clues/clue_detail.html", _detail_context(request, clue, **{key: form}), status=400)


@require_POST
@access.permission_required("clue.screen", per_object=True)
def clue_screen(request: HttpRequest, pk: int) -> HttpResponse:
    def run(clue, d, form):
        services.screen_clue(
            clue=clue, by=request.user, today=timezone.localdate(), outcome=d["outcome"], reason=d["reason"],
            verifiable=d["verifiable"], proposals=form.proposals(), origin=Origin.from_request(request),
        )
        return "筛选完成。"

    def after(clue):
        # a clue reported up usually leaves the user's jurisdiction: then go back to the list
        if access.can(request.user, "clue.view", Clue.objects.select_related("handling_unit").get(pk=clue.pk)):
            return _detail_url(clue)
        return reverse("clues:clue_list")

    return _post_on_clue(request, pk, ScreenForm, "screen_form", "clue.screen", run, after,
                         form_kwargs=lambda clue: {"clue": clue})


@require_POST
@access.permission_required("clue.attach", per_object=True)
def clue_attach(request: HttpRequest, pk: int) -> HttpResponse:
    def run(clue, d, form):
        stored = services.add_attachments(clue=clue, uploads=uploads_from(d["attachments"]), by=request.user,
                                          origin=Origin.from_request(request))
        return f"已上传 {len(stored)} 个附件。"

    return _post_on_clue(request, pk, AttachForm, "attach_form", "clue.attach", run, _detail_url)


@require_POST
@access.permission_required("clue.merge", per_object=True)
def clue_merge(request: HttpRequest, pk: int) -> HttpResponse:
    def run(clue, d, form):
        services.merge_clues(target=clue, others=list(d["others"]), by=request.user, reason=d["reason"],
                             origin=Origin.from_request(request))
        return f"已将 {len(d['others'])} 条重复线索并入本线索。"

    def kwargs(clue):
        return {"candidates": access.restrict(Clue.objects.filter(handling_unit=clue.handling_unit,
                                                                  status=Clue.Status.REGISTERED).exclude(pk=clue.pk),
                                              request.user, "clue.merge")}

    return _post_on_clue(request, pk, MergeForm, "merge_form", "clue.merge", run, _detail_url,
                         form_kwargs=kwargs)


@require_POST
@access.permission_required("clue.feedback", per_object=True)
def clue_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    def run(clue, d, form):
        services.send_feedback(clue=clue, content=d["content"], by=request.user, today=timezone.localdate(),
                               origin=Origin.from_request(request))
        return "已向线索来源反馈。"

    return idempotency.once(request, lambda: _post_on_clue(request, pk, FeedbackForm, "feedback_form", "clue.feedback",
                                                            run, _detail_url))


@require_POST
@access.permission_required("clue.reveal_reporter", per_object=True)
def clue_reporter(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_get(user=request.user, pk=pk, today=timezone.localdate(), action="clue.reveal_reporter")
    try:
        identity = services.reveal_reporter(clue=clue, by=request.user, origin=Origin.from_request(request))
    except ValidationError as exc:
        return HttpResponse("；".join(exc.messages), status=400)
    return render(request, "clues/_reporter.html",
                  {"identity": identity, "clue": clue, "words": services.clue_words(clue)})


@access.permission_required("clue.view", per_object=True)
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    return attachment_response(attachment, by=request.user, origin=Origin.from_request(request))


@access.permission_required("transfer.view")
def transfer_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.transfer_list(user=request.user), 30).get_page(request.GET.get("page"))
    for clue in page:
        clue.progress = selectors.liaison_progress(clue)
    return render(request, "clues/transfer_list.html", {"page": page,
                                                         "can_file": access.can(request.user, "transfer.create")})


@access.permission_required("transfer.create")
def transfer_create(request: HttpRequest) -> HttpResponse:
    return idempotency.once(request, lambda: _transfer_create(request))


def _transfer_create(request: HttpRequest) -> HttpResponse:
    form = TransferForm(request.POST or None, request.FILES or None, initial={"transferred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            clue = services.file_transfer(
                by=request.user, today=timezone.localdate(), transferred_on=d["transferred_on"], summary=d["summary"],
                detail=d["detail"], concerned=form.concerned(), contact_person=d["contact_person"],
                contact_phone=d["contact_phone"], found_how=d["found_how"], unit_opinion=d["unit_opinion"],
                category_ids=[c.pk for c in d["categories"]], uploads=uploads_from(d["attachments"]),
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"移送表已提交，编号 {clue.number}，已送{clue.handling_unit.display_name}。")
            return redirect("clues:transfer_detail", pk=clue.pk)
    return render(request, "clues/clue_form.html", _picker_context(request, form, "填报预警线索移送表"),
                  status=400 if form.errors else 200)


@access.permission_required("transfer.view", per_object=True)
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.transfer_get(user=request.user, pk=pk)
    return render(request, "clues/transfer_detail.html",
                  {"clue": clue, "progress": selectors.liaison_progress(clue), "words": services.clue_words(clue)})


@require_POST
@access.permission_required("clue.classify", per_object=True)
def clue_secrecy(request: HttpRequest, pk: int) -> HttpResponse:
    from yujing.orgs.views import set_secrecy_page

    clue = access.get_object_or_deny(Clue.objects.select_related("handling_unit"), request.user, "clue.classify", pk=pk)
    return set_secrecy_page(request, clue, "clues:clue_detail")
