"""密级 follows a case into every record derived from it (issue 18 hole 5): the integrity file, notices,
restrictions (page, API, XLSX), the rows behind a report figure. A user cleared below the case's level sees
neither its facts nor which case it is; a user cleared for it sees it as before."""

import io

import pytest
from openpyxl import load_workbook

from tests.dates import D
from yujing.audit.models import Event
from yujing.cadres.models import IntegrityRecord
from yujing.cases import selectors
from yujing.cases import services as cs
from yujing.orgs.secrecy import set_secrecy

FACTS = "群众反映的具体问题。"  # the case's facts (the clue's detail), written into the integrity file


@pytest.fixture
def notified(approved, users):
    """A 责令纠错 of a county-managed cadre (MH0002), notified to the three bodies, still in force."""
    office = users["yjb"]
    case = approved("correction", "MH0002", on="2026-03-02", approve_on="2026-03-02")
    cs.report_to_chief(case=case, by=office, today=D("2026-03-03"), reported_on=D("2026-03-03"))
    cs.write_register(case=case, by=office, today=D("2026-03-03"), content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-03-03"))
    cs.issue_letter(case=case, by=office, today=D("2026-03-04"), kind="correction_notice", issued_on=D("2026-03-04"),
                    content="纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-03-05"), received_on=D("2026-03-05"))
    for recipient in ("organization_dept", "personnel_dept", "unit_party_org"):
        cs.send_notice(case=case, by=office, today=D("2026-03-06"), recipient=recipient, sent_on=D("2026-03-06"),
                       content="通报责令纠错情况")
    case.refresh_from_db()
    assert case.facts == FACTS
    return case


def _integrity_card(page: str) -> str:
    return page.split("个人廉政档案", 1)[1]


def test_the_integrity_file_leaves_out_an_entry_of_a_case_above_the_readers_clearance(notified, users, login):
    case, cadre = notified, notified.target
    title = f"责令纠错（{case.number}）"
    entry = IntegrityRecord.objects.get(cadre=cadre)
    assert (entry.title, entry.content, entry.secrecy) == (title, FACTS, "normal")
    page = _integrity_card(login("zuzhibu").get(f"/cadres/{cadre.pk}/").content.decode())
    assert title in page and FACTS in page

    set_secrecy(obj=case, level="secret", reason="县纪委提级管理", by=users["yjb"])
    entry.refresh_from_db()
    assert entry.secrecy == "secret"  # the entry keeps its case's level (it outlives a purged case)
    event = Event.objects.get(action="cases.case.secrecy_set")
    assert event.data == {"from": "normal", "to": "secret", "reason": "县纪委提级管理", "integrity_records": [entry.pk]}

    # 组织部门 (cleared 一般): neither the entry nor the case, as the case list leaves it out
    response = login("zuzhibu").get(f"/cadres/{cadre.pk}/")
    assert response.status_code == 200
    page = _integrity_card(response.content.decode())
    assert title not in page and FACTS not in page and case.number not in page
    assert "档案中暂无记录。预警结果按规定存入档案后在此显示。" in page
    # 预警办 (cleared 机密): both
    page = _integrity_card(login("yjb").get(f"/cadres/{cadre.pk}/").content.decode())
    assert title in page and FACTS in page and f'href="/cases/{case.pk}/"' in page


def test_an_entry_written_while_the_case_is_secret_is_secret(approved, users, login):
    case = approved("correction", "MH0002", on="2026-03-02", approve_on="2026-03-02")
    set_secrecy(obj=case, level="secret", reason="涉密", by=users["yjb"])
    office = users["yjb"]
    cs.report_to_chief(case=case, by=office, today=D("2026-03-03"), reported_on=D("2026-03-03"))
    cs.write_register(case=case, by=office, today=D("2026-03-03"), content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-03-03"))
    cs.issue_letter(case=case, by=office, today=D("2026-03-04"), kind="correction_notice", issued_on=D("2026-03-04"),
                    content="纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-03-05"), received_on=D("2026-03-05"))
    cs.send_notice(case=case, by=office, today=D("2026-03-06"), recipient="organization_dept",
                   sent_on=D("2026-03-06"), content="通报责令纠错情况")
    assert list(IntegrityRecord.objects.filter(cadre=case.target).values_list("title", "secrecy")) == [
        (f"责令纠错（{case.number}）", "secret")]
    assert "责令纠错（" not in _integrity_card(login("zuzhibu").get(f"/cadres/{case.target_id}/").content.decode())


def test_notices_of_a_case_above_the_recipients_clearance_are_not_shown(notified, users, login):
    case = notified
    assert [n.case_id for n in selectors.notices_for(user=users["zuzhibu"])] == [case.pk]
    assert [n.case_id for n in selectors.notices_for(user=users["qs_dangwei"])] == [case.pk]

    set_secrecy(obj=case, level="confidential", reason="涉密", by=users["yjb"])
    # 秘密: the township's party committee (cleared 秘密) still reads its notice, the department (一般) does not
    assert [n.case_id for n in selectors.notices_for(user=users["zuzhibu"])] == []
    assert [n.case_id for n in selectors.notices_for(user=users["qs_dangwei"])] == [case.pk]
    page = login("zuzhibu").get("/cases/notices/").content.decode()
    assert case.number not in page and "通报责令纠错情况" not in page
    assert login("zuzhibu").get("/api/notices").json()["items"] == []
    body = login("qs_dangwei").get("/api/notices").json()["items"]
    assert [(n["case_number"], n["content"]) for n in body] == [(case.number, "通报责令纠错情况")]

    set_secrecy(obj=case, level="secret", reason="提级", by=users["yjb"])
    assert [n.case_id for n in selectors.notices_for(user=users["qs_dangwei"])] == []
    assert login("qs_dangwei").get("/api/notices").json()["items"] == []
    assert case.number not in login("qs_dangwei").get("/cases/notices/").content.decode()


def test_a_restriction_of_a_secret_case_stays_but_does_not_name_the_case(notified, users, login):
    case, cadre = notified, notified.target
    page = login("zuzhibu").get(f"/cadres/{cadre.pk}/").content.decode()
    assert f"责令纠错（{case.number}，自 2026年3月5日 起）" in page
    set_secrecy(obj=case, level="secret", reason="提级", by=users["yjb"])

    # the department still learns the cadre is restricted, and until what — not which case, nor its measure
    page = login("zuzhibu").get(f"/cadres/{cadre.pk}/").content.decode()
    assert "⚠ 今天受限" in page and "涉密事项（自 2026年3月5日 起）" in page
    assert case.number not in page and "责令纠错" not in page
    page = login("zuzhibu").get("/cases/restrictions/", {"q": cadre.code}).content.decode()
    assert "涉密事项（自 2026年3月5日 起）" in page and "责令纠错（自" not in page  # the rule's text names measures
    body = login("zuzhibu").post("/api/restrictions", {"cadre_ids": [cadre.pk]}, content_type="application/json").json()
    assert body[0]["restricted"] is True
    assert [(r["case_id"], r["measure"], r["since"]) for r in body[0]["restrictions"]] == [(None, "", "2026-03-05")]

    from yujing.cases import batch

    answers = batch.answer(user=users["zuzhibu"], candidates=[(3, cadre.code, cadre.name)], today=D("2026-03-10"))
    book = load_workbook(io.BytesIO(batch.answers_xlsx(answers, D("2026-03-10")).read()))
    row = [c.value for c in book.active[3]]
    assert row[5:7] == ["受限", "涉密事项"]

    # the office (cleared 机密) reads it in full
    page = login("yjb").get(f"/cadres/{cadre.pk}/").content.decode()
    assert f"责令纠错（{case.number}，自 2026年3月5日 起）" in page
    body = login("yjb").post("/api/restrictions", {"cadre_ids": [cadre.pk]}, content_type="application/json").json()
    assert [(r["case_id"], r["measure"]) for r in body[0]["restrictions"]] == [(case.pk, "correction")]
    answers = batch.answer(user=users["yjb"], candidates=[(3, cadre.code, cadre.name)], today=D("2026-03-10"))
    book = load_workbook(io.BytesIO(batch.answers_xlsx(answers, D("2026-03-10")).read()))
    assert [c.value for c in book.active[3]][6] == f"责令纠错（{case.number}）"


def test_the_rows_behind_a_figure_leave_out_a_case_above_the_readers_clearance(open_case, users, login, demo):
    case = open_case("admonition", "MH0007", on="2026-09-02")  # a township-managed cadre: 青石镇 handles it
    township = demo["MH-QS"]
    url = f"/oversight/reports/{township.pk}/2026/3/figure/cases/"
    label = f"{case.number} {case.target.name} {case.get_measure_display()}"
    page = login("qs_jiwei").get(url).content.decode()
    assert label in page and "不列出" not in page

    set_secrecy(obj=case, level="secret", reason="县纪委提级管理", by=users["yjb"])
    response = login("qs_jiwei").get(url)  # the township's discipline body: cleared 秘密
    assert response.status_code == 200
    page = response.content.decode()
    assert case.number not in page and case.target.name not in page
    assert "另有 1 项超出您可知悉的范围（密级或职责所限），不列出。" in page
    # the clue behind it is still 一般: it is listed under its own figure
    assert case.clues.get().number in login("qs_jiwei").get(
        f"/oversight/reports/{township.pk}/2026/3/figure/clues/").content.decode()
    page = login("yjb").get(url).content.decode()  # the county office: cleared 机密
    assert label in page and "不列出" not in page


def test_digests_and_the_deadline_pages_leave_out_a_case_above_the_readers_clearance(approved, users, login):
    from yujing.oversight.models import Notification
    from yujing.oversight.reminders import send_reminders

    case = approved("admonition", "MH0007", on="2026-09-02", approve_on="2026-09-04", approver="qs_dangwei")
    line = f"【严重逾期】组织实施：{case.number} {case.target.name}（警示诫勉），期限 2026年9月11日（逾期 49 日），明湖县青石镇。"
    set_secrecy(obj=case, level="secret", reason="县纪委提级管理", by=users["yjb"])
    send_reminders(today=D("2026-10-30"))
    told = {n.user.username: n.body for n in Notification.objects.filter(day=D("2026-10-30"))}
    # the township's bodies (cleared 秘密) are told only of their report; the county office (机密) of the case
    assert case.number not in told["qs_jiwei"] and "qs_dangwei" not in told
    assert line in told["yjb"]
    assert [i["title"] for i in Notification.objects.get(user=users["qs_jiwei"]).items] == [
        "2026年第3季度预警工作统计报表"]
    for username in ("qs_jiwei", "qs_dangwei"):
        for url in ("/oversight/my-work/", "/oversight/board/", "/api/my-work", "/api/deadlines"):
            response = login(username).get(url)
            assert response.status_code == 200 and case.number not in response.content.decode()
    assert case.number in login("yjb").get("/api/deadlines").content.decode()


def test_a_party_committee_reads_no_clue_behind_a_figure(open_case, users, login, demo):
    """The township's party committee reads its unit's report, but not raw clues (a clue may be about its own
    leader): the figure counts the clue, the drill-down does not name it; the discipline body does."""
    clue = open_case("admonition", "MH0007", on="2026-09-02").clues.get()
    url = f"/oversight/reports/{demo['MH-QS'].pk}/2026/3/figure/clues/"
    page = login("qs_dangwei").get(url).content.decode()
    assert clue.number not in page and clue.summary not in page
    assert "另有 1 项超出您可知悉的范围（密级或职责所限），不列出。" in page
    page = login("qs_jiwei").get(url).content.decode()
    assert f"{clue.number} {clue.summary}" in page and "不列出" not in page
