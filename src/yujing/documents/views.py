from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from yujing.audit.services import Origin, record
from yujing.cases import selectors as case_selectors
from yujing.cases.models import WarningCase
from yujing.clues import selectors as clue_selectors
from yujing.core.dates import cn_date
from yujing.orgs import access

from . import exports, notices, selectors, services
from .contexts import targets_for_case, targets_for_clue
from .downloads import document_response
from .models import DocumentNumber


def _generate(request, target, owner: str, back: str) -> HttpResponse:
    def notice(level: notices.Level, text: str) -> None:
        notices.remember(request, owner=owner, form=target.form.key, subject=target.subject_key, level=level,
                         text=text)

    try:
        document = services.generate(target, by=request.user, today=timezone.localdate(),
                                     origin=Origin.from_request(request))
    except ValidationError as exc:
        notice("danger", "；".join(exc.messages))
    else:
        number = f"，文号 {document.number.text}" if document.number else ""
        if document.pdf:
            notice("success", f"已生成{document.title}第{document.version}版{number}。")
        else:
            notice("warning", f"已生成{document.title}第{document.version}版{number}，只有 DOCX。")
    return redirect(f"{back}#{selectors.slot_anchor(target.form.key, target.subject_key)}")


@require_POST
@access.permission_required("case.manage", per_object=True)
def generate_for_case(request: HttpRequest, pk: int, form: str, subject: str) -> HttpResponse:
    case = case_selectors.case_get(user=request.user, pk=pk)
    target = selectors.find_target(targets_for_case(case), form, subject)
    return _generate(request, target, f"case:{case.pk}", f"/cases/{case.pk}/")


@require_POST
@access.permission_required("clue.screen", per_object=True)
def generate_for_clue(request: HttpRequest, pk: int, form: str, subject: str) -> HttpResponse:
    clue = clue_selectors.clue_get(user=request.user, pk=pk, today=timezone.localdate())
    target = selectors.find_target(targets_for_clue(clue), form, subject)
    return _generate(request, target, f"clue:{clue.pk}", f"/clues/{clue.pk}/")


@access.permission_required("case.view", per_object=True)
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    return document_response(document, fmt, by=request.user, origin=Origin.from_request(request))


@require_POST
@access.permission_required("case.manage", per_object=True)
def void(request: HttpRequest, pk: int) -> HttpResponse:
    number = DocumentNumber.objects.filter(pk=pk).first()
    document = number.documents.select_related("case", "clue").first() if number else None
    if document is None:
        raise Http404("未找到")
    back = f"/cases/{document.case_id}/" if document.case_id else f"/clues/{document.clue_id}/"
    owner = f"case:{document.case_id}" if document.case_id else f"clue:{document.clue_id}"
    try:
        services.void_number(number=number, by=request.user, reason=request.POST.get("reason", ""),
                             today=timezone.localdate(), origin=Origin.from_request(request))
    except ValidationError as exc:
        level, text = "danger", "；".join(exc.messages)
    else:
        level, text = "success", f"文号 {number.text} 已作废；再次生成时将取新文号。"
    notices.remember(request, owner=owner, form=document.form, subject=document.subject, level=level, text=text)
    return redirect(f"{back}#{selectors.slot_anchor(document.form, document.subject)}")


@access.permission_required("case.view", per_object=True)
def case_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole case file as a ZIP with an index page (一案一例, 第二十六条)."""
    case = case_selectors.case_get(user=request.user, pk=pk)
    if not access.can(request.user, "case.view", case):
        raise PermissionDenied("您没有导出案卷的权限")
    from yujing.clues.models import Attachment

    documents = list(case.documents.select_related("number", "generated_by"))
    attachments = list(Attachment.objects.filter(clue__in=case.clues.all()).select_related("clue", "uploaded_by")
                       .order_by("uploaded_at", "id"))
    with transaction.atomic():
        record("documents.case_file.exported", by=request.user, obj=case, unit_path=case.unit_in_charge.path,
               origin=Origin.from_request(request), data={"documents": len(documents), "attachments": len(attachments)})
    archive = exports.case_file_zip(case, attachments=attachments, documents=documents)
    return FileResponse(archive, as_attachment=True, filename=f"{case.number}-案卷.zip", content_type="application/zip")


@access.permission_required("ledger.view")
def ledger(request: HttpRequest) -> HttpResponse:
    """The ledger (台帐) of the user's jurisdiction for the filters of the ledger page, as XLSX."""
    from yujing.cases.views import filters_from

    filters, label = filters_from(request)
    cases = (case_selectors.case_list(user=request.user, filters=filters, sort=request.GET.get("sort", ""))
             .prefetch_related("clues", "extensions", "endings", Prefetch("target__unit")))
    with transaction.atomic():
        record("documents.ledger.exported", by=request.user, origin=Origin.from_request(request),
               data={"filters": label})
    title = f"预警工作台帐（{label}，导出于{cn_date(timezone.localdate())}）"
    out = exports.ledger_xlsx(cases.iterator(chunk_size=1000), title=title)
    response = FileResponse(out, as_attachment=True, filename="预警台帐.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('预警台帐.xlsx')}"
    return response


__all__ = ["WarningCase"]
