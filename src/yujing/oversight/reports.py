"""Quarterly reports: who must report, by when, and the submit / send back service functions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from yujing.audit.services import Origin, record
from yujing.orgs import access
from yujing.orgs.models import Unit
from yujing.policy.holidays import HolidayCalendar
from yujing.policy.loader import due, get_calendar, get_policy
from yujing.policy.words import in_force

from . import figures
from .models import QuarterlyReport


# 第四条: 督促各乡镇和县直各单位做好预警工作统计，每季度报送一次预警工作统计报表
def reporting_kinds() -> list[str]:
    """The kinds of unit that submit the quarterly statistics, as the policy says ([statistics] reporting_units)."""
    return get_policy().rules.statistics.reporting_units


def last_quarter(today: date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def due_date(year: int, quarter: int, calendar: HolidayCalendar | None = None) -> date:
    """The policy's time after the quarter ends (default: 10 days, a reading of 第四条)."""
    _, last = figures.quarter_range(year, quarter)
    return due(last, get_policy().rules.quarterly_report.period, calendar=calendar).date


def _quarters(first: tuple[int, int], last: tuple[int, int]) -> Iterator[tuple[int, int]]:
    year, quarter = first
    while (year, quarter) <= last:
        yield year, quarter
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)


def _counties() -> list[str]:
    return sorted(Unit.objects.filter(kind=Unit.Kind.COUNTY).values_list("path", flat=True), key=len)


def county_starts(paths: Iterable[str], counties: list[str] | None = None) -> dict[str, date]:
    """county path -> the day its first clue was received in Yujing, for the counties of these unit paths.

    A county reports from the quarter in which it began recording clues: quarters before the system
    was in use are not asked for (第四条 asks each quarter's figures, and there were none in Yujing). One
    grouped query — each unit's first clue is one index probe (clue_unit_received), not a scan — and only
    the counties asked about: a county's board never reads the rest of the province's clues."""
    from yujing.clues.models import Clue

    counties = _counties() if counties is None else counties
    wanted = {_county(counties, path) for path in paths} - {""}
    if not wanted:
        return {}
    in_wanted = Q()
    for path in access.minimal_prefixes(wanted):
        in_wanted |= Q(path__startswith=path)
    first_clue = Clue.objects.filter(handling_unit=OuterRef("pk")).order_by("received_on").values("received_on")[:1]
    started: dict[str, date] = {}
    for path, first in Unit.objects.filter(in_wanted).annotate(first=Subquery(first_clue)).filter(
            first__isnull=False).values_list("path", "first"):
        county = _county(counties, path)
        started[county] = min(first, started.get(county, first))
    return started


def _county(counties: list[str], path: str) -> str:
    """The path of the nearest county above (or at) ``path``; "" outside any county."""
    return next((c for c in reversed(counties) if path.startswith(c)), "")


@dataclass(frozen=True)
class Owed:
    """A quarterly report a unit owes and has not submitted (a report sent back is owed again)."""

    unit_id: int
    unit_path: str
    unit_name: str
    year: int
    quarter: int
    due: date


@dataclass(frozen=True)
class Reporting:
    """Which quarters a set of reporting units owe as of a day: the one answer the report page, the
    deadline board and the reminders all read (第四条)."""

    today: date
    units: list[dict]  # pk, path, name of the active reporting units
    since: dict[int, date]  # unit pk -> the day its county began recording clues (absent: not yet)
    submitted: set[tuple[int, int, int]]  # (unit pk, year, quarter)

    def first_quarter(self, unit_id: int) -> tuple[int, int] | None:
        start = self.since.get(unit_id)
        return quarter_of(start) if start else None

    def owes(self, unit_id: int, year: int, quarter: int) -> bool:
        """Whether the quarter is one the unit must report: ended, not before its county began, and not
        submitted."""
        first = self.first_quarter(unit_id)
        return (first is not None and first <= (year, quarter) <= last_quarter(self.today)
                and (unit_id, year, quarter) not in self.submitted)

    def asked(self, unit_id: int, year: int) -> list[tuple[int, int]]:
        """The quarters of ``year`` the unit must report, submitted or not (the annual assessment's count)."""
        first = self.first_quarter(unit_id)
        return [(year, q) for q in range(1, 5) if first is not None and first <= (year, q) <= last_quarter(self.today)]

    def owed(self) -> Iterator[Owed]:
        """Every report owed, oldest quarter first."""
        end, dues = last_quarter(self.today), {}
        calendar = get_calendar()  # one query, however many quarters are owed
        for unit in self.units:
            first = self.first_quarter(unit["pk"])
            if first is None:
                continue
            for year, quarter in _quarters(first, end):
                if (unit["pk"], year, quarter) in self.submitted:
                    continue
                if (year, quarter) not in dues:
                    dues[(year, quarter)] = due_date(year, quarter, calendar)
                yield Owed(unit["pk"], unit["path"], unit["name"], year, quarter, dues[(year, quarter)])


def reporting(*, today: date, units: QuerySet[Unit] | None = None, quarter: tuple[int, int] | None = None) -> Reporting:
    """Who of ``units`` must report which quarters as of ``today`` (only ``quarter``, when given). A
    handful of queries, whatever the number of units or quarters."""
    units = Unit.objects.all() if units is None else units
    rows = list(units.filter(kind__in=reporting_kinds(), is_active=True).order_by("path").values("pk", "path", "name"))
    counties = _counties()
    started = county_starts((u["path"] for u in rows), counties)
    since = {u["pk"]: started[c] for u in rows if (c := _county(counties, u["path"])) in started}
    done = QuarterlyReport.objects.filter(status=QuarterlyReport.Status.SUBMITTED, unit_id__in=[u["pk"] for u in rows])
    if quarter:
        done = done.filter(year=quarter[0], quarter=quarter[1])
    return Reporting(today, rows, since, set(done.values_list("unit_id", "year", "quarter")))


@dataclass(frozen=True)
class Difference:
    key: str
    label: str
    submitted: int
    now: int


class _Labels(Mapping):
    """figure key -> its name, in the definitions' order, under the policy in force (its measures have their
    own names): read when used, not when imported."""

    _cache: dict[str, dict[str, str]] = {}

    def _now(self) -> dict[str, str]:
        digest = get_policy().digest
        if digest not in self._cache:  # the names only: no filter is built, no query run
            self._cache[digest] = {f.key: f.label for f in figures.definitions(date(2000, 1, 1), date(2000, 3, 31),
                                                                              filters=False)}
        return self._cache[digest]

    def __getitem__(self, key: str) -> str:
        return self._now()[key]

    def __iter__(self):
        return iter(self._now())

    def __len__(self) -> int:
        return len(self._now())


LABELS: Mapping[str, str] = _Labels()


def in_order(values: dict[str, int]) -> dict[str, int]:
    """A report's figures in the order the definitions give them (收到线索 first): a frozen report's figures
    come back from PostgreSQL's jsonb with its keys in jsonb's own order (shortest first)."""
    position = {key: i for i, key in enumerate(LABELS)}
    return dict(sorted(values.items(), key=lambda item: position.get(item[0], len(position))))


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
    if unit.kind not in reporting_kinds():
        raise ValidationError(f"{unit.name}不需报送季度统计报表")
    _, last = figures.quarter_range(year, quarter)
    if today <= last:
        raise ValidationError(f"{year}年第{quarter}季度尚未结束，结束后才能报送")
    existing = QuarterlyReport.objects.select_for_update().filter(unit=unit, year=year, quarter=quarter).first()
    if existing and existing.status == QuarterlyReport.Status.SUBMITTED:
        raise ValidationError(f"本季度报表已报送；如需更正，请{in_force().body('office')}退回后重新报送")
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
        raise PermissionDenied(f"只有{in_force().local('office')}可以退回季度报表")
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
    return Unit.objects.filter(path__startswith=prefix, kind__in=reporting_kinds(), is_active=True).order_by("path")


@dataclass(frozen=True)
class QuarterRow:
    """One unit's line on the report page for one quarter."""

    unit: Unit
    report: QuarterlyReport | None
    state: str  # submitted, returned, late (owed, past its due date), owed, not_ended, not_owed
    since: date | None  # the day the unit's county began recording clues

    @property
    def owed(self) -> bool:
        return self.state in ("returned", "late", "owed")


def quarter_rows(*, units: QuerySet[Unit], year: int, quarter: int, today: date) -> list[QuarterRow]:
    """The report page: each reporting unit of ``units`` and where its report for the quarter stands —
    owed or not as reporting() says, so the page shows 逾期未报 exactly where the board and the reminders
    list a report (第四条)."""
    owing = reporting(today=today, units=units, quarter=(year, quarter))
    by_pk = {u.pk: u for u in units.filter(pk__in=[r["pk"] for r in owing.units])}
    found = {r.unit_id: r for r in QuarterlyReport.objects.filter(unit_id__in=list(by_pk), year=year, quarter=quarter)}
    due_on = due_date(year, quarter)
    rows = []
    for row in owing.units:
        pk, report = row["pk"], found.get(row["pk"])
        if report and report.status == QuarterlyReport.Status.SUBMITTED:
            state = "submitted"
        elif owing.owes(pk, year, quarter):
            state = "returned" if report else ("late" if due_on < today else "owed")
        elif (year, quarter) > last_quarter(today):
            state = "not_ended"
        else:
            state = "not_owed"
        rows.append(QuarterRow(by_pk[pk], report, state, owing.since.get(pk)))
    return rows
