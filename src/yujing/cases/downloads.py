"""Serving the minutes of a standing-committee decision: logged as a view, always as a download, never
cached — as a clue attachment is (第三十三条(六)). One function for the page and the API."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse

from yujing.audit.services import Origin, record
from yujing.clues.files import CONTENT_TYPES, EXTENSIONS, safe_filename

from .models import Minutes


def minutes_response(minutes: Minutes, *, by: Any, origin: Origin | None) -> FileResponse:
    """The caller has fetched ``minutes`` through the access check (selectors.minutes_get)."""
    case = minutes.decision.case
    with transaction.atomic():
        record("cases.minutes.viewed", by=by, obj=case, unit_path=case.unit_in_charge.path, origin=origin,
               data={"minutes": minutes.pk, "file": minutes.original_name})
    name = safe_filename(minutes.original_name, default="会议纪要")  # again: a row stored before the upload sanitised
    if not name.lower().endswith(EXTENSIONS[minutes.kind]):
        name += EXTENSIONS[minutes.kind]
    response = FileResponse(minutes.file.open("rb"), as_attachment=True, filename=name,
                            content_type=CONTENT_TYPES[minutes.kind])
    response["Cache-Control"] = "private, no-store"
    return response
