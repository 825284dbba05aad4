"""Deadlines, my work, the board and the reminders — with a frozen clock, to the day."""

import pytest
from django.core import mail

from tests.dates import D
from yujing.clues import services as clue_services
from yujing.clues.services import Concerned
from yujing.oversight import selectors
from yujing.oversight.models import Notification
from yujing.oversight.reminders import send_reminders


@pytest.fixture(autouse=True)
def no_quarterly_reports(request, monkeypatch):
    """The quarterly-report limits are tested in test_reports.py; here they would only add noise."""
    if "with_reports" not in request.keywords:
        monkeypatch.setattr("yujing.oversight.deadlines._reports", lambda *args: iter(()))


@pytest.fixture
def clue_due_after_national_day(users, cadres):
    """Received 09-17: 15 days end on 10-02, in the National Day holiday, so the last day is 10-08."""
    return clue_services.register_clue(
        by=users["yjb"], today=D("2026-09-17"), received_on=D("2026-09-17"), channel="petition", summary="反映问题",
        detail="详情", concerned=[Concerned(cadre_id=cadres["MH0001"].pk)])


@pytest.mark.parametrize(
    ("day", "grade"),
    # 到期前3日内 and 逾期10日以上 include the number (民法典第一千二百五十九条): 4 days before is not shown,
    # 3 days before is due soon; 9 days late is late, 10 and 11 days late are severely late
    [("2026-10-04", None), ("2026-10-05", "due_soon"), ("2026-10-08", "due_soon"), ("2026-10-09", "late"),
     ("2026-10-17", "late"), ("2026-10-18", "severely_late"), ("2026-10-19", "severely_late")],
)
def test_board_entry_appears_on_the_right_day(users, clue_due_after_national_day, day, grade):
    assert clue_due_after_national_day.screening_due == D("2026-10-08")
    rows = [row for unit in selectors.board(user=users["yjb"], today=D(day)) for row in unit.rows]
    assert [r.grade.value for r in rows] == ([grade] if grade else [])
    if grade:
        assert rows[0].item.kind == "screening" and rows[0].days_left == (D("2026-10-08") - D(day)).days


@pytest.mark.parametrize(("day", "shown"), [("2026-10-30", False), ("2026-10-31", True), ("2026-11-03", True)])
def test_implementation_limit_across_the_month_end(approved, users, day, shown):
    case = approved("inquiry", "MH0003", on="2026-10-27", approve_on="2026-10-27", approver="fushuji")
    assert case.implementation_due == D("2026-11-03")
    rows = [row for unit in selectors.board(user=users["yjb"], today=D(day)) for row in unit.rows
            if row.item.kind == "implementation"]
    assert bool(rows) is shown


def test_my_work_shows_each_user_what_waits_for_them(open_case, users, clue_due_after_national_day):
    case = open_case("admonition", "MH0002", on="2026-10-09")
    unit_case = open_case("inquiry", "MH0007", on="2026-10-09")
    today = D("2026-10-10")

    def kinds(username):
        return sorted((r.item.kind, r.item.title.split()[0]) for r in selectors.my_work(user=users[username], today=today))

    # an admonition is verified before it is approved (第十六条): it is the office's, not yet the approvers'
    assert kinds("yjb") == [("screening", clue_due_after_national_day.number), ("verification", case.number)]
    assert kinds("shuji") == kinds("changwei") == []
    from yujing.cases import services as cs

    cs.record_verification(case=case, by=users["yjb"], today=today, method="preliminary", done_on=today,
                           findings="初核属实", conclusion="true")
    assert kinds("yjb") == [("screening", clue_due_after_national_day.number)]
    assert kinds("shuji") == [("approval", case.number)]
    assert kinds("changwei") == [("approval", case.number)]  # admonition: 必要时常委会
    assert kinds("fushuji") == []  # an admonition is not the deputy secretary's to approve
    assert kinds("qs_dangwei") == [("approval", unit_case.number)]
    assert kinds("qs_jiwei") == []
    assert kinds("lianluo") == kinds("renshe") == []
    late = selectors.my_work(user=users["yjb"], today=today)[0]
    assert (late.grade.value, late.days_left) == ("late", -2)


def _emails(users):
    for name in ("yjb", "shuji", "qs_jiwei", "qs_dangwei"):
        users[name].email = f"{name}@mh.gov.example"
        users[name].save(update_fields=["email"])


def test_reminders_are_sent_once_a_day_and_only_within_jurisdiction(approved, users, clue_due_after_national_day):
    _emails(users)
    unit_case = approved("inquiry", "MH0007", on="2026-10-05", approve_on="2026-10-06", approver="qs_dangwei")
    assert unit_case.implementation_due == D("2026-10-13")
    result = send_reminders(today=D("2026-10-09"))
    assert (result.items, result.digests, result.emails) == (2, 3, 3)
    recipients = sorted(m.to[0] for m in mail.outbox)
    # the unit's discipline body and party committee implement (第十八条); the county office oversees all
    assert recipients == ["qs_dangwei@mh.gov.example", "qs_jiwei@mh.gov.example", "yjb@mh.gov.example"]
    yjb = Notification.objects.get(user=users["yjb"])
    assert [i["key"] for i in yjb.items] == [f"clue:{clue_due_after_national_day.pk}:screening",
                                            f"case:{unit_case.pk}:implementation"]
    qs = Notification.objects.get(user=users["qs_jiwei"])
    assert [i["key"] for i in qs.items] == [f"case:{unit_case.pk}:implementation"]  # not the county's clue
    assert "逾期 1 项" in yjb.subject and "逾期 1 日" in yjb.body
    again = send_reminders(today=D("2026-10-09"))
    assert (again.digests, again.emails, again.skipped) == (0, 0, 3)
    assert len(mail.outbox) == 3
    send_reminders(today=D("2026-10-10"))
    assert len(mail.outbox) == 6


def test_a_run_that_crashes_half_way_sends_each_message_exactly_once(approved, users, clue_due_after_national_day):
    _emails(users)
    approved("inquiry", "MH0007", on="2026-10-05", approve_on="2026-10-06", approver="qs_dangwei")
    with pytest.raises(RuntimeError):
        send_reminders(today=D("2026-10-09"), fail_after=1)
    assert Notification.objects.count() == 1
    send_reminders(today=D("2026-10-09"))
    send_reminders(today=D("2026-10-09"))
    assert sorted(m.to[0] for m in mail.outbox) == ["qs_dangwei@mh.gov.example", "qs_jiwei@mh.gov.example",
                                                    "yjb@mh.gov.example"]
    assert Notification.objects.count() == 3


def test_the_remind_command(users, clue_due_after_national_day, capsys):
    from django.core.management import call_command

    call_command("remind", "--date", "2026-10-09")
    assert "事项 1 个，新发提醒 1 份" in capsys.readouterr().out


def test_pages(login, clue_due_after_national_day):
    assert "筛选线索" in login("yjb").get("/oversight/my-work/").content.decode()
    assert login("yjb").get("/oversight/board/").status_code == 200
    assert login("lianluo").get("/oversight/board/").status_code == 403
    send_reminders(today=D("2026-10-09"))
    page = login("yjb").get("/").content.decode()
    assert "条未读" in page
    n = Notification.objects.get()
    login("yjb").post(f"/oversight/messages/{n.pk}/read/")
    n.refresh_from_db()
    assert n.read_at is not None
    assert login("shuji").post(f"/oversight/messages/{n.pk}/read/").status_code == 302


def test_no_approval_is_asked_for_before_the_verification(open_case, users, login):
    """第十六条: 警示诫勉和责令纠错对象应当在了解、初核或调查后予以审定 — until a verification is recorded the
    approver's 我的待办 (page and API), the board and the reminders hold no 审批; the proposer's holds 待核查."""
    import json

    from django.test import Client

    from yujing.api.services import create_token
    from yujing.cases import services as cs

    admonition = open_case("admonition", "MH0002", on="2026-10-09")
    correction = open_case("correction", "MH0003", on="2026-10-09")
    unit_case = open_case("correction", "MH0007", on="2026-10-09")  # the township's own (第十八条)
    today = D("2026-10-10")

    def work(username):
        return [(r.item.kind, r.item.label, r.item.title.split()[0], r.item.article)
                for r in selectors.my_work(user=users[username], today=today)]

    # the proposer's: the county office for the county's cases, the township's discipline body for its own
    assert sorted(work("yjb")) == sorted(("verification", "待核查", c.number, "第十六条") for c in (admonition, correction))
    assert work("qs_jiwei") == [("verification", "待核查", unit_case.number, "第十六条")]
    for approver in ("shuji", "changwei", "qs_dangwei"):
        assert work(approver) == []
    _, token = create_token(user=users["shuji"], name="对接", by=users["shuji"])
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert json.loads(api.get("/api/my-work").content)["items"] == []
    assert "没有待办事项" in login("shuji").get("/oversight/my-work/").content.decode()
    # no approval is a time limit: the board and the reminders carry none, before or after
    assert not [r for u in selectors.board(user=users["shuji"], today=today) for r in u.rows]
    assert send_reminders(today=today).items == 0

    cs.record_verification(case=correction, by=users["yjb"], today=today, method="investigation", done_on=today,
                           findings="调查属实", conclusion="true")
    cs.record_verification(case=unit_case, by=users["qs_jiwei"], today=today, method="preliminary", done_on=today,
                           findings="初核属实", conclusion="true")
    assert work("shuji") == work("changwei") == [("approval", "审批预警建议", correction.number, "第十七条")]
    assert work("qs_dangwei") == [("approval", "审批预警建议", unit_case.number, "第十七条")]
    assert [k for k, *_ in work("yjb")] == ["verification"] and work("yjb")[0][2] == admonition.number
    items = json.loads(api.get("/api/my-work").content)["items"]
    assert [(i["kind"], i["key"]) for i in items] == [("approval", f"case:{correction.pk}:approval")]


def test_a_verifiable_clue_waits_for_its_verification_too(open_case, users):
    """第三十三条(三): an inquiry on a clue marked verifiable is verified before it is approved."""
    case = open_case("inquiry", "MH0003", on="2026-10-09", verifiable=True)
    today = D("2026-10-10")
    assert [(r.item.kind, r.item.article) for r in selectors.my_work(user=users["yjb"], today=today)] == [
        ("verification", "第三十三条(三)")]
    assert selectors.my_work(user=users["fushuji"], today=today) == []
    from yujing.cases import services as cs

    cs.record_verification(case=case, by=users["yjb"], today=today, method="inquiry", done_on=today,
                           findings="了解", conclusion="untrue")
    assert [r.item.kind for r in selectors.my_work(user=users["fushuji"], today=today)] == ["approval"]
@pytest.mark.parametrize(
    ("left", "grade"),
    [(4, "upcoming"), (3, "due_soon"), (0, "due_soon"), (-1, "late"), (-9, "late"), (-10, "severely_late"),
     (-11, "severely_late")],
)
def test_grade_thresholds_include_the_number(left, grade):
    """以上/以下/以内 include the number (民法典第一千二百五十九条): the policy's 3 and 10 are inside."""
    from datetime import timedelta

    from yujing.oversight.deadlines import Item

    today = D("2026-11-20")
    item = Item(key="k", kind="screening", label="筛选线索", title="t", url="/", unit_id=1, unit_path="/1/",
                unit_name="u", roles=(), due=today + timedelta(days=left))
    assert item.grade(today).value == grade


@pytest.mark.parametrize(("day", "reminded"), [("2026-09-30", False), ("2026-10-01", True)])
def test_reminders_start_7_days_before_counting_the_7th(users, login, clue_due_after_national_day, day, reminded):
    """提醒提前7日开始: a limit due 10-08 is in the digest from 10-01 (7 days before), not on 09-30."""
    _emails(users)
    send_reminders(today=D(day))
    assert any("期限 2026年10月8日（还有 7 日）" in m.body for m in mail.outbox) is reminded
    if reminded:  # the same digest in the application's messages page
        page = login("yjb").get("/oversight/messages/").content.decode()
        assert "，期限 2026年10月8日，" in page and "2026-10-08" not in page
