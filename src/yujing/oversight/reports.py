"""Quarterly reports: who must report, by when, and the submit / send back service functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from yujing.audit.services import Origin, record
from yujing.orgs import access
from yujing.orgs.models import Unit
from yujing.policy.loader import due, get_policy

from . import figures
from .models import QuarterlyReport

# 第四条: 督促各乡镇和县直各单位做好预警工作统计，每季度报送一次预警工作统计报表
REPORTING_KINDS = (Unit.Kind.TOWNSHIP, Unit.Kind.COUNTY_UNIT, Unit.Kind.ORGANIZATION_DEPT, Unit.Kind.PERSONNEL_DEPT,
                   Unit.Kind.ENFORCEMENT)


def last_quarter(today: date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def due_date(year: int, quarter: int) -> date:
    """The policy's time after the quarter ends (default: 10 days, a reading of 第四条)."""
    _, last = figures.quarter_range(year, quarter)
    return due(last, get_policy().rules.quarterly_report.period).date


@dataclass(frozen=True)
class Difference:
    key: str
    label: str
    submitted: int
    now: int


LABELS = {f.key: f.label for f in figures.definitions(date(2000, 1, 1), date(2000, 3, 31))}
_POSITION = {key: i for i, key in enumerate(LABELS)}


def in_order(values: dict[str, int]) -> dict[str, int]:
    """A report's figures in the order the definitions give them (收到线索 first): a frozen report's figures
    come back from PostgreSQL's jsonb with its keys in jsonb's own order (shortest first)."""
    return dict(sorted(values.items(), key=lambda item: _POSITION.get(item[0], len(_POSITION))))


def differences(report: QuarterlyReport) -> list[Difference]:
    """What the data says now against what was submitted (a frozen report is never edited)."""
    now = figures.compute(prefix=report.unit.path, year=report.year, quarter=report.quarter)
    return [Difference(k, LABELS.get(k, k), report.figures.get(k, 0), v) for k, v in now.items()
            if report.figures.get(k, 0) != v]


@transaction.atomic
def submit(*, unit: Unit, year: int, quarter: int, remarks: str, by: Any, today: date,
           origin: Origin | None = None) -> QuarterlyReport:
    """报送: freeze the figures as computed now. A report sent back may be submitted again."""
    access.require(by, "report.submit", unit)
    if unit.kind not in REPORTING_KINDS:
        raise ValidationError(f"{unit.name}不需报送季度统计报表")
    _, last = figures.quarter_range(year, quarter)
    if today <= last:
        raise ValidationError(f"{year}年第{quarter}季度尚未结束，结束后才能报送")
    existing = QuarterlyReport.objects.select_for_update().filter(unit=unit, year=year, quarter=quarter).first()
    if existing and existing.status == QuarterlyReport.Status.SUBMITTED:
        raise ValidationError("本季度报表已报送；如需更正，请预警办退回后重新报送")
    values = dict(figures.compute(prefix=unit.path, year=year, quarter=quarter))
    cats = figures.categories(prefix=unit.path, year=year, quarter=quarter)
    fields = {"status": QuarterlyReport.Status.SUBMITTED, "figures": values, "categories": cats,
              "remarks": remarks.strip(), "due_on": due_date(year, quarter), "submitted_at": timezone.now(),
              "submitted_by": by}
    if existing:
        for key, value in fields.items():
            setattr(existing, key, value)
        existing.save()
        report = existing
    else:
        report = QuarterlyReport.objects.create(unit=unit, year=year, quarter=quarter, **fields)
    record("oversight.report.submitted", by=by, obj=report, unit_path=unit.path, origin=origin,
           data={"year": year, "quarter": quarter, "figures": values, "late": report.late})
    return report


@transaction.atomic
def send_back(*, report: QuarterlyReport, reason: str, by: Any, origin: Origin | None = None) -> QuarterlyReport:
    """退回: the warning office sends a report back with a reason; the unit submits again."""
    report = QuarterlyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if not access.can(by, "report.return", report.unit):
        raise PermissionDenied("只有县预警办可以退回季度报表")
    if report.status != QuarterlyReport.Status.SUBMITTED:
        raise ValidationError("只有已报送的报表可以退回")
    if not reason.strip():
        raise ValidationError({"reason": ["请说明退回理由"]})
    report.status, report.returned_at, report.returned_by = QuarterlyReport.Status.RETURNED, timezone.now(), by
    report.return_reason = reason.strip()
    report.save(update_fields=["status", "returned_at", "returned_by", "return_reason"])
    record("oversight.report.returned", by=by, obj=report, unit_path=report.unit.path, origin=origin,
           data={"reason": reason.strip()})
    return report


def reporting_units(prefix: str):
    return Unit.objects.filter(path__startswith=prefix, kind__in=REPORTING_KINDS, is_active=True).order_by("path")
