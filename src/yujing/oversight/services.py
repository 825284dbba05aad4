"""Notes on lapses and reading messages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from yujing.audit.services import Origin, record
from yujing.orgs import access
from yujing.policy.words import in_force

from .models import LapseNote, Notification
from .selectors import lapse_list


@transaction.atomic
def annotate_lapse(*, key: str, status: str, note: str, by: Any, today: date,
                   origin: Origin | None = None) -> LapseNote:
    """A supervisor notes how a lapse was dealt with (第三十三条: 追究有关人员责任). Notes are added,
    never changed; the lapse itself stays listed."""
    if not access.can(by, "lapse.annotate"):
        words = in_force()
        raise PermissionDenied(f"只有{words.local('office')}和{words.body('supervisors')}可以处理责任追究情形")
    lapse = next((row["lapse"] for unit in lapse_list(user=by, today=today) for row in unit["lapses"]
                  if row["lapse"].key == key), None)
    if lapse is None:
        raise Http404("未找到")
    if not any(lapse.unit_path.startswith(g.scope_path) for g in access.grants(by)
               if g.role in access.allowed_roles("lapse.annotate")):
        raise PermissionDenied("不在您的监督范围内")
    if status not in LapseNote.Status.values:
        raise ValidationError({"status": ["请选择处理情况"]})
    if not note.strip():
        raise ValidationError({"note": ["请填写说明"]})
    entry = LapseNote.objects.create(key=key, status=status, note=note.strip(), unit_path=lapse.unit_path, by=by)
    record("oversight.lapse.annotated", by=by, obj=entry, unit_path=lapse.unit_path, origin=origin,
           data={"key": key, "status": status, "note": note.strip()})
    return entry


@transaction.atomic
def mark_read(*, notification: Notification, by: Any) -> Notification:
    if notification.user_id != by.pk:
        raise Http404("未找到")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
