"""The joint meeting (联席会议, 第五条) and its liaisons (第六条): meetings, clues raised there, and the
quarter's figures circulated to the member units."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from yujing.audit.services import Origin, record
from yujing.clues import services as clue_services
from yujing.clues.models import Channel, Clue
from yujing.core.dates import cn_date
from yujing.orgs import access
from yujing.orgs.models import Unit
from yujing.policy.words import in_force

from . import figures
from .models import Circular, JointMeeting
from .reports import LABELS


def county_for(by: Any) -> Unit:
    units = Unit.objects.filter(path__in=access.county_paths(by), kind=Unit.Kind.COUNTY)
    county = units.first()
    if county is None:
        raise PermissionDenied(f"您不属于任何{in_force().locality_or('辖区')}")
    return county


def members(county: Unit):
    return Unit.objects.filter(path__startswith=county.path, is_joint_member=True, is_active=True).order_by("path")


@transaction.atomic
def record_meeting(*, by: Any, today: date, held_on: date, place: str, topic: str, minutes: str,
                   attendees: Sequence[Unit], attendee_names: str = "", origin: Origin | None = None) -> JointMeeting:
    if not access.can(by, "meeting.manage"):
        raise PermissionDenied(f"只有{in_force().local('office')}可以记录联席会议")
    county = county_for(by)
    errors: dict[str, list[str]] = {}
    if held_on > today:
        errors["held_on"] = ["会议日期不能晚于今天"]
    if not topic.strip():
        errors["topic"] = ["请填写议题"]
    if not minutes.strip():
        errors["minutes"] = ["请填写会议纪要"]
    allowed = set(members(county).values_list("pk", flat=True))
    if not attendees:
        errors["attendees"] = ["请选择出席的成员单位"]
    elif any(u.pk not in allowed for u in attendees):
        errors["attendees"] = [f"出席单位须是{in_force().here()}联席会议成员单位"]
    if errors:
        raise ValidationError(errors)
    meeting = JointMeeting.objects.create(county=county, held_on=held_on, place=place.strip(), topic=topic.strip(),
                                          minutes=minutes.strip(), attendee_names=attendee_names.strip(), recorded_by=by)
    meeting.attendees.set(attendees)
    record("oversight.meeting.recorded", by=by, obj=meeting, unit_path=county.path, origin=origin,
           data={"held_on": held_on, "attendees": [u.pk for u in attendees]})
    return meeting


def raise_clue(*, meeting: JointMeeting, by: Any, member: Unit, summary: str, detail: str,
               concerned: Sequence[clue_services.Concerned], origin: Origin | None = None) -> Clue:
    """A clue raised at the meeting: registered by the warning office as transferred by the member unit
    (第十条: 联席会议成员单位移送的问题)."""
    access.require(by, "meeting.manage", meeting)
    if not meeting.attendees.filter(pk=member.pk).exists():
        raise ValidationError({"member": ["提出线索的单位须是出席本次会议的成员单位"]})
    with transaction.atomic():
        clue = clue_services.register_clue(
            by=by, today=min(meeting.held_on, timezone.localdate()),
            received_on=meeting.held_on, channel=Channel.MEMBER_UNIT, summary=summary, detail=detail,
            concerned=concerned, source_unit=member, source_name=f"联席会议（{cn_date(meeting.held_on)}）",
            origin=origin,
        )
        meeting.clues.add(clue)
        record("oversight.meeting.clue_raised", by=by, obj=meeting, unit_path=meeting.county.path, origin=origin,
               data={"clue": clue.pk, "member": member.pk})
    return clue


@transaction.atomic
def circulate(*, by: Any, year: int, quarter: int, today: date, origin: Origin | None = None) -> Circular:
    """通报 the county's figures for a quarter to every member unit (第四条、第五条)."""
    if not access.can(by, "meeting.manage"):
        raise PermissionDenied(f"只有{in_force().local('office')}可以通报")
    county = county_for(by)
    _, last = figures.quarter_range(year, quarter)
    if today <= last:
        raise ValidationError(f"{year}年第{quarter}季度尚未结束")
    if Circular.objects.filter(county=county, year=year, quarter=quarter).exists():
        raise ValidationError("本季度情况已通报")
    values = dict(figures.compute(prefix=county.path, year=year, quarter=quarter))
    keys = ("clues", "screened.handle", "routed", "cases", *(k for k in values if k.startswith("cases.")),
            "implemented", "lifted", "escalated", "restricted")
    lines = [f"{LABELS[k]}：{values[k]}" for k in keys]
    content = (f"{year}年第{quarter}季度，{in_force().whole()}预警工作情况如下：\n" + "\n".join(lines)
               + f"\n请各成员单位继续做好线索发现和移送工作{in_force().cited('transfer')}。")
    circular = Circular.objects.create(county=county, year=year, quarter=quarter, figures=values, content=content,
                                       sent_on=today, sent_by=by)
    recipients = list(members(county))
    circular.recipients.set(recipients)
    record("oversight.circular.sent", by=by, obj=circular, unit_path=county.path, origin=origin,
           data={"year": year, "quarter": quarter, "recipients": [u.pk for u in recipients]})
    return circular


def circulars_for(*, user: Any):
    units = sorted({g.unit_id for g in access.grants(user)})
    return Circular.objects.filter(recipients__in=units).distinct().order_by("-sent_on")
