"""The outcome of generating a form (or voiding its number), shown inside the documents card beside
that form. After the post the page opens at that form's row (selectors.slot_anchor), so the
top-of-page messages area is out of sight; the notice goes where the user is looking. It lives in the
session for exactly one page view."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest

from .selectors import Slot

SESSION_KEY = "yujing_documents_notice"
Level = Literal["success", "warning", "danger"]


def remember(request: HttpRequest, *, owner: str, form: str, subject: str, level: Level, text: str) -> None:
    """``owner`` is the page's object ("case:12", "clue:5"), so a notice never shows on another file."""
    request.session[SESSION_KEY] = {"owner": owner, "form": form, "subject": subject, "level": level, "text": text}


def attach(request: HttpRequest, slots: list[Slot], *, owner: str) -> list[Slot]:
    """Hand the pending notice (if it is for this page) to its slot; it is shown once either way."""
    notice = request.session.pop(SESSION_KEY, None)
    if notice and notice.get("owner") == owner:
        for slot in slots:
            if (slot.target.form.key, slot.target.subject_key) == (notice["form"], notice["subject"]):
                slot.notice = {"level": notice["level"], "text": notice["text"]}
    return slots
