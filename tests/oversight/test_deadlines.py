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
    [("2026-10-04", None), ("2026-10-05", "due_soon"), ("2026-10-08", "due_soon"), ("2026-10-09", "late"),
     ("2026-10-18", "late"), ("2026-10-19", "severely_late")],
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
