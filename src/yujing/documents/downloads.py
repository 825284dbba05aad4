"""Serving a generated document (DOCX or PDF): logged, always a download, never cached. One function
for the page and the API."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse, Http404

from yujing.audit.services import Origin, record

from .models import Document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_response(document: Document, fmt: str, *, by: Any, origin: Origin | None) -> FileResponse:
    """The caller has fetched ``document`` through the access check (selectors.document_get)."""
    field = {"docx": document.docx, "pdf": document.pdf}.get(fmt)
    if not field:
        raise Http404("没有该格式的文件")
    owner = document.case or document.clue
    unit = document.case.unit_in_charge if document.case else document.clue.handling_unit
    with transaction.atomic():
        record("documents.document.downloaded", by=by, obj=owner, unit_path=unit.path, origin=origin,
               data={"document": document.pk, "format": fmt})
    name = f"{document.title}{'-' + document.number.text if document.number else ''}-第{document.version}版.{fmt}"
    response = FileResponse(field.open("rb"), as_attachment=True, filename=name,
                            content_type=DOCX if fmt == "docx" else "application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response
