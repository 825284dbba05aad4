"""Restrictions (Shou: 第三十一条, 在整改期限内不得评选评优、暂缓提拔使用): what a warned cadre may not do, and
until when, as each measure's ``restrictions`` in the policy the case started under say.

A rule runs from an event of the case (``from``: delivery = the day the response clock starts, the talk,
the approval, or the implementation) and ends

- ``closing``: with the case (lifted or escalated). Its ``until`` is the rectification deadline as it
  stands, and its condition says what ends it; after a missed deadline it lasts until the escalation.
- a period (``6m``): on the period's last day by the Civil Code arithmetic of policy/periods.py (the start
  day is not counted; 03-31 + 6 months = 09-30). The last day does **not** roll over rest days: a
  restriction's end is not a deadline anyone must meet, and rolling would lengthen it for nothing.
- ``year_end``: on 31 December of the year it started.
- ``term_end``: on the cadre's term end (``Cadre.term_ends_on``, 任期届满日期 from the roster). While the
  roster does not record it, the restriction still applies and its condition says so (任期届满（未登记届满日期）).

A period or year-end restriction does not end with the case. Derived from the data for any day, never a
stored flag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from yujing.core.dates import cn_date
from yujing.policy.loader import get_calendar
from yujing.policy.periods import Calendar, Roll, due_date
from yujing.policy.schema import EVENTS, OUTCOMES, Measure, Policy, RestrictionRule

from .models import Status, Talk, WarningCase
from .services import _common as common

# a closed case can still carry a period restriction: every event precedes the closing, and no period is
# longer than 10 years (schema.MAX_PERIOD_DAYS; 2610 working days stay under 11 years)
_LONGEST = timedelta(days=11 * 366)


WITHHELD = "涉密事项"


@dataclass(frozen=True)
class Restriction:
    case: WarningCase
    rule: RestrictionRule
    since: date
    # closing: the rectification deadline as it stands (the restriction ends with the case); otherwise the
    # restriction's last day
    until: date | None
    condition: str
    # whether the reader may know which case imposes it: a case above every clearance of the reader's roles
    # (密级) still restricts the cadre, but its number and measure are withheld (see for_reader)
    disclosed: bool = True

    @property
    def measure_label(self) -> str:
        """The measure of the case that imposes it, or 涉密事项 when the reader is not cleared for the case."""
        return self.case.get_measure_display() if self.disclosed else WITHHELD

    @property
    def case_ref(self) -> str:
        """诫勉（明纪预〔2026〕1号）, or 涉密事项 when withheld."""
        return f"{self.case.get_measure_display()}（{self.case.number}）" if self.disclosed else WITHHELD

    @property
    def scope(self) -> str:
        return self.rule.scope

    @property
    def label(self) -> str:
        return self.rule.label

    @property
    def article(self) -> str:
        return self.rule.article

    @property
    def ends_with_case(self) -> bool:
        return self.rule.until == "closing"

    @property
    def title(self) -> str:
        """不得评选评优、暂缓提拔使用（第三十一条）"""
        return f"{self.label}（{self.article}）"

    @property
    def heading(self) -> str:
        """What the case page says above the conditions."""
        lead = "整改期限内，" if self.ends_with_case and self.rule.start == "delivery" else ""
        return f"{lead}该干部{self.title}"


def _event_days(cases: list[WarningCase], needs_talk: bool) -> dict[int, date]:
    """The first talk held on each case (one query, only when a rule counts from the talk)."""
    if not needs_talk:
        return {}
    days: dict[int, date] = {}
    held = Talk.objects.filter(case__in=cases, held_on__isnull=False).values_list("case_id", "held_on")
    for case_id, held_on in held:
        days[case_id] = min(held_on, days.get(case_id, held_on))
    return days


def _since(case: WarningCase, event: str, talks: dict[int, date]) -> date | None:
    return {"delivery": case.response_start, "approval": case.approved_on, "implemented": case.implemented_on,
            "talk": talks.get(case.pk)}[event]


def _closing_condition(case: WarningCase, rules: Measure, today: date) -> str:
    revisit = "经回访达到整改要求、" if rules.revisit_required else ""
    if case.response_due is None:
        return f"{revisit}批准解除预警或升级处理后解除"
    on_time = case.responded_on is not None and case.responded_on <= case.response_due
    if case.closed_on is None and today > case.response_due and not on_time:
        return (f"整改期限（{cn_date(case.response_due)}）已届满未按期整改，待作出{'或'.join(OUTCOMES.values())}"
                "等决定")
    if case.responded_on is not None:
        return f"已于{cn_date(case.responded_on)}报送整改情况，{revisit}批准解除预警后解除"
    return f"整改期限至{cn_date(case.response_due)}，{revisit}批准解除预警后解除"


def rule_end(rule: RestrictionRule, since: date, calendar: Callable[[], Calendar] | None = None, *,
             term_ends_on: date | None = None) -> date | None:
    """The last day of a period, year-end or term-end restriction (None for one that ends with the case, and
    for a term end not recorded: ``term_ends_on`` is the cadre's); ``calendar`` gives the holiday calendar,
    asked only for a period (working days need it)."""
    if rule.until == "closing":
        return None
    if rule.until == "year_end":
        return date(since.year, 12, 31)
    if rule.until == "term_end":
        return term_ends_on
    return due_date(since, rule.period, (calendar or get_calendar)(), Roll.NONE).date


def _calendar_once() -> Callable[[], Calendar]:
    cache: list[Calendar] = []

    def get() -> Calendar:
        if not cache:
            cache.append(get_calendar())
        return cache[0]

    return get


def in_force(*, cadre_ids: list[int], today: date) -> dict[int, list[Restriction]]:
    """Who is restricted today, by which rule, since when and until when; one entry per rule in force."""
    result: dict[int, list[Restriction]] = {pk: [] for pk in cadre_ids}
    cases = list(
        WarningCase.objects.filter(target_id__in=cadre_ids, approved_on__isnull=False, approved_on__lte=today)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today - _LONGEST))
        .exclude(status__in=[Status.REJECTED, Status.WITHDRAWN])
        .select_related("policy_version", "target__managed_by")
        .order_by("approved_on", "pk")
    )
    measures = {case.pk: common.measure_rules(case) for case in cases}
    needs_talk = any(r.start == "talk" for m in measures.values() if m.restricted for r in m.restrictions)
    talks = _event_days(cases, needs_talk)
    calendar = _calendar_once()
    found = []
    for case in cases:
        rules = measures[case.pk]
        if not rules.restricted:
            continue
        for index, rule in enumerate(rules.restrictions):
            since = _since(case, rule.start, talks)
            if since is None or since > today:
                continue
            if rule.until == "closing":
                if case.closed_on is not None and case.closed_on <= today:
                    continue
                until, condition = case.response_due, _closing_condition(case, rules, today)
            elif rule.until == "term_end":
                until = case.target.term_ends_on
                if until is not None and until < today:
                    continue
                end = f"{cn_date(until)}（任期届满）" if until else "任期届满（未登记届满日期）"
                condition = f"自{cn_date(since)}（{EVENTS[rule.start]}）起，至{end}止"
            else:
                until = rule_end(rule, since, calendar)
                if until is None or until < today:
                    continue
                reach = f"起{rule.period.label}" if rule.period else "起"
                end = "" if rule.period else "（当年年底）"
                condition = f"自{cn_date(since)}（{EVENTS[rule.start]}）{reach}，至{cn_date(until)}{end}止"
            found.append(((since, case.pk, index), Restriction(case, rule, since, until, condition)))
    for _, restriction in sorted(found, key=lambda item: item[0]):
        result[restriction.case.target_id].append(restriction)
    return result


# --- the words of the policy in force, for pages and documents -------------------------------------------


def _groups(policy: Policy) -> list[tuple[RestrictionRule, list[str]]]:
    """Each distinct rule of the policy's restricted measures, with the names of the measures that carry it."""
    groups: dict[tuple, tuple[RestrictionRule, list[str]]] = {}
    for measure in policy.measures.values():
        if not measure.restricted:
            continue
        for rule in measure.restrictions:
            key = (rule.scope, rule.label, rule.start, rule.until, rule.article)
            groups.setdefault(key, (rule, []))[1].append(measure.label)
    return list(groups.values())


def _span(rule: RestrictionRule) -> str:
    event = EVENTS[rule.start]
    if rule.until == "closing":
        return f"自{event}起至解除预警或升级处理"
    if rule.until == "year_end":
        return f"自{event}起至当年12月31日"
    if rule.until == "term_end":
        return f"自{event}起至本届任期届满"
    return f"自{event}起{rule.period.label}"


def policy_summary(policy: Policy) -> dict:
    """What the restriction look-up page says about the policy in force: the articles of its rules (for the
    heading), one sentence per rule, and the title of the one rule every line is under when there is only one
    (a line then does not repeat it; under several rules each line names its own)."""
    groups = _groups(policy)
    sentences = []
    for rule, names in groups:
        measures = "、".join(names)
        if rule.start == "delivery" and rule.until == "closing":
            sentences.append(f"在{measures}的整改期限内，预警对象{rule.label}；整改期限满未纠正的，限制持续至作出"
                             f"{'或'.join(OUTCOMES.values())}决定。")
        else:
            sentences.append(f"{measures}对象{rule.label}（{rule.article}，{_span(rule)}）。")
    articles = list(dict.fromkeys(rule.article for rule, _ in groups))
    titles = list(dict.fromkeys((rule.label, rule.article) for rule, _ in groups))
    only = titles[0] if len(titles) == 1 else None
    return {"articles": "、".join(articles), "text": "".join(sentences) or "本策略的预警措施没有评优、提拔等限制。",
            "only_title": f"{only[0]}（{only[1]}）" if only else None}


def notice_sentence(case: WarningCase) -> str:
    """The sentence of the 通报 on each restriction of the case's measure (empty when it has none), e.g.
    根据《领导干部廉洁自律预警机制实施办法》第三十一条的规定，在整改期限内，张三同志不得评选评优，暂缓提拔使用。
    In the sentence the clauses of a label are joined by a comma (、 → ，)."""
    rules = common.measure_rules(case)
    if not rules.restricted:
        return ""
    regulation = f"《{common.case_policy(case).rules.policy.name}》"
    who = f"{case.target.name}同志"
    return "".join(f"根据{regulation}{rule.article}的规定，{_clause(rule, who)}。" for rule in rules.restrictions)


def _clause(rule: RestrictionRule, who: str) -> str:
    """What ``who`` may not do under ``rule``, and for how long: 在整改期限内，你不得评选评优，暂缓提拔使用 (a
    rule from the delivery until the case ends), else 你不得提拔或者重用（自谈话之日起6个月）."""
    what = rule.label.replace("、", "，")
    if rule.start == "delivery" and rule.until == "closing":
        return f"在整改期限内，{who}{what}"
    return f"{who}{what}（{_span(rule)}）"


def letter_clause(case: WarningCase) -> str:
    """The letter's words to its target on the restrictions of the case's measure, without the final stop (the
    letter's layout ends it: 。 or ；), "" when the measure has none. Shou's notices: 在整改期限内，你不得评选评优，
    暂缓提拔使用. Several rules are joined by ；."""
    rules = common.measure_rules(case)
    if not rules.restricted:
        return ""
    return "；".join(_clause(rule, "你") for rule in rules.restrictions)


def for_reader(found: dict[int, list[Restriction]], user, action: str = "restriction.query") -> dict[int, list[Restriction]]:
    """``found`` as ``user`` may read it: every restriction stays (a cadre restricted by a case the reader may not
    open is still restricted — that is what the departments ask), but the case's number and measure are
    withheld when its 密级 is above the clearance of the reader's roles for ``action`` reaching the case's unit."""
    from dataclasses import replace

    from yujing.orgs import access

    result: dict[int, list[Restriction]] = {}
    for cadre_id, rows in found.items():
        result[cadre_id] = [r if r.case.secrecy in access.cleared_for(user, action, path=r.case.target.managed_by.path)
                            else replace(r, disclosed=False) for r in rows]
    return result
