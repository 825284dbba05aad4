"""The dashboard figures (第四条: 统计、分析和通报): a few grouped queries over what the user may see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncQuarter

from yujing.cases import measures as measures_of_cases
from yujing.cases.models import WarningCase
from yujing.clues.models import Channel, Clue, ProblemCategory
from yujing.orgs import access
from yujing.policy.loader import get_policy


def _quarter_label(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def data(*, user: Any, start: date, end: date, unit_path: str = "", today: date) -> dict:
    clues = access.restrict(Clue.objects.exclude(status=Clue.Status.MERGED), user, "clue.view").filter(
        received_on__gte=start, received_on__lte=end)
    cases = access.restrict(WarningCase.objects.all(), user, "case.view").filter(proposed_on__gte=start,
                                                                                 proposed_on__lte=end)
    if unit_path:
        clues = clues.filter(handling_unit__path__startswith=unit_path)
        cases = cases.filter(unit_in_charge__path__startswith=unit_path)
    quarters = sorted({_quarter_label(d) for d in _quarter_starts(start, end)})
    clue_q = {_quarter_label(r["q"]): r["n"] for r in clues.annotate(q=TruncQuarter("received_on")).values("q")
              .annotate(n=Count("pk")).order_by()}
    # the measures of the policy in force, lightest first, then those only older cases have (cases/measures.py)
    named = measures_of_cases.choices()
    case_q: dict[str, dict[str, int]] = {m: {} for m, _ in named}
    for row in cases.annotate(q=TruncQuarter("proposed_on")).values("q", "measure").annotate(n=Count("pk")).order_by():
        case_q.setdefault(row["measure"], {})[_quarter_label(row["q"])] = row["n"]
    channels = dict(clues.values_list("channel").annotate(n=Count("pk")).order_by())
    measures = dict(cases.values_list("measure").annotate(n=Count("pk")).order_by())
    units = list(clues.values("handling_unit__name").annotate(n=Count("pk")).order_by("-n")[:15])
    categories = list(ProblemCategory.objects.filter(clues__in=clues).values("name").annotate(n=Count("clues"))
                      .order_by("-n")[:12])
    timing = cases.aggregate(
        implemented=Count("pk", filter=Q(implemented_on__isnull=False)),
        implemented_on_time=Count("pk", filter=Q(implemented_on__lte=F("implementation_due"))),
        responded=Count("pk", filter=Q(responded_on__isnull=False)),
        responded_on_time=Count("pk", filter=Q(responded_on__lte=F("response_due"))),
    )
    restricted = access.restrict(WarningCase.objects.all(), user, "case.view").filter(
        measures_of_cases.where(lambda m: m.restricted), response_start__lte=today, closed_on__isnull=True)
    if unit_path:
        restricted = restricted.filter(unit_in_charge__path__startswith=unit_path)
    return {
        "quarters": quarters,
        "clues_by_quarter": [clue_q.get(q, 0) for q in quarters],
        "cases_by_quarter": [{"name": label, "data": [case_q[m].get(q, 0) for q in quarters]} for m, label in named],
        "channels": [{"name": label, "value": channels.get(value, 0)} for value, label in Channel.choices],
        "measures": [{"name": label, "value": measures.get(value, 0)} for value, label in named],
        "units": {"names": [u["handling_unit__name"] for u in units], "values": [u["n"] for u in units]},
        "categories": {"names": [c["name"] for c in categories], "values": [c["n"] for c in categories]},
        "on_time": [
            {"name": f"{get_policy().rules.implementation.period.label}内组织实施", "value": _share(timing["implemented_on_time"], timing["implemented"])},
            {"name": "按期答复或整改", "value": _share(timing["responded_on_time"], timing["responded"])},
        ],
        "totals": {"clues": sum(clue_q.values()), "cases": sum(measures.values()),
                   "restricted": restricted.values("target_id").distinct().count()},
    }


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _quarter_starts(start: date, end: date) -> list[date]:
    day = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    result = []
    while day <= end:
        result.append(day)
        day = (day.replace(day=28) + timedelta(days=100)).replace(day=1)
        day = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return result
