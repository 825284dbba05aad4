"""Changes to the calendar and the registry of policy versions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from yujing.audit.services import Origin, record
from yujing.orgs import access

from .holidays import format_notice, parse_notice
from .loader import get_policy
from .models import HolidayNotice, PolicyVersion
from .schema import Policy


@transaction.atomic
def enter_holiday_notice(*, year: int, title: str, text: str, by: Any, origin: Origin | None = None) -> HolidayNotice:
    """Record a year's State Council holiday notice; it replaces the package's data for that year.

    Raises :class:`~yujing.policy.holidays.NoticeError` (line by line) and writes nothing when the
    text cannot be read.
    """
    if not access.can(by, "calendar.manage"):
        raise PermissionDenied("只有系统管理员可以录入节假日通知")
    days = parse_notice(year, text)
    notice = HolidayNotice.objects.select_for_update().filter(year=year).first()
    before = notice.text if notice else None
    normalised = format_notice(days)
    if notice is None:
        notice = HolidayNotice.objects.create(year=year, title=title.strip(), text=normalised, entered_by=by)
    else:
        notice.title, notice.text, notice.entered_by = title.strip(), normalised, by
        notice.save(update_fields=["title", "text", "entered_by", "entered_at"])
    record(
        "policy.holiday_notice.entered",
        by=by,
        obj=notice,
        origin=origin,
        data={"year": year, "before": before, "after": normalised, "holidays": len(days.holidays),
              "workdays": len(days.workdays)},
    )
    return notice


def register_policy_version(policy: Policy | None = None) -> PolicyVersion:
    """The stored version of ``policy`` (default: the policy in force), created on first use.

    Cases keep a reference to this row, so a later change of the policy file leaves them under the
    rules they started with (DESIGN.md §2).
    """
    policy = policy or get_policy()
    meta = policy.rules.policy
    version, _ = PolicyVersion.objects.get_or_create(
        digest=policy.digest,
        defaults={"policy_id": meta.id, "version": meta.version, "name": meta.name, "text": policy.text},
    )
    return version
