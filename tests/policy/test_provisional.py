"""暂定 deadlines: a limit counted into 2027, whose holiday notice is not entered yet, is marked 暂定
wherever it is shown or returned; entering the 2027 notice recounts it (第二百零三条: the last day,
2027-01-01, is 元旦, so it rolls to Monday 2027-01-04) in the notice's own transaction, audited."""

import pytest
from django.core import mail

from tests.dates import D, at
from yujing.api.services import create_token
from yujing.audit.models import Event
from yujing.cases import services as cs
from yujing.clues import services as clue_services
from yujing.clues.services import Concerned
from yujing.oversight import selectors
from yujing.oversight.reminders import send_reminders
from yujing.policy.services import enter_holiday_notice

NOTICE = "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-13\n调休上班 2027-02-28"


@pytest.fixture
def clue_into_2027(users, cadres):
    """Received 2026-12-17: 15 days end on Friday 2027-01-01, a year the calendar does not know."""
    return clue_services.register_clue(
        by=users["yjb"], today=D("2026-12-17"), received_on=D("2026-12-17"), channel="petition", summary="反映问题",
        detail="详情", concerned=[Concerned(cadre_id=cadres["MH0001"].pk)])


@pytest.fixture
def case_into_2027(approved):
    """Approved 2026-12-25: the 7 days to implement (第十七条) end on 2027-01-01."""
    return approved("inquiry", "MH0003", on="2026-12-21", approve_on="2026-12-25", approver="fushuji")


@pytest.fixture
def answer_into_2027(open_case, users):
    """An inquiry talk held 2026-12-22: the 10 days to answer (第二十八条) end on 2027-01-01."""
    case = open_case("inquiry", "MH0005", on="2026-12-14")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-12-15"), approve=True)
    cs.plan_talk(case=case, by=users["yjb"], today=D("2026-12-15"), outline="提纲", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-12-22"),
                 place="谈话室")
    cs.notify_talk(case=case, by=users["yjb"], today=D("2026-12-16"), sent_on=D("2026-12-16"))
    cs.hold_talk(case=case, by=users["yjb"], today=D("2026-12-22"), held_on=D("2026-12-22"), record="记录",
                 signed_on=D("2026-12-22"))
    case.refresh_from_db()
    return case


def test_stored_limits_into_2027_are_provisional_until_the_notice_then_recounted(
        users, clue_into_2027, case_into_2027, answer_into_2027):
    clue, case, answer = clue_into_2027, case_into_2027, answer_into_2027
    case.refresh_from_db()
    assert (clue.screening_due, clue.screening_provisional) == (D("2027-01-01"), True)
    assert (case.implementation_due, case.implementation_provisional) == (D("2027-01-01"), True)
    assert (answer.response_due, answer.response_provisional) == (D("2027-01-01"), True)

    enter_holiday_notice(year=2027, title="国务院办公厅关于2027年部分节假日安排的通知", text=NOTICE, by=users["admin"])

    for obj in (clue, case, answer):
        obj.refresh_from_db()
    assert (clue.screening_due, clue.screening_provisional) == (D("2027-01-04"), False)
    assert (case.implementation_due, case.implementation_provisional) == (D("2027-01-04"), False)
    assert (answer.response_due, answer.response_provisional) == (D("2027-01-04"), False)
    event = Event.objects.get(action="policy.holiday_notice.entered")
    assert sorted((c["number"], c["field"], c["before"], c["after"], c["provisional"])
                  for c in event.data["recomputed"]) == sorted([
        (clue.number, "screening_due", "2027-01-01", "2027-01-04", False),
        (case.number, "implementation_due", "2027-01-01", "2027-01-04", False),
        (answer.number, "response_due", "2027-01-01", "2027-01-04", False),
    ])
    from yujing.audit.sentences import describe

    assert describe(event.action, event.data).startswith("录入节假日通知（2027年），重新计算期限：")
    assert f"{clue.number} 2027年1月1日→2027年1月4日" in describe(event.action, event.data)


def test_finished_steps_keep_their_limits(users, clue_into_2027):
    """A clue already screened keeps the limit it was screened against: it is history, not a running limit."""
    clue_services.screen_clue(clue=clue_into_2027, by=users["yjb"], today=D("2026-12-20"), outcome="no_action",
                              reason="不属于预警范围")
    enter_holiday_notice(year=2027, title="通知", text=NOTICE, by=users["admin"])
    clue_into_2027.refresh_from_db()
    assert (clue_into_2027.screening_due, clue_into_2027.screening_provisional) == (D("2027-01-01"), True)
    assert Event.objects.get(action="policy.holiday_notice.entered").data["recomputed"] == []


def test_a_refused_notice_recounts_nothing(users, clue_into_2027):
    from yujing.policy.holidays import NoticeError

    with pytest.raises(NoticeError):
        enter_holiday_notice(year=2027, title="通知", text="春节 2027-02-30", by=users["admin"])
    clue_into_2027.refresh_from_db()
    assert (clue_into_2027.screening_due, clue_into_2027.screening_provisional) == (D("2027-01-01"), True)


def test_board_my_work_and_reminders_mark_provisional_limits(users, clue_into_2027, case_into_2027):
    today = D("2026-12-29")
    rows = {r.item.key: r for unit in selectors.board(user=users["yjb"], today=today) for r in unit.rows}
    assert rows[f"clue:{clue_into_2027.pk}:screening"].item.provisional is True
    assert rows[f"case:{case_into_2027.pk}:implementation"].item.provisional is True
    mine = {r.item.key: r.item for r in selectors.my_work(user=users["yjb"], today=today)}
    assert mine[f"clue:{clue_into_2027.pk}:screening"].provisional is True

    users["yjb"].email = "yjb@mh.gov.example"
    users["yjb"].save(update_fields=["email"])
    send_reminders(today=today)
    body = next(m.body for m in mail.outbox if "yjb@mh.gov.example" in m.to)
    assert f"{clue_into_2027.number} 反映问题，期限 2027年1月1日（暂定）（还有 3 日）" in body

    enter_holiday_notice(year=2027, title="通知", text=NOTICE, by=users["admin"])
    rows = {r.item.key: r for unit in selectors.board(user=users["yjb"], today=D("2027-01-02")) for r in unit.rows}
    assert rows[f"clue:{clue_into_2027.pk}:screening"].item.provisional is False
    assert rows[f"clue:{clue_into_2027.pk}:screening"].item.due == D("2027-01-04")


def test_pages_show_provisional(login, clue_into_2027, case_into_2027):
    client = login("yjb")
    page = client.get(f"/cases/{case_into_2027.pk}/").content.decode()
    assert "2027年1月1日（暂定）" in page
    listing = client.get("/cases/").content.decode()
    assert "2027-01-01（暂定）" in listing
    assert "2027-01-01（暂定）" in client.get("/clues/").content.decode()
    assert "2027年1月1日（暂定）" in client.get(f"/clues/{clue_into_2027.pk}/").content.decode()
    assert "2027-01-01（暂定）" in client.get("/oversight/my-work/").content.decode()


def test_api_returns_the_provisional_flag_with_every_due_date(users, clue_into_2027, case_into_2027):
    from django.test import Client

    _, text = create_token(user=users["yjb"], name="测试", by=users["yjb"])
    api = Client(headers={"Authorization": f"Bearer {text}"})
    clue = api.get(f"/api/clues/{clue_into_2027.pk}").json()
    assert (clue["screening_due"], clue["screening_provisional"]) == ("2027-01-01", True)
    case = api.get(f"/api/cases/{case_into_2027.pk}").json()
    assert (case["implementation_due"], case["implementation_provisional"]) == ("2027-01-01", True)
    assert case["response_provisional"] is False
    assert {(s["due"], s["provisional"]) for s in case["next_steps"] if s["due"]} == {("2027-01-01", True)}
    work = {i["key"]: i for i in api.get("/api/my-work").json()["items"]}
    assert (work[f"clue:{clue_into_2027.pk}:screening"]["due"], work[f"clue:{clue_into_2027.pk}:screening"]["provisional"]) \
        == ("2027-01-01", True)


def test_is_provisional_reads_the_package_then_the_notices(users):
    from yujing.policy.loader import is_provisional

    assert [is_provisional(D("2026-12-31")), is_provisional(D("2027-01-20")), is_provisional(None)] == [False, True, False]
    enter_holiday_notice(year=2027, title="通知", text=NOTICE, by=users["admin"])
    assert is_provisional(D("2027-01-20")) is False
