"""The outcome of a correction reported to the party chief (第三十一条: 责令纠错情况应及时以书面形式……向党委(党组)
主要领导汇报): its own step after the case has ended, with a date, content, recorder, document and the policy's
time limit; it waits in the chief's 我的待办 until he reads it — as does the report before implementation (第十七条)."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from tests.dates import D
from yujing.audit.models import Event
from yujing.cases import actions, selectors
from yujing.cases import services as cs
from yujing.cases.models import ChiefReport
from yujing.oversight import selectors as work


@pytest.fixture
def lifted_correction(approved, users, demo):
    """A county correction approved 03-02, reported to the chief before implementation 03-03, lifted 2026-04-20."""
    office = users["yjb"]
    case = approved("correction", "MH0002", on="2026-03-02", approve_on="2026-03-02")
    cs.report_to_chief(case=case, by=office, today=D("2026-03-03"), reported_on=D("2026-03-03"), note="拟责令纠错")
    cs.write_register(case=case, by=office, today=D("2026-03-03"), content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-03-03"))
    cs.issue_letter(case=case, by=office, today=D("2026-03-04"), kind="correction_notice", issued_on=D("2026-03-04"),
                    content="纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-03-05"), received_on=D("2026-03-05"))
    cs.record_response(case=case, by=office, today=D("2026-04-01"), received_on=D("2026-04-01"), content="已纠正")
    cs.record_revisit(case=case, by=office, today=D("2026-04-15"), methods=["symposium"], done_on=D("2026-04-15"),
                      findings="座谈了解已纠正", meets_requirement=True)
    for recipient in ("organization_dept", "personnel_dept", "unit_party_org"):
        cs.send_notice(case=case, by=office, today=D("2026-04-16"), recipient=recipient, sent_on=D("2026-04-16"),
                       content="通报责令纠错情况")
    cs.lift(case=case, by=users["shuji"], today=D("2026-04-20"), basis="经回访达到整改要求")
    case.refresh_from_db()
    return case


def _work(users, username, today):
    return [(r.item.kind, r.item.label, r.item.due, r.item.article) for r in work.my_work(user=users[username], today=today)
            if r.item.key.startswith("case:")]


def test_a_lifted_correction_is_reported_to_the_chief_as_its_own_step(lifted_correction, users):
    case, office, today = lifted_correction, users["yjb"], D("2026-04-22")
    assert case.status == "lifted"
    # 及时: the policy's 7 days from the lifting (a reading of 第三十一条) — 04-27
    assert cs.outcome_report_due(case) == D("2026-04-27")
    assert [(s.action, s.label, s.who, s.due) for s in selectors.next_steps(case)] == [
        ("report_outcome", "向党委(党组)主要领导汇报结果", "预警办", D("2026-04-27"))]
    assert actions.available(case, office, today) == ["report_outcome"]
    assert actions.available(case, users["shuji"], today) == []
    assert _work(users, "yjb", today) == [("outcome_report", "向主要领导汇报结果", D("2026-04-27"), "第三十一条")]
    # the chief has the report before implementation (第十七条) still unread
    assert _work(users, "xianwei", today) == [("chief_report_implementation", "阅知实施前报告", None, "第十七条")]

    # bad input: a clear message, nothing written
    with pytest.raises(ValidationError) as info:
        cs.report_outcome_to_chief(case=case, by=office, today=today, reported_on=D("2026-04-19"), note=" ")
    assert info.value.message_dict == {"note": ["请填写汇报内容（解除预警或升级处理的结果）"],
                                       "reported_on": ["日期不能早于办结日期（2026年4月20日）"]}
    with pytest.raises(PermissionDenied):
        cs.report_outcome_to_chief(case=case, by=users["shuji"], today=today, reported_on=today, note="结果")
    assert not ChiefReport.objects.filter(case=case, kind="outcome").exists()

    report = cs.report_outcome_to_chief(case=case, by=office, today=today, reported_on=D("2026-04-22"),
                                        note="经回访，整改到位，已解除预警。")
    assert (report.kind, report.reported_on, report.chief, report.recorded_by, report.note, report.seen_at) == (
        "outcome", D("2026-04-22"), users["xianwei"], office, "经回访，整改到位，已解除预警。", None)
    event = Event.objects.filter(action="cases.case.report_outcome").get()
    assert (event.data["reported_on"], event.data["due"], event.data["late"], event.data["to"]) == (
        "2026-04-22", "2026-04-27", False, "lifted")
    with pytest.raises(ValidationError, match="已向党委\\(党组\\)主要领导汇报结果"):
        cs.report_outcome_to_chief(case=case, by=office, today=today, reported_on=today, note="再报")
    case = selectors.case_get(user=office, pk=case.pk)
    assert selectors.next_steps(case) == [] and actions.available(case, office, today) == []
    assert _work(users, "yjb", today) == []

    # in the chief's 我的待办 until he reads each (阅知)
    assert _work(users, "xianwei", today) == [("chief_report_implementation", "阅知实施前报告", None, "第十七条"),
                                              ("chief_report_outcome", "阅知结果汇报", None, "第三十一条")]
    with pytest.raises(PermissionDenied, match="只有县委主要领导可以阅知"):
        cs.mark_report_seen(report=report, by=office)
    cs.mark_report_seen(report=report, by=users["xianwei"])
    assert _work(users, "xianwei", today) == [("chief_report_implementation", "阅知实施前报告", None, "第十七条")]
    cs.mark_report_seen(report=case.chief_report("implementation"), by=users["xianwei"])
    assert _work(users, "xianwei", today) == []
    assert [e.data["kind"] for e in Event.objects.filter(action="cases.chief_report.seen").order_by("id")] == [
        "outcome", "implementation"]


def test_the_outcome_report_is_on_the_board_and_in_the_reminders_by_its_date(lifted_correction, users):
    from yujing.oversight.models import Notification
    from yujing.oversight.reminders import send_reminders

    case = lifted_correction

    def on_board(day):
        return [(r.item.kind, r.grade.value) for b in work.board(user=users["yjb"], today=D(day)) for r in b.rows
                if r.item.key == f"case:{case.pk}:outcome_report"]

    assert on_board("2026-04-23") == []
    assert on_board("2026-04-24") == [("outcome_report", "due_soon")]  # three days before (oversight.due_soon_days)
    assert on_board("2026-04-28") == [("outcome_report", "late")]
    send_reminders(today=D("2026-04-21"))  # within the 7 days' reminder window
    told = Notification.objects.get(user=users["yjb"], day=D("2026-04-21"))
    assert [(i["key"], i["due"]) for i in told.items if i["key"].startswith("case:")] == [
        (f"case:{case.pk}:outcome_report", "2026-04-27")]
    cs.report_outcome_to_chief(case=case, by=users["yjb"], today=D("2026-04-28"), reported_on=D("2026-04-28"),
                               note="已解除预警")
    assert on_board("2026-04-28") == []
    assert Event.objects.get(action="cases.case.report_outcome").data["late"] is True  # one day after 04-27


def test_an_escalated_correction_reports_its_outcome_too(approved, users, demo):
    office = users["yjb"]
    case = approved("correction", "MH0002", on="2026-01-05", approve_on="2026-01-05")
    cs.report_to_chief(case=case, by=office, today=D("2026-01-05"), reported_on=D("2026-01-05"))
    cs.write_register(case=case, by=office, today=D("2026-01-05"), content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-01-05"))
    cs.issue_letter(case=case, by=office, today=D("2026-01-06"), kind="correction_notice", issued_on=D("2026-01-06"),
                    content="纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-01-07"), received_on=D("2026-01-07"))
    cs.escalate(case=case, by=users["shuji"], today=D("2026-03-05"), kind="organisational", basis="逾期未纠正")
    case.refresh_from_db()
    assert case.status == "escalated" and cs.outcome_report_pending(case)
    assert cs.outcome_report_due(case) == D("2026-03-12")
    report = cs.report_outcome_to_chief(case=case, by=office, today=D("2026-03-06"), reported_on=D("2026-03-06"),
                                        note="整改期限届满未纠正，已转组织处理。")
    assert report.kind == "outcome" and not cs.outcome_report_pending(case)


def test_no_outcome_report_for_an_inquiry(open_case, users):
    """Only 责令纠错 (第三十一条; the policy's report_outcome_to_party_chief)."""
    case = open_case("inquiry", "MH0003", on="2026-06-01")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-06-01"), approve=False, opinion="问题已澄清")
    case.refresh_from_db()
    assert not cs.outcome_report_pending(case)
    with pytest.raises(ValidationError, match="预警事项当前为“未获批准”，不能向党委\\(党组\\)主要领导汇报结果"):
        cs.report_outcome_to_chief(case=case, by=users["yjb"], today=D("2026-06-02"), reported_on=D("2026-06-02"),
                                   note="x")


def test_the_pages_and_the_api(lifted_correction, users, login, monkeypatch):
    from yujing.api.services import create_token

    case = lifted_correction
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D("2026-04-22"))
    office = login("yjb")
    page = office.get(f"/cases/{case.pk}/").content.decode()
    form = f'action="/cases/{case.pk}/act/report_outcome/"'
    assert form in page and "向党委(党组)主要领导汇报结果" in page
    assert form not in login("shuji").get(f"/cases/{case.pk}/").content.decode()
    refused = office.post(f"/cases/{case.pk}/act/report_outcome/", {"report_outcome-reported_on": "2026-04-22",
                                                                    "report_outcome-note": ""})
    assert refused.status_code == 400 and not ChiefReport.objects.filter(kind="outcome").exists()
    done = office.post(f"/cases/{case.pk}/act/report_outcome/", {"report_outcome-reported_on": "2026-04-22",
                                                                 "report_outcome-note": "已解除预警"})
    assert done.status_code == 302
    report = ChiefReport.objects.get(case=case, kind="outcome")
    assert form not in office.get(f"/cases/{case.pk}/").content.decode()

    # the chief: 我的待办, the list of reports, the case page with 阅知
    chief = login("xianwei")
    mine = chief.get("/oversight/my-work/").content.decode()
    assert "阅知结果汇报" in mine and "阅知实施前报告" in mine
    assert "结果汇报（第三十一条）" in chief.get("/cases/reports/").content.decode()
    assert f'action="/cases/reports/{report.pk}/seen/"' in chief.get(f"/cases/{case.pk}/").content.decode()
    assert office.post(f"/cases/reports/{report.pk}/seen/").status_code == 403
    assert chief.post(f"/cases/reports/{report.pk}/seen/").status_code == 302
    report.refresh_from_db()
    assert report.seen_at is not None
    assert "阅知结果汇报" not in chief.get("/oversight/my-work/").content.decode()

    _, token = create_token(user=users["xianwei"], name="对接", by=users["xianwei"])
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert [(r["kind"], r["case_id"]) for r in api.get("/api/chief-reports").json()["items"]] == [
        ("outcome", case.pk), ("implementation", case.pk)]


def test_the_api_records_the_outcome_report(lifted_correction, users, monkeypatch):
    from yujing.api.services import create_token

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D("2026-04-22"))
    _, token = create_token(user=users["yjb"], name="对接", by=users["yjb"])
    api = Client(headers={"Authorization": f"Bearer {token}"})
    url = f"/api/cases/{lifted_correction.pk}/report-outcome"
    refused = api.post(url, json.dumps({"reported_on": "2026-04-23", "note": "x"}), content_type="application/json")
    assert (refused.status_code, refused.json()["errors"]) == (422, [{"loc": ["reported_on"], "message": "日期不能晚于今天"}])
    done = api.post(url, json.dumps({"reported_on": "2026-04-22", "note": "已解除预警"}), content_type="application/json")
    assert done.status_code == 200
    assert ChiefReport.objects.get(case=lifted_correction, kind="outcome").note == "已解除预警"


def test_a_units_correction_is_read_by_its_party_committee_leader(open_case, users, login, monkeypatch):
    """向党委(党组)主要领导汇报 (第三十一条): for a township's own correction, the township party committee's leader
    reads the reports (his 我的待办, 阅知 on the case page), not the county party chief."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D("2026-05-08"))
    case = open_case("correction", "MH0007", on="2026-05-06")
    body = users["qs_jiwei"]
    cs.record_verification(case=case, by=body, today=D("2026-05-06"), method="preliminary", done_on=D("2026-05-06"),
                           findings="初核属实", conclusion="true")
    cs.decide(case=case, by=users["qs_dangwei"], today=D("2026-05-07"), approve=True)
    report = cs.report_to_chief(case=case, by=body, today=D("2026-05-07"), reported_on=D("2026-05-07"), note="拟纠错")
    assert report.chief == users["qs_dangwei"]
    today = D("2026-05-08")
    # the party committee also implements (第十八条): its 组织实施 item stays; the report waits beside it
    assert _work(users, "qs_dangwei", today) == [("implementation", "组织实施", D("2026-05-14"), "第十七条"),
                                                 ("chief_report_implementation", "阅知实施前报告", None, "第十七条")]
    assert _work(users, "xianwei", today) == []
    with pytest.raises(PermissionDenied, match="只有单位党委\\(党组\\)负责人可以阅知"):
        cs.mark_report_seen(report=report, by=users["xianwei"])
    leader = login("qs_dangwei")
    assert f'action="/cases/reports/{report.pk}/seen/"' in leader.get(f"/cases/{case.pk}/").content.decode()
    response = leader.post(f"/cases/reports/{report.pk}/seen/")
    assert (response.status_code, response["Location"]) == (302, f"/cases/{case.pk}/")
    assert _work(users, "qs_dangwei", today) == [("implementation", "组织实施", D("2026-05-14"), "第十七条")]
