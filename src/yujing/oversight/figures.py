"""The quarterly statistics (预警工作统计报表, 第四条): every figure is defined once, as a filter on one
model, and is both counted (in one aggregate query per model, whatever the size of the data) and
listed (the drill-down behind the figure). Parts are defined so that they add up to their whole."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q

from yujing.cases import measures
from yujing.cases.models import Ending, Extension, Notice, Response, Revisit, WarningCase
from yujing.clues.models import Channel, Clue, ClueFeedback, Routing
from yujing.policy.loader import get_policy
from yujing.policy.schema import OUTCOMES


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    model: type
    path: str  # lookup to the Unit.path that places the row in a unit
    q: Q
    parent: str = ""  # the whole this figure is a part of


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    from datetime import timedelta

    return first, last - timedelta(days=1)


def definitions(first: date, last: date, *, filters: bool = True) -> list[Figure]:
    def within(field: str) -> Q:
        return Q(**{f"{field}__gte": first, f"{field}__lte": last})

    clue, case = "handling_unit__path", "unit_in_charge__path"
    figures = [Figure("clues", "收到线索", Clue, clue, within("received_on") & ~Q(status=Clue.Status.MERGED))]
    figures += [Figure(f"clues.{value}", label, Clue, clue,
                       within("received_on") & ~Q(status=Clue.Status.MERGED) & Q(channel=value), "clues")
                for value, label in Channel.choices]
    screened = within("screened_on")
    figures += [
        Figure("screened.handle", "本级处理", Clue, clue, screened & Q(status=Clue.Status.HANDLE)),
        Figure("screened.case_clue", "属案件线索移送查办", Clue, clue, screened & Q(status=Clue.Status.CASE_CLUE)),
        Figure("screened.no_action", "了结存档", Clue, clue, screened & Q(status=Clue.Status.NO_ACTION)),
        Figure("routed", "报送（交办）有管辖权的单位", Routing, "from_unit__path", within("routed_on")),
    ]
    figures.append(Figure("cases", "提出预警建议", WarningCase, case, within("proposed_on")))
    # one figure per measure of the policy in force, lightest first (第二条): cases.<key>
    policy = get_policy()
    figures += [Figure(f"cases.{m}", rule.label, WarningCase, case, within("proposed_on") & Q(measure=m), "cases")
                for m, rule in policy.measures.items()]
    figures.append(Figure("approved", "批准", WarningCase, case, within("approved_on")))
    implemented = within("implemented_on")
    figures += [
        Figure("implemented", "组织实施", WarningCase, case, implemented),
        Figure("implemented.talk", "谈话预警", WarningCase, case, implemented & Q(delivery="talk"), "implemented"),
        Figure("implemented.letter", "书面预警", WarningCase, case, implemented & Q(delivery="letter"), "implemented"),
        Figure("implemented_timely", "组织实施（按期/逾期）", WarningCase, case, implemented),
        Figure("implemented_timely.on_time", f"{policy.rules.implementation.period.label}内实施", WarningCase, case,
               implemented & Q(implemented_on__lte=F("implementation_due")), "implemented_timely"),
        Figure("implemented_timely.late", "逾期实施", WarningCase, case,
               implemented & Q(implemented_on__gt=F("implementation_due")), "implemented_timely"),
        Figure("responses", "收到书面答复或整改报告", Response, "case__" + case, within("received_on")),
        Figure("responses.on_time", "按期", Response, "case__" + case,
               within("received_on") & Q(received_on__lte=F("due_on")), "responses"),
        Figure("responses.late", "逾期", Response, "case__" + case,
               within("received_on") & Q(received_on__gt=F("due_on")), "responses"),
        Figure("extensions", "批准延期整改", Extension, "case__" + case,
               within("decided_on") & Q(outcome=Extension.Outcome.APPROVED)),
        Figure("revisits", "回访", Revisit, "case__" + case, within("done_on")),
        Figure("revisits.met", "达到整改要求", Revisit, "case__" + case, within("done_on") & Q(meets_requirement=True),
               "revisits"),
        Figure("revisits.not_met", "未达到整改要求", Revisit, "case__" + case,
               within("done_on") & Q(meets_requirement=False), "revisits"),
        Figure("lifted", "解除预警", Ending, "case__" + case, within("decided_on") & Q(kind=Ending.Kind.LIFTED)),
        Figure("escalated", "升级处理", Ending, "case__" + case, within("decided_on") & ~Q(kind=Ending.Kind.LIFTED)),
    ]
    # escalated.<target>: to each measure some measure escalates to, lightest first, then the outcomes
    targets = {t for m in policy.measures.values() for t in m.escalations}
    escalations = [(k, f"转{m.label}") for k, m in policy.measures.items() if k in targets]
    escalations += [(k, label) for k, label in OUTCOMES.items() if k in targets]
    figures += [Figure(f"escalated.{k}", label, Ending, "case__" + case, within("decided_on") & Q(kind=k), "escalated")
                for k, label in escalations]
    figures += [
        Figure("notices", "书面通报", Notice, "case__" + case, within("sent_on")),
        Figure("feedback", "向线索来源反馈", ClueFeedback, "clue__" + clue, within("sent_on")),
        Figure("restricted", "季末在整改期限内（受限）", WarningCase, case,
               (measures.where(lambda m: m.restricted) if filters else Q()) & Q(response_start__lte=last)
               & (Q(closed_on__isnull=True) | Q(closed_on__gt=last))),
    ]
    return figures


def compute(*, prefix: str, year: int, quarter: int) -> OrderedDict[str, int]:
    """Every figure for the units under ``prefix`` in the quarter: one aggregate query per model."""
    first, last = quarter_range(year, quarter)
    figures = definitions(first, last)
    result: OrderedDict[str, int] = OrderedDict((f.key, 0) for f in figures)
    by_model: dict[tuple[type, str], list[Figure]] = {}
    for figure in figures:
        by_model.setdefault((figure.model, figure.path), []).append(figure)
    for (model, path), group in by_model.items():
        counts = model.objects.filter(**{f"{path}__startswith": prefix}).aggregate(
            **{f"n{i}": Count("pk", filter=f.q) for i, f in enumerate(group)})
        for i, figure in enumerate(group):
            result[figure.key] = counts[f"n{i}"]
    return result


def categories(*, prefix: str, year: int, quarter: int) -> list[tuple[str, int]]:
    """Clues received in the quarter by problem category (a clue may have several)."""
    from yujing.clues.models import ProblemCategory

    first, last = quarter_range(year, quarter)
    return list(ProblemCategory.objects.filter(
        clues__handling_unit__path__startswith=prefix, clues__received_on__gte=first, clues__received_on__lte=last,
    ).annotate(n=Count("clues")).order_by("sort_order").values_list("name", "n"))


def figure(key: str, year: int, quarter: int) -> Figure:
    first, last = quarter_range(year, quarter)
    for each in definitions(first, last):
        if each.key == key:
            return each
    raise KeyError(key)


def visible_rows(rows, user: Any, f: Figure):
    """The rows of ``f`` whose clue or case the user may open (its 密级 and the user's role, as the clue and case
    lists decide: a unit's party committee does not read raw clues); the figure itself counts them all."""
    from yujing.cases.selectors import visible_cases
    from yujing.orgs import access

    if f.model is Clue:
        return rows.filter(pk__in=access.restrict(Clue.objects.all(), user, "clue.view").values("pk"))
    if f.model in (Routing, ClueFeedback):
        return rows.filter(clue__in=access.restrict(Clue.objects.all(), user, "clue.view").values("pk"))
    if f.model is WarningCase:
        return rows.filter(pk__in=visible_cases(user).values("pk"))
    if hasattr(f.model, "case"):
        return rows.filter(case__in=visible_cases(user).values("pk"))
    raise ValueError(f"{f.model.__name__}: a figure's rows need their clue or case")


def rows(*, prefix: str, key: str, year: int, quarter: int):
    """The objects behind one figure (the drill-down)."""
    f = figure(key, year, quarter)
    return f.model.objects.filter(f.q, **{f"{f.path}__startswith": prefix})
