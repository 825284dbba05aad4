"""My work and the deadline board, scoped to the user (in their jurisdiction only)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from yujing.cases.models import WarningCase
from yujing.clues.models import Clue
from yujing.orgs import access
from yujing.policy.loader import get_policy

from .deadlines import GRADE_LABELS, Grade, Item, collect


def _acts(user: Any, item: Item) -> bool:
    return any(g.role in item.roles and item.unit_path.startswith(g.scope_path) for g in access.grants(user))


@dataclass(frozen=True)
class Row:
    item: Item
    grade: Grade
    days_left: int | None

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[self.grade]


def _row(item: Item, today: date) -> Row:
    return Row(item, item.grade(today), item.days_left(today))


def my_work(*, user: Any, today: date) -> list[Row]:
    """What waits for this user — to screen, approve, implement, receive, revisit, lift — in their
    jurisdiction, by due date (steps without a time limit last)."""
    from yujing.orgs.models import Unit

    clues = access.restrict(Clue.objects.all(), user, "clue.screen")
    # the party chief sees only the corrections reported to him (case.view_reported) — and reads those reports
    cases = access.restrict(WarningCase.objects.all(), user, "case.view", "case.view_reported", "case.view_deciding")
    units = access.restrict(Unit.objects.all(), user, "report.submit")
    rows = [_row(item, today) for item in collect(today=today, clues=clues, cases=cases, units=units)
            if _acts(user, item)]
    return sorted(rows, key=lambda r: (r.item.due is None, r.item.due or date.max, r.item.key))


@dataclass
class UnitBoard:
    unit_name: str
    rows: list[Row]

    @property
    def counts(self) -> dict[str, int]:
        result: dict[str, int] = defaultdict(int)
        for row in self.rows:
            result[row.grade.value] += 1
        return result


def board(*, user: Any, today: date) -> list[UnitBoard]:
    """Every open time limit due soon or missed, by unit, within what the user may see."""
    soon = today + timedelta(days=get_policy().rules.oversight.due_soon_days)
    from yujing.orgs.models import Unit

    clues = access.restrict(Clue.objects.all(), user, "clue.view")
    cases = access.restrict(WarningCase.objects.all(), user, "case.view")
    reporting = access.restrict(Unit.objects.all(), user, "report.view")
    units: dict[int, UnitBoard] = {}
    for item in collect(today=today, until=soon, clues=clues, cases=cases, units=reporting, with_waiting=False):
        units.setdefault(item.unit_id, UnitBoard(item.unit_name, [])).rows.append(_row(item, today))
    result = sorted(units.values(), key=lambda b: b.unit_name)
    for unit in result:
        unit.rows.sort(key=lambda r: (r.item.due, r.item.key))
    return result


def lapse_list(*, user: Any, today: date) -> list[dict]:
    """The lapses within the user's supervision, by unit, each with its notes."""
    from yujing.audit.models import Event
    from yujing.orgs.models import Unit

    from .lapses import find
    from .models import LapseNote

    clues = access.restrict(Clue.objects.all(), user, "lapse.view")
    cases = access.restrict(WarningCase.objects.all(), user, "lapse.view")
    prefixes = sorted({g.scope_path for g in access.grants(user) if g.role in access.allowed_roles("lapse.view")})
    from django.db.models import Q

    scope = Q()
    for prefix in prefixes:
        scope |= Q(unit_path__startswith=prefix)
    events = Event.objects.filter(scope) if prefixes else Event.objects.none()
    found = list(find(today=today, clues=clues, cases=cases, events=events))
    names = dict(Unit.objects.filter(path__in={x.unit_path for x in found if not x.unit_name}).values_list("path", "name"))
    notes: dict[str, list] = defaultdict(list)
    for note in LapseNote.objects.filter(key__in=[x.key for x in found]).select_related("by"):
        notes[note.key].append(note)
    by_unit: dict[str, list] = defaultdict(list)
    for lapse in sorted(found, key=lambda x: (x.kind, x.since, x.key)):
        by_unit[lapse.unit_name or names.get(lapse.unit_path, "（单位）")].append(
            {"lapse": lapse, "notes": notes.get(lapse.key, [])})
    return [{"unit": unit, "lapses": rows} for unit, rows in sorted(by_unit.items())]
