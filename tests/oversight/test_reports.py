"""Quarterly reports (第四条): figures exact and consistent, submission frozen, late ones on the board."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dates import D
from yujing.cases import services as cs
from yujing.clues import services as clue_services
from yujing.clues.services import Concerned, Outcome, Proposal
from yujing.oversight import figures, reports
from yujing.oversight.figures import definitions, quarter_range
from yujing.oversight.selectors import board, my_work


def test_quarter_ranges_and_due_dates(db):
    assert quarter_range(2026, 1) == (D("2026-01-01"), D("2026-03-31"))
    assert quarter_range(2026, 4) == (D("2026-10-01"), D("2026-12-31"))
    assert reports.due_date(2026, 3) == D("2026-10-10")  # 09-30 + 10 days: Saturday 10-10 is a working day
    assert reports.due_date(2026, 2) == D("2026-07-10")
    assert reports.last_quarter(D("2026-01-05")) == (2025, 4)


@pytest.fixture
def quarter_data(users, cadres):
    """In 2026 Q3 at 青石镇: three clues (two petitions, one audit); one handled into an inquiry that is
    talked and answered late; one case clue; one left registered."""
    qs = users["qs_jiwei"]

    def clue(day, channel="petition", code="MH0007"):
        return clue_services.register_clue(by=qs, today=D(day), received_on=D(day), channel=channel, summary="问题",
                                           detail="详情", concerned=[Concerned(cadre_id=cadres[code].pk)])

    handled, filed, _ = clue("2026-07-06"), clue("2026-07-20", "audit"), clue("2026-09-28")
    clue_services.screen_clue(clue=handled, by=qs, today=D("2026-07-08"), outcome=Outcome.HANDLE, reason="本级",
                              verifiable=False, proposals=[Proposal(cadres["MH0007"].pk, "inquiry")])
    clue_services.screen_clue(clue=filed, by=qs, today=D("2026-07-21"), outcome=Outcome.CASE_CLUE, reason="立案")
    case = handled.cases.get()
    cs.decide(case=case, by=users["qs_dangwei"], today=D("2026-07-09"), approve=True)
    cs.issue_letter(case=case, by=qs, today=D("2026-07-20"), kind="inquiry_letter", issued_on=D("2026-07-20"),
                    content="请说明")  # due 07-16: late
    cs.record_receipt(case=case, by=qs, today=D("2026-07-21"), received_on=D("2026-07-21"))
    cs.record_response(case=case, by=qs, today=D("2026-08-10"), received_on=D("2026-08-10"), content="说明")  # late
    clue("2026-10-02")  # next quarter: not counted
    return case


def test_every_figure_is_exact(quarter_data, demo):
    values = figures.compute(prefix=demo["MH-QS"].path, year=2026, quarter=3)
    expected = {"clues": 3, "clues.petition": 2, "clues.audit": 1, "screened.handle": 1, "screened.case_clue": 1,
                "screened.no_action": 0, "routed": 0, "cases": 1, "cases.inquiry": 1, "approved": 1, "implemented": 1,
                "implemented.letter": 1, "implemented.talk": 0, "implemented_timely": 1,
                "implemented_timely.on_time": 0, "implemented_timely.late": 1, "responses": 1, "responses.on_time": 0,
                "responses.late": 1, "lifted": 0, "escalated": 0, "restricted": 0}
    for key, value in expected.items():
        assert values[key] == value, key
    assert sum(values.values()) == sum(expected.values())  # everything not listed is 0
    assert figures.compute(prefix=demo["MH-BS"].path, year=2026, quarter=3)["clues"] == 0


def test_parts_add_up_to_their_whole(quarter_data, demo):
    values = figures.compute(prefix=demo["MH"].path, year=2026, quarter=3)
    parts: dict[str, int] = {}
    for f in definitions(D("2026-07-01"), D("2026-09-30")):
        if f.parent:
            parts[f.parent] = parts.get(f.parent, 0) + values[f.key]
    assert parts and all(parts[whole] == values[whole] for whole in parts), parts


def test_the_roll_up_is_a_handful_of_queries(quarter_data, demo):
    with CaptureQueriesContext(connection) as queries:
        figures.compute(prefix=demo["MH"].path, year=2026, quarter=3)
    assert len(queries) <= 10


def test_submitted_reports_are_frozen_and_changes_show_as_differences(quarter_data, users, demo, cadres):
    unit = demo["MH-QS"]
    with pytest.raises(ValidationError, match="尚未结束"):
        reports.submit(unit=unit, year=2026, quarter=4, remarks="", by=users["qs_jiwei"], today=D("2026-11-20"))
    with pytest.raises(PermissionDenied):
        reports.submit(unit=unit, year=2026, quarter=3, remarks="", by=users["yjb"], today=D("2026-10-12"))
    report = reports.submit(unit=unit, year=2026, quarter=3, remarks="无特殊情况", by=users["qs_jiwei"],
                            today=D("2026-10-12"))
    assert report.figures["clues"] == 3 and report.due_on == D("2026-10-10")
    with pytest.raises(ValidationError, match="已报送"):
        reports.submit(unit=unit, year=2026, quarter=3, remarks="", by=users["qs_jiwei"], today=D("2026-10-12"))
    # a clue of the quarter registered afterwards
    clue_services.register_clue(by=users["qs_jiwei"], today=D("2026-10-13"), received_on=D("2026-09-30"),
                                channel="media", summary="问题", detail="详情",
                                concerned=[Concerned(cadre_id=cadres["MH0008"].pk)])
    report.refresh_from_db()
    assert report.figures["clues"] == 3
    assert [(d.key, d.submitted, d.now) for d in reports.differences(report)] == [
        ("clues", 3, 4), ("clues.media", 0, 1)]
    with pytest.raises(PermissionDenied):
        reports.send_back(report=report, reason="补报", by=users["qs_jiwei"])
    reports.send_back(report=report, reason="漏报一条线索", by=users["yjb"])
    again = reports.submit(unit=unit, year=2026, quarter=3, remarks="补报", by=users["qs_jiwei"],
                           today=D("2026-10-14"))
    assert again.pk == report.pk and again.figures["clues"] == 4


@pytest.mark.with_reports
def test_unsubmitted_reports_show_on_the_board_from_the_due_date(users, demo, quarter_data):
    def qs_items(day):
        return [r for unit in board(user=users["yjb"], today=D(day)) for r in unit.rows
                if r.item.kind == "quarterly_report" and r.item.unit_id == demo["MH-QS"].pk
                and r.item.title.startswith("2026年第3季度")]

    assert qs_items("2026-10-06") == []
    assert [r.grade.value for r in qs_items("2026-10-07")] == ["due_soon"]
    assert [r.grade.value for r in qs_items("2026-10-12")] == ["late"]
    assert any(r.item.kind == "quarterly_report" for r in my_work(user=users["qs_jiwei"], today=D("2026-10-12")))
    reports.submit(unit=demo["MH-QS"], year=2026, quarter=3, remarks="", by=users["qs_jiwei"], today=D("2026-10-12"))
    assert qs_items("2026-10-12") == []
    # the county began recording clues in 2026 Q3: earlier quarters are not asked for
    titles = {r.item.title for unit in board(user=users["yjb"], today=D("2026-10-12")) for r in unit.rows
              if r.item.kind == "quarterly_report"}
    assert titles == {"2026年第3季度预警工作统计报表"}


def test_report_pages(login, quarter_data, demo):
    page = login("yjb").get("/oversight/reports/", {"year": 2026, "quarter": 3}).content.decode()
    assert "明湖县青石镇" in page and "逾期未报" in page
    client = login("qs_jiwei")
    url = f"/oversight/reports/{demo['MH-QS'].pk}/2026/3/"
    assert "核对无误，报送" in client.get(url).content.decode()
    drill = client.get(url + "figure/clues.petition/")
    assert drill.status_code == 200 and len(drill.context["items"]) == 2
    assert client.post(url, {"action": "submit", "remarks": "无"}).status_code == 302
    assert "已报送" in client.get(url).content.decode()
    assert login("qs_jiwei").get(f"/oversight/reports/{demo['MH-BS'].pk}/2026/3/").status_code == 404
    assert login("renshe").get("/oversight/reports/").status_code == 403


def test_exports(login, quarter_data, demo, users):
    import io
    import re
    import shutil

    from openpyxl import load_workbook

    client = login("yjb")
    url = f"/oversight/reports/{demo['MH-QS'].pk}/2026/3/export"
    rows = list(load_workbook(io.BytesIO(b"".join(client.get(url + ".xlsx").streaming_content))).active.iter_rows(
        values_only=True))
    assert rows[0][0] == "明湖县青石镇预警工作统计报表" and "尚未报送" in rows[1][0]
    assert ("收到线索", 3) in rows and ("    其中：群众信访举报", 2) in rows
    county = client.get(f"/oversight/reports/{demo['MH'].pk}/2026/3/export.xlsx")
    assert county.status_code == 200
    assert login("qs_jiwei").get(f"/oversight/reports/{demo['MH'].pk}/2026/3/export.xlsx").status_code == 404
    if shutil.which("soffice"):
        from pypdf import PdfReader

        pdf = b"".join(client.get(url + ".pdf").streaming_content)
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
        assert "明湖县青石镇预警工作统计报表" in text and "其中：群众信访举报2" in text


def test_the_exported_report_dates_its_state_the_chinese_way(login, quarter_data, demo, users, monkeypatch):
    """The subtitle of the XLSX/PDF report is prose: 2026年10月12日报送, not 2026-10-12报送; the day of a
    submission at 00:30 Beijing time (16:30 UTC the day before) is the Beijing day."""
    import io
    from datetime import UTC, datetime

    from django.utils import timezone
    from openpyxl import load_workbook

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 10, 11, 16, 30, tzinfo=UTC))
    reports.submit(unit=demo["MH-QS"], year=2026, quarter=3, remarks="", by=users["qs_jiwei"], today=D("2026-10-12"))
    response = login("yjb").get(f"/oversight/reports/{demo['MH-QS'].pk}/2026/3/export.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][0] == "2026年第3季度（2026年10月12日报送）"
    unsubmitted = login("yjb").get(f"/oversight/reports/{demo['MH-BS'].pk}/2026/3/export.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(unsubmitted.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][0] == "2026年第3季度（2026年10月12日计算，尚未报送）"


def test_dashboard_is_scoped_and_counts_right(login, quarter_data, demo, users):
    from datetime import date

    from yujing.oversight.dashboard import data

    county = data(user=users["yjb"], start=date(2026, 7, 1), end=date(2026, 9, 30), today=date(2026, 10, 1))
    assert data(user=users["shuji"], start=date(2026, 7, 1), end=date(2026, 9, 30), today=date(2026, 10, 1),
                unit_path=demo["MH-BS"].path)["totals"]["clues"] == 0
    assert county["totals"] == {"clues": 3, "cases": 1, "restricted": 0}
    assert county["clues_by_quarter"] == [3]
    assert {c["name"]: c["value"] for c in county["channels"]}["群众信访举报"] == 2
    assert county["on_time"][0]["value"] == 0.0  # the one implementation was late
    page = login("yjb").get("/oversight/dashboard/", {"start": "2026-07-01", "end": "2026-09-30"})
    assert page.status_code == 200 and 'id="dashboard-data"' in page.content.decode()
    assert login("lianluo").get("/oversight/dashboard/").status_code == 403


def test_assessment_from_data_and_scores(login, quarter_data, demo, users):
    from decimal import Decimal

    from yujing.oversight.assessment import metrics, score, suggested

    unit = demo["MH-QS"]
    reports.submit(unit=unit, year=2026, quarter=3, remarks="", by=users["qs_jiwei"], today=D("2026-10-12"))
    m = metrics(unit=unit, year=2026, today=D("2026-12-31"))
    assert (m["screened"], m["screening_on_time"], m["implemented"], m["implementation_on_time"]) == (2, 1.0, 1, 0.0)
    assert (m["reports_submitted"], m["reports_on_time"]) == (1, 0)  # 10-12 after the 10-10 due date
    assert m["lapses"] == 3  # two clues never screened (09-28, 10-02), the late implementation
    hints = suggested(m, 20)
    assert hints == {"duties": 0.0, "leaders": 0.0, "coordination": 17.0, "petitions": 20.0, "rules": None}
    with pytest.raises(ValidationError) as info:
        score(unit=unit, year=2026, scores={"duties": (Decimal(25), "")}, by=users["yjb"], today=D("2026-12-31"))
    assert info.value.message_dict["duties"] == ["“党委(党组)及部门履行预警工作职责情况”的得分应在 0 至 20 分之间"]
    with pytest.raises(PermissionDenied):
        score(unit=unit, year=2026, scores={}, by=users["qs_jiwei"], today=D("2026-12-31"))
    result = score(unit=unit, year=2026, by=users["yjb"], today=D("2026-12-31"), scores={
        "duties": (Decimal("15"), "报表逾期"), "leaders": (Decimal("12"), ""), "coordination": (Decimal("18"), ""),
        "petitions": (Decimal("20"), ""), "rules": (Decimal("16.5"), "制度基本健全")})
    assert result.total == Decimal("81.5")
    page = login("yjb").get("/oversight/assessment/", {"year": 2026}).content.decode()
    assert "81.5" in page
    import io

    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(b"".join(login("yjb").get("/oversight/assessment/2026.xlsx")
                                                  .streaming_content))).active.iter_rows(values_only=True))
    assert rows[2][0] == "明湖县青石镇" and rows[2][6] == 81.5
    assert login("qs_jiwei").get(f"/oversight/assessment/{unit.pk}/2026/").status_code == 200
    assert login("qs_jiwei").post(f"/oversight/assessment/{unit.pk}/2026/", {"duties_score": "20"}).status_code == 403


def test_frozen_figures_are_shown_in_the_order_of_the_definitions():
    """PostgreSQL's jsonb returns a submitted report's keys shortest first; the pages and the API list them
    as the definitions do, whatever order they come back in."""
    from yujing.oversight.reports import LABELS, in_order

    keys = list(LABELS)
    shuffled = {key: i for i, key in sorted(enumerate(keys), key=lambda pair: (len(pair[1]), pair[1]))}
    assert list(shuffled) != keys
    assert list(in_order(shuffled)) == keys
    assert in_order(shuffled) == shuffled  # the same figures, only in order
    assert list(in_order({"unknown": 1, keys[0]: 2})) == [keys[0], "unknown"]


@pytest.fixture
def county_started_in_may(users, cadres):
    """明湖县 records its first clue on 2026-05-12 (青石镇): it owes reports from 2026 Q2, none for Q1."""
    return clue_services.register_clue(
        by=users["qs_jiwei"], today=D("2026-05-12"), received_on=D("2026-05-12"), channel="petition",
        summary="问题", detail="详情", concerned=[Concerned(cadre_id=cadres["MH0007"].pk)])


def test_the_report_page_the_board_and_the_reminders_owe_the_same_quarters(county_started_in_may, users, demo,
                                                                           login, monkeypatch):
    """One truth (第四条): on 2027-01-12, a county that began on 2026-05-12 owes 2026 Q2, Q3 and Q4 — not Q1 — on
    the report page, the board and the reminders alike; a report submitted is owed nowhere."""
    from django.utils import timezone

    from yujing.oversight.models import Notification
    from yujing.oversight.reminders import send_reminders

    today = D("2027-01-12")
    assert reports.due_date(2026, 4) == D("2027-01-11")  # 10 days end on Sunday 01-10: the next working day
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    qs = demo["MH-QS"]
    reports.submit(unit=qs, year=2026, quarter=3, remarks="", by=users["qs_jiwei"], today=D("2026-10-09"))
    expected = [(2026, 2), (2026, 4)]
    units = reports.reporting_units("/")
    assert sorted((o.year, o.quarter) for o in reports.reporting(today=today).owed() if o.unit_id == qs.pk) == expected

    # the report page: 逾期未报 exactly for the owed quarters; Q1 is not asked for, and says why
    def state(year, quarter):
        page = login("yjb").get("/oversight/reports/", {"year": year, "quarter": quarter})
        return {row.unit.pk: row.state for row in page.context["rows"]}

    assert set(state(2026, 1).values()) == {"not_owed"}
    assert "本县2026年5月12日起使用本系统登记线索，此前的季度不需报送" in login("yjb").get(
        "/oversight/reports/", {"year": 2026, "quarter": 1}).content.decode()
    assert set(state(2026, 2).values()) == {"late"}
    assert state(2026, 3)[qs.pk] == "submitted" and set(state(2026, 3).values()) == {"late", "submitted"}
    assert set(state(2026, 4).values()) == {"late"}
    assert set(state(2027, 1).values()) == {"not_ended"}
    single = login("qs_jiwei").get(f"/oversight/reports/{qs.pk}/2026/1/").content.decode()
    assert 'data-state="not_owed"' in single and "⚠ 逾期未报" not in single
    assert "⚠ 逾期未报" in login("qs_jiwei").get(f"/oversight/reports/{qs.pk}/2026/2/").content.decode()

    # the deadline board
    owed_on_board = sorted(r.item.title for b in board(user=users["yjb"], today=today) for r in b.rows
                           if r.item.kind == "quarterly_report" and r.item.unit_id == qs.pk)
    assert owed_on_board == ["2026年第2季度预警工作统计报表", "2026年第4季度预警工作统计报表"]
    every = {(r.item.unit_id, r.item.title[:9]) for b in board(user=users["yjb"], today=today) for r in b.rows
             if r.item.kind == "quarterly_report"}
    assert every == {(u.pk, title) for u in units for title in ("2026年第2季度", "2026年第3季度", "2026年第4季度")
                     if (u.pk, title) != (qs.pk, "2026年第3季度")}

    # the reminders: the township's discipline body is told of the same two
    send_reminders(today=today)
    told = Notification.objects.get(user=users["qs_jiwei"], day=today)
    assert [i["key"] for i in told.items if i["key"].startswith("report:")] == [
        f"report:{qs.pk}:2026Q2", f"report:{qs.pk}:2026Q4"]

    # the API says the same
    from django.test import Client

    from yujing.api.services import create_token

    _, token = create_token(user=users["yjb"], name="对接", by=users["yjb"])
    api = Client(headers={"Authorization": f"Bearer {token}"})
    for quarter, owed in ((1, False), (2, True), (4, True)):
        listing = api.get("/api/reports", {"year": 2026, "quarter": quarter, "limit": 100}).json()["items"]
        assert {r["owed"] for r in listing} == {owed}
