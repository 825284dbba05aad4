"""Reading documents: always through the case or clue they belong to, so the same access applies."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from yujing.orgs import access

from .contexts import Target, targets_for_case, targets_for_clue
from .models import Document


@dataclass
class Slot:
    """A form of the file with its generated versions (newest first)."""

    target: Target
    versions: list[Document] = field(default_factory=list)
    notice: dict | None = None  # the outcome of the last generate/void on this form (documents.notices)

    @property
    def latest(self) -> Document | None:
        return self.versions[0] if self.versions else None

    @property
    def anchor(self) -> str:
        return slot_anchor(self.target.form.key, self.target.subject_key)


def slot_anchor(form: str, subject: str) -> str:
    """The id of a form's row in the documents card: after generating, the page opens there."""
    return f"doc-{form}-{subject.replace(':', '-')}"


def _slots(targets: list[Target], documents) -> list[Slot]:
    by_key: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for document in documents:
        by_key[(document.form, document.subject)].append(document)
    return [Slot(t, sorted(by_key[(t.form.key, t.subject_key)], key=lambda d: -d.version)) for t in targets]


def case_slots(case) -> list[Slot]:
    documents = case.documents.select_related("number", "generated_by")
    return _slots(targets_for_case(case), documents)


def clue_slots(clue) -> list[Slot]:
    documents = clue.documents.select_related("number", "generated_by")
    return _slots(targets_for_clue(clue), documents)


def find_target(targets: list[Target], form: str, subject: str) -> Target:
    for target in targets:
        if target.form.key == form and target.subject_key == subject:
            return target
    raise Http404("没有这份文书")


def document_get(*, user: Any, pk: int) -> Document:
    """A document the user may read: its case or clue must be visible to them (else 404)."""
    document = Document.objects.select_related("case__unit_in_charge", "clue__handling_unit", "number").filter(pk=pk).first()
    if document is None:
        raise Http404("未找到")
    owner = document.case or document.clue
    if not access.in_jurisdiction(user, owner):
        raise Http404("未找到")
    if document.case is not None and not any(access.can(user, a, owner) for a in type(owner).view_actions):
        raise Http404("未找到")
    if document.clue is not None and not access.can(user, "clue.view", owner):
        raise Http404("未找到")
    return document


def generate_base(*, case=None, clue=None) -> str:
    """The URL prefix the page appends ``<form>/<subject>/`` to."""
    from django.urls import reverse

    if case is not None:
        return reverse("documents:generate_for_case", args=[case.pk, "F", "S"])[: -len("F/S/")]
    return reverse("documents:generate_for_clue", args=[clue.pk, "F", "S"])[: -len("F/S/")]
