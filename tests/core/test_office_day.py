"""Days in the office's time zone: a step recorded at 07:30 Beijing time (23:30 UTC the day before) is
dated that day everywhere — timeline, documents, statistics, lapses (USE_TZ, TIME_ZONE Asia/Shanghai)."""

import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.dates import D
from yujing.audit.services import record
from yujing.cases import selectors as case_selectors
from yujing.cases import services as cs
from yujing.core.dates import office_day, office_time
from yujing.documents.exports import case_file_zip
from yujing.oversight.lapses import find
from yujing.oversight.models import QuarterlyReport

# 2026-03-09 07:30 in Beijing is 2026-03-08 23:30 in UTC, the way the database stores it
INSTANT = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
SRC = Path(__file__).resolve().parents[2] / "src" / "yujing"


def test_the_office_day_of_an_early_morning_instant_is_that_day():
    assert INSTANT.date() == D("2026-03-08")  # what the old code wrote
    assert office_day(INSTANT) == D("2026-03-09")
    assert f"{office_time(INSTANT):%Y-%m-%d %H:%M}" == "2026-03-09 07:30"


@pytest.fixture
def at_instant(monkeypatch):
    """The clock reads 2026-03-09 07:30 Beijing time: auto_now fields and audit events take it."""
    monkeypatch.setattr(timezone, "now", lambda: INSTANT)


def test_timeline_dates_a_register_written_at_0730_that_day(approved, users, at_instant):
    case = approved("admonition", "MH0001", on="2026-03-02", approve_on="2026-03-04")
    cs.write_register(case=case, by=users["yjb"], today=D("2026-03-09"), content="整改要求：一、……")
    case = case_selectors.case_get(user=users["yjb"], pk=case.pk)
    register = case.registers.get()
    assert register.recorded_at == INSTANT
    entries = [e for e in case_selectors.timeline(case) if e.kind == "register"]
    assert [(e.on, e.title) for e in entries] == [(D("2026-03-09"), "预警工作登记表")]


@pytest.mark.parametrize(("due_on", "late"), [("2026-03-09", False), ("2026-03-08", True)])
def test_quarterly_report_sent_at_0730_on_its_last_day_is_on_time(due_on, late):
    report = QuarterlyReport(due_on=D(due_on), submitted_at=INSTANT)
    assert report.late is late


def test_case_file_index_writes_beijing_time(open_case):
    class File:
        def open(self, mode):
            return io.BytesIO(b"docx")

    document = SimpleNamespace(generated_at=INSTANT, pk=1, version=1, form="inquiry_letter", subject="case:1",
                               title="询问函", number=None, docx=File(), pdf=None, generated_by="汤宁")
    out = case_file_zip(open_case("inquiry", "MH0001", on="2026-03-02"), attachments=[], documents=[document])
    index = zipfile.ZipFile(out).read("目录.html").decode()
    assert "<td>2026-03-09 07:30</td>" in index and "2026-03-08" not in index


def test_lapse_evidence_and_date_in_beijing_time(users, cadres, at_instant):
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned

    clue = clue_services.register_clue(by=users["yjb"], today=D("2026-03-09"), received_on=D("2026-03-09"),
                                       channel="petition", summary="反映问题", detail="详情",
                                       concerned=[Concerned(cadre_id=cadres["MH0001"].pk)])
    from django.db import transaction

    with transaction.atomic():
        record("clues.reporter.revealed", by=users["qs_jiwei"], obj=clue, unit_path=clue.handling_unit.path)
    lapse = next(x for x in find(today=D("2026-03-09")) if x.kind == "confidentiality")
    assert lapse.evidence.startswith("2026-03-09 07:30 ")
    assert lapse.since == D("2026-03-09")


def test_no_timestamp_becomes_a_date_in_utc():
    """Lint: in src/, a timestamp becomes a date only through core.dates.office_day/office_time — never
    ``.date()`` (the UTC day) nor formatting a stored ``…_at`` field directly."""
    offenders = []
    pattern = re.compile(r"\.date\(\)|\b\w*_at:%|\[\W?at\W?\]:%|\bself\.at:%")
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name == "dates.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []
