"""Generating and voiding documents. Numbers come from a locked yearly counter per issuer, in the
same transaction as the document row, so there are no gaps and no duplicates."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from docxtpl import Listing

from yujing.audit.services import Origin, record
from yujing.cases.services.archive import require_not_archived
from yujing.core.models import next_number
from yujing.orgs import access
from yujing.orgs.models import Unit
from yujing.policy import words

from . import render
from .contexts import Target, build, missing
from .models import Document, DocumentNumber


def _policy_format(target: Target) -> str:
    if target.case is not None:
        from yujing.cases.services._common import case_policy

        return case_policy(target.case).rules.numbering.format
    from yujing.policy.loader import get_policy

    return get_policy().rules.numbering.format


def issuer_of(target: Target) -> Unit:
    return target.case.unit_in_charge if target.case is not None else target.clue.handling_unit


def _check_access(target: Target, by: Any) -> None:
    if target.case is not None:
        access.require(by, "case.view", target.case)
        if not access.can(by, "case.manage", target.case):
            raise PermissionDenied(_only_the_office(words.of_case(target.case)))
    else:
        access.require(by, "clue.view", target.clue)
        if not access.can(by, "clue.screen", target.clue):
            raise PermissionDenied(_only_the_office(words.in_force()))


def _only_the_office(policy_words: words.Words) -> str:
    return f"只有承办单位的{policy_words.body('office')}或纪检机构可以生成文书"


def _number(target: Target, issuer: Unit, today: date, by: Any) -> DocumentNumber:
    live = DocumentNumber.objects.filter(form=target.form.key, subject=target.subject_key, voided_at__isnull=True).first()
    if live is not None:
        return live
    if not issuer.doc_prefix:
        raise ValidationError(f"发文单位“{issuer.name}”未设置发文代字，无法编号（请系统管理员在单位中填写）")
    seq = next_number(f"doc:{issuer.pk}", today.year)
    text = _policy_format(target).format(prefix=issuer.doc_prefix, year=today.year, seq=seq)
    return DocumentNumber.objects.create(issuer=issuer, year=today.year, seq=seq, text=text, form=target.form.key,
                                         subject=target.subject_key)


def _listings(context: dict) -> dict:
    # multi-line values become line breaks inside their paragraph or table cell
    return {k: Listing(v) if isinstance(v, str) and "\n" in v else v for k, v in context.items()}


PDF_NOT_REQUESTED = "未生成 PDF（生成时只要求 DOCX）"


def _pdf(docx: bytes, *, wanted: bool) -> tuple[bytes | None, str]:
    """The PDF and, when there is none, why. A missing or failing LibreOffice never costs the DOCX:
    it is the same 统一规范的文书 (第二十一条) and prints the same."""
    if not wanted:
        return None, PDF_NOT_REQUESTED
    try:
        return render.docx_to_pdf(docx), ""
    except render.RenderError as exc:
        return None, render.pdf_unavailable(exc.reason)


def generate(target: Target, *, by: Any, today: date, pdf: bool = True, origin: Origin | None = None) -> Document:
    """Generate ``target`` as DOCX (and PDF) and keep it in the file as a new version. Missing data
    refuses generation with a message naming the field; a numbered form keeps its number across
    versions until that number is voided. Without a PDF the document records why (``pdf_note``)."""
    _check_access(target, by)
    require_not_archived(target.case)
    context = build(target, by=by, today=today)
    gaps = missing(target, context)
    if gaps:
        raise ValidationError(f"缺少「{'」「'.join(gaps)}」，无法生成{target.label}")
    issuer = issuer_of(target)
    with transaction.atomic():
        number = _number(target, issuer, today, by) if target.form.numbered else None
        context["number"] = number.text if number else ""
        docx = render.render_docx(target.form.layout, _listings(context))
        pdf_bytes, pdf_note = _pdf(docx, wanted=pdf)
        version = (Document.objects.filter(form=target.form.key, subject=target.subject_key)
                   .order_by("-version").values_list("version", flat=True).first() or 0) + 1
        title = context.get("notice_title") or context.get("report_title") or target.label
        document = Document(form=target.form.key, subject=target.subject_key, case=target.case, clue=target.clue,
                            number=number, version=version, title=title, docx_sha256=hashlib.sha256(docx).hexdigest(),
                            pdf_note=pdf_note, generated_by=by, generated_at=timezone.now())
        stem = f"{title}{'-' + number.text if number else ''}"
        document.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        if pdf_bytes is not None:
            document.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
        document.save()
        owner = target.case or target.clue
        record("documents.document.generated", by=by, obj=owner, unit_path=issuer.path, origin=origin,
               data={"form": target.form.key, "subject": target.subject_key, "version": version,
                     "number": number.text if number else "", "document": document.pk,
                     "sha256": document.docx_sha256, "pdf": pdf_bytes is not None, "pdf_note": pdf_note})
        return document


@transaction.atomic
def void_number(*, number: DocumentNumber, by: Any, reason: str, today: date, origin: Origin | None = None) -> DocumentNumber:
    """作废文号: the number stays taken and marked void; the next issue of the document gets a new one."""
    number = DocumentNumber.objects.select_for_update().select_related("issuer").get(pk=number.pk)
    document = number.documents.select_related("case__unit_in_charge", "clue__handling_unit").first()
    owner = document.case or document.clue if document else None
    if owner is None:
        raise ValidationError("文号没有对应的文书")
    perm = "case.manage" if document.case else "clue.screen"
    access.require(by, "case.view" if document.case else "clue.view", owner)
    if not access.can(by, perm, owner):
        raise PermissionDenied("只有承办单位可以作废文号")
    require_not_archived(document.case)
    if number.voided_at:
        raise ValidationError("该文号已作废")
    if not reason.strip():
        raise ValidationError({"reason": ["请说明作废原因"]})
    number.voided_at, number.voided_by, number.void_reason = timezone.now(), by, reason.strip()
    number.save(update_fields=["voided_at", "voided_by", "void_reason"])
    record("documents.number.voided", by=by, obj=owner, unit_path=number.issuer.path, origin=origin,
           data={"number": number.text, "reason": reason.strip()})
    return number
