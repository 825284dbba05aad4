"""Document operations: list what a case or clue can produce, generate it, download it."""

from datetime import datetime

from django.http import FileResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from yujing.audit import reads
from yujing.audit.services import Origin
from yujing.cases import selectors as case_selectors
from yujing.clues import selectors as clue_selectors
from yujing.documents import selectors, services
from yujing.documents.contexts import targets_for_case, targets_for_clue
from yujing.documents.downloads import document_response
from yujing.documents.models import Document

from .schemas import ERRORS, limit

router = Router(tags=["文书"])


class VersionOut(Schema):
    id: int
    version: int
    number: str = Field(description="文号；内部表格为空")
    number_voided: bool
    generated_at: datetime
    has_pdf: bool
    pdf_note: str = Field(description="没有 PDF 时的原因，如“PDF 不可用：服务器未安装 LibreOffice（DOCX 可正常下载打印）”；有 PDF 时为空")


class SlotOut(Schema):
    form: str = Field(description="文书代码，如 correction_notice")
    subject: str = Field(description="文书对象，如 case:12、talk:5")
    label: str
    versions: list[VersionOut] = Field(description="已生成的版本，新的在前")


class GenerateIn(Schema):
    form: str = Field(max_length=limit(Document, "form"))
    subject: str = Field(max_length=limit(Document, "subject"))
    pdf: bool = Field(True, description="同时生成 PDF(约 1 秒)")


def _slots(slots) -> list[dict]:
    return [{
        "form": slot.target.form.key, "subject": slot.target.subject_key, "label": slot.target.label,
        "versions": [{"id": d.pk, "version": d.version, "number": d.number.text if d.number else "",
                      "number_voided": bool(d.number and d.number.voided_at), "generated_at": d.generated_at,
                      "has_pdf": bool(d.pdf), "pdf_note": d.pdf_note} for d in slot.versions],
    } for slot in slots]


def _generate(request, targets, payload: GenerateIn, slots):
    target = selectors.find_target(targets, payload.form, payload.subject)
    # without LibreOffice the DOCX is still made; the version says why it has no PDF (pdf_note)
    services.generate(target, by=request.user, today=timezone.localdate(), pdf=payload.pdf,
                      origin=Origin.from_request(request))
    return Status(201, _slots(slots()))


@router.get("/cases/{case_id}/documents", response={200: list[SlotOut], **ERRORS}, summary="预警事项的文书")
def case_documents(request, case_id: int):
    case = case_selectors.case_get(user=request.user, pk=case_id)
    # the page lists a case's documents on the case page, whose view is logged: the same event here
    reads.case_viewed(case, by=request.user, origin=Origin.from_request(request), part="documents")
    return _slots(selectors.case_slots(case))


@router.post("/cases/{case_id}/documents", response={201: list[SlotOut], **ERRORS}, summary="生成预警事项的文书",
             description="按统一规范的文书{(|c:documents|)}生成 DOCX 和 PDF；带文号的文书自动编号，重新生成保留原文号并增加版本。服务器不能生成 PDF 时照常生成 DOCX，pdf_note 说明原因。")
def generate_case_document(request, case_id: int, payload: GenerateIn):
    case = case_selectors.case_get(user=request.user, pk=case_id)
    return _generate(request, targets_for_case(case), payload, lambda: selectors.case_slots(case))


@router.get("/clues/{clue_id}/documents", response={200: list[SlotOut], **ERRORS}, summary="线索的文书")
def clue_documents(request, clue_id: int):
    clue = clue_selectors.clue_get(user=request.user, pk=clue_id, today=timezone.localdate())
    # the page lists a clue's documents on the clue page, whose view is logged: the same event here
    reads.clue_viewed(clue, by=request.user, origin=Origin.from_request(request), part="documents")
    return _slots(selectors.clue_slots(clue))


@router.post("/clues/{clue_id}/documents", response={201: list[SlotOut], **ERRORS}, summary="生成线索的文书",
             description="预警线索移送表、办理情况反馈函。")
def generate_clue_document(request, clue_id: int, payload: GenerateIn):
    clue = clue_selectors.clue_get(user=request.user, pk=clue_id, today=timezone.localdate())
    return _generate(request, targets_for_clue(clue), payload, lambda: selectors.clue_slots(clue))


@router.get("/documents/{document_id}/{fmt}", response={200: bytes, **ERRORS}, summary="下载文书",
            description="fmt 为 docx 或 pdf；每次下载都记入审计日志。")
def download_document(request, document_id: int, fmt: str) -> FileResponse:
    document = selectors.document_get(user=request.user, pk=document_id)
    return document_response(document, fmt, by=request.user, origin=Origin.from_request(request))


class VoidIn(Schema):
    reason: str = Field(max_length=200, description="作废原因")


class NumberOut(Schema):
    id: int
    text: str = Field(description="文号")
    voided_at: datetime | None
    void_reason: str


@router.post("/document-numbers/{number_id}/void", response={200: NumberOut, **ERRORS}, summary="作废文号",
             description="文号作废后仍保留在登记中，不再使用；再次生成该文书时取新文号。")
def void_number(request, number_id: int, payload: VoidIn):
    from django.http import Http404

    from yujing.documents.models import DocumentNumber

    number = DocumentNumber.objects.filter(pk=number_id).first()
    if number is None:
        raise Http404
    number = services.void_number(number=number, by=request.user, reason=payload.reason, today=timezone.localdate(),
                                  origin=Origin.from_request(request))
    return {"id": number.pk, "text": number.text, "voided_at": number.voided_at, "void_reason": number.void_reason}
