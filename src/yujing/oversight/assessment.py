"""The annual assessment (检查考核, 第三十二条): measurable parts from the data, scores by the assessor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q

from yujing.audit.models import Event
from yujing.audit.services import Origin, record
from yujing.cases.models import WarningCase
from yujing.clues.models import Channel, Clue
from yujing.orgs import access
from yujing.orgs.models import Unit
from yujing.policy.loader import get_policy
from yujing.policy.words import in_force

from .models import ASSESSMENT_ITEMS, Assessment, QuarterlyReport


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def metrics(*, unit: Unit, year: int, today: date) -> dict[str, Any]:
    """What the data says of the unit's year: timeliness, lapses, reports submitted on time."""
    from .lapses import find

    first, last = date(year, 1, 1), date(year, 12, 31)
    clues = Clue.objects.filter(handling_unit__path__startswith=unit.path, received_on__gte=first,
                                received_on__lte=last).exclude(status=Clue.Status.MERGED)
    screening = clues.aggregate(
        screened=Count("pk", filter=Q(screened_on__isnull=False)),
        on_time=Count("pk", filter=Q(screened_on__lte=F("screening_due"))),
        petitions=Count("pk", filter=Q(channel=Channel.PETITION, screened_on__isnull=False)),
        petitions_on_time=Count("pk", filter=Q(channel=Channel.PETITION, screened_on__lte=F("screening_due"))),
    )
    cases = WarningCase.objects.filter(unit_in_charge__path__startswith=unit.path, approved_on__gte=first,
                                       approved_on__lte=last).aggregate(
        implemented=Count("pk", filter=Q(implemented_on__isnull=False)),
        on_time=Count("pk", filter=Q(implemented_on__lte=F("implementation_due"))),
    )
    reports = QuarterlyReport.objects.filter(unit=unit, year=year, status=QuarterlyReport.Status.SUBMITTED)
    on_time_reports = sum(1 for r in reports if not r.late)
    # the quarters of the year the unit was asked for (第四条), as the report page and the board count them:
    # a county that began mid-year is not marked down for the quarters before it began
    from .reports import reporting

    asked = len(reporting(today=today, units=Unit.objects.filter(pk=unit.pk)).asked(unit.pk, year))
    lapses = [x for x in find(today=min(today, last), clues=Clue.objects.filter(handling_unit__path__startswith=unit.path),
                               cases=WarningCase.objects.filter(unit_in_charge__path__startswith=unit.path),
                               events=Event.objects.none())
              if first <= x.since <= last and not x.review]  # candidates for review are not lapses yet
    return {
        "screening_on_time": _share(screening["on_time"], screening["screened"]),
        "screened": screening["screened"],
        "implementation_on_time": _share(cases["on_time"], cases["implemented"]),
        "implemented": cases["implemented"],
        "petitions_on_time": _share(screening["petitions_on_time"], screening["petitions"]),
        "petitions": screening["petitions"],
        "reports_on_time": on_time_reports,
        "reports_submitted": reports.count(),
        "reports_asked": asked,
        "lapses": len(lapses),
    }


def suggested(metric: dict[str, Any], points: int) -> dict[str, float | None]:
    """A starting score for the measurable items (the assessor decides): full points times the share
    done on time, less one point per lapse for the coordinating body."""
    def part(share):
        return None if share is None else round(points * share, 1)

    coordination = part(metric["screening_on_time"])
    if coordination is not None:
        coordination = max(0.0, coordination - metric["lapses"])
    asked = metric.get("reports_asked", 4)
    duties = round(points * min(metric["reports_on_time"], asked) / asked, 1) if asked else None
    return {"duties": duties, "leaders": part(metric["implementation_on_time"]),
            "coordination": coordination, "petitions": part(metric["petitions_on_time"]), "rules": None}


@transaction.atomic
def score(*, unit: Unit, year: int, scores: dict[str, tuple[Decimal, str]], by: Any, today: date,
          origin: Origin | None = None) -> Assessment:
    if not access.can(by, "assessment.score", unit):
        words = in_force()
        raise PermissionDenied(f"只有{words.local('office')}和{words.body('supervisors')}可以考核")
    points = get_policy().rules.assessment.points
    errors: dict[str, list[str]] = {}
    clean: dict[str, dict] = {}
    for key, label in ASSESSMENT_ITEMS:
        value, comment = scores.get(key, (None, ""))
        if value is None:
            errors[key] = [f"请给“{label}”打分"]
        elif not (0 <= value <= points):
            errors[key] = [f"“{label}”的得分应在 0 至 {points} 分之间"]
        else:
            clean[key] = {"score": str(value), "comment": comment.strip()}
    if errors:
        raise ValidationError(errors)
    data = metrics(unit=unit, year=year, today=today)
    total = sum(Decimal(v["score"]) for v in clean.values())
    assessment, _ = Assessment.objects.update_or_create(
        unit=unit, year=year, defaults={"metrics": data, "scores": clean, "total": total, "assessor": by})
    record("oversight.assessment.scored", by=by, obj=assessment, unit_path=unit.path, origin=origin,
           data={"year": year, "total": str(total), "scores": clean})
    return assessment
