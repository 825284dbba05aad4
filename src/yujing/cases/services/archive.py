"""Archiving (归档): a closed case becomes read-only once the policy's ``retention.archive_after_days``
have passed since it closed. It stays in every list and search for those entitled to it; nothing is
deleted. Run daily by ``manage.py archive`` (docs/operations.md)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yujing.audit.services import record
from yujing.core.dates import cn_date
from yujing.policy.loader import get_policy

from ..models import WarningCase

CHUNK = 1000


def archive_closed(*, today: date) -> int:
    """Archive every closed case due on ``today``; returns how many. Idempotent: a rerun archives none."""
    cutoff = today - timedelta(days=get_policy().rules.retention.archive_after_days)
    due = (WarningCase.objects.filter(status__in=list(WarningCase.CLOSED), archived_on__isnull=True,
                                      closed_on__lte=cutoff).order_by("pk"))
    total = 0
    while True:
        with transaction.atomic():
            batch = list(due.select_related("unit_in_charge").select_for_update()[:CHUNK])
            if not batch:
                return total
            WarningCase.objects.filter(pk__in=[c.pk for c in batch]).update(archived_on=today)
            for case in batch:
                record("cases.case.archived", by=None, obj=case, unit_path=case.unit_in_charge.path,
                       data={"closed_on": case.closed_on.isoformat(), "archived_on": today.isoformat()})
            total += len(batch)


def require_not_archived(case: Any) -> None:
    if case is not None and case.archived_on:
        raise ValidationError(f"预警事项 {case.number} 已于{cn_date(case.archived_on)}归档，只读")
