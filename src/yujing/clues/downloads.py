"""Serving an attachment: logged as a view (第三十三条(六)), always as a download, never cached. One
function for the page and the API."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse

from yujing.audit.services import Origin, record

from .files import CONTENT_TYPES, EXTENSIONS, safe_filename
from .models import Attachment


def attachment_response(attachment: Attachment, *, by: Any, origin: Origin | None) -> FileResponse:
    """The caller has fetched ``attachment`` through the access check (selectors.attachment_get)."""
    with transaction.atomic():
        record("clues.attachment.viewed", by=by, obj=attachment.clue, unit_path=attachment.clue.handling_unit.path,
               origin=origin, data={"attachment": attachment.pk, "file": attachment.original_name})
    name = safe_filename(attachment.original_name)  # again: a row stored before the upload sanitised
    if not name.lower().endswith(EXTENSIONS[attachment.kind]):
        name += EXTENSIONS[attachment.kind]
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=name,
                            content_type=CONTENT_TYPES[attachment.kind])
    response["Cache-Control"] = "private, no-store"
    return response
