"""The case pages: the ledger, the case file with its next step and the forms a role may use."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yujing.cases import services as cs
from yujing.cases.models import WarningCase


def post(client, case, name, data):
    return client.post(f"/cases/{case.pk}/act/{name}/", {f"{name}-{k}": v for k, v in data.items()})


@pytest.fixture
def today():
    return timezone.localdate().isoformat()


def test_admonition_by_letter_through_the_pages(login, open_case, today, users):
    case = open_case("admonition", "MH0001", on=today)
    office, secretary, deputy = login("yjb"), login("shuji"), login("fushuji")
    page = office.get(f"/cases/{case.pk}/").content.decode()
    assert "下一步" in page and "了解、初核或调查" in page and "由县纪委书记、县纪委常委" in page
    approve_form = f'action="/cases/{case.pk}/act/approve/"'
    assert approve_form not in page
    # before the verification the secretary is offered no approval, and told why (第十六条)
    waiting = secretary.get(f"/cases/{case.pk}/").content.decode()
    assert approve_form not in waiting and "待核查：警示诫勉对象须在了解、初核或调查后审定（第十六条）" in waiting
    assert post(secretary, case, "approve", {"opinion": "同意"}).status_code == 403
    assert post(deputy, case, "approve", {"opinion": "同意"}).status_code == 403

    steps = [
        (office, "verify", {"method": "preliminary", "done_on": today, "findings": "属实", "conclusion": "true"}),
        (secretary, "approve", {"opinion": "同意"}),
        (office, "write_register", {"content": "十日内书面报告整改情况"}),
        (secretary, "approve_register", {}),
        (office, "issue_letter", {"kind": "admonition_notice", "issued_on": today, "content": "指出问题、提出要求"}),
        (office, "record_receipt", {"received_on": today}),
        (office, "record_response", {"received_on": today, "content": "已整改"}),
        (deputy, "lift", {"basis": "整改到位"}),
    ]
    for client, name, data in steps:
        if name == "approve":  # verified: now the approval is offered, to the secretary only
            assert approve_form in secretary.get(f"/cases/{case.pk}/").content.decode()
            assert approve_form not in deputy.get(f"/cases/{case.pk}/").content.decode()
        response = post(client, case, name, data)
        assert response.status_code == 302, (name, response.content.decode()[:3000])
    case.refresh_from_db()
    assert case.status == "lifted"
    page = office.get(f"/cases/{case.pk}/").content.decode()
    for title in ("提出预警建议", "初核", "审批：批准", "预警工作登记表", "发出警示诫勉通知书", "送达", "收到书面答复或整改报告", "解除预警"):
        assert title in page


def test_a_refused_step_keeps_what_was_typed(login, approved, today):
    case = approved("admonition", "MH0001", on=today, approve_on=today)
    response = post(login("yjb"), case, "plan_talk", {"outline": "我写的提纲", "other_talkers": "", "place": "谈话室",
                                                      "scheduled_at": f"{today}T09:00"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "我写的提纲" in page and "谈话室" in page


def test_restriction_query_and_notices_for_the_departments(login, approved, today, users):
    case = approved("correction", "MH0002", on=today, approve_on=today)
    office = users["yjb"]
    day = timezone.localdate()
    cs.report_to_chief(case=case, by=office, today=day, reported_on=day)
    cs.write_register(case=case, by=office, today=day, content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=day)
    cs.issue_letter(case=case, by=office, today=day, kind="correction_notice", issued_on=day, content="纠正")
    cs.record_receipt(case=case, by=office, today=day, received_on=day)
    cs.send_notice(case=case, by=office, today=day, recipient="organization_dept", sent_on=day, content="通报纠错情况")
    org = login("zuzhibu")
    page = org.get("/cases/restrictions/", {"q": case.target.code}).content.decode()
    assert "受限" in page and "责令纠错" in page and "不受限" not in page
    other = org.get("/cases/restrictions/", {"q": "MH0003"}).content.decode()
    assert "不受限" in other
    assert "通报纠错情况" in org.get("/cases/notices/").content.decode()
    assert "通报纠错情况" not in login("renshe").get("/cases/notices/").content.decode()
    assert login("lianluo").get("/cases/restrictions/").status_code == 403
    # the party chief sees the correction reported to them, and no other case
    chief = login("xianwei")
    assert case.number in chief.get("/cases/reports/").content.decode()
    assert chief.get(f"/cases/{case.pk}/").status_code == 200
    other_case = approved("inquiry", "MH0003", on=today, approve_on=today, approver="fushuji")
    assert chief.get(f"/cases/{other_case.pk}/").status_code == 404
    assert chief.post(f"/cases/reports/{case.chiefreports.get().pk}/seen/").status_code == 302
    assert case.chiefreports.get().seen_at is not None
    # the cadre page shows the restriction to the organisation department
    assert "今天受限" in org.get(f"/cadres/{case.target.pk}/").content.decode()


def test_ledger_is_scoped_and_lists_each_case_once(login, open_case, today):
    county = open_case("inquiry", "MH0003", on=today)
    unit = open_case("inquiry", "MH0007", on=today)
    assert [c.pk for c in login("yjb").get("/cases/").context["page"].object_list] == [unit.pk, county.pk]
    assert [c.pk for c in login("qs_jiwei").get("/cases/").context["page"].object_list] == [unit.pk]
    assert login("renshe").get("/cases/").status_code == 403
    assert login("qs_jiwei").get(f"/cases/{county.pk}/").status_code == 404


def test_case_page_query_count_does_not_grow_with_history(login, open_case, today, users):
    short = open_case("inquiry", "MH0003", on=today)
    long = open_case("inquiry", "MH0004", on=today)
    for case, times in ((short, 1), (long, 15)):
        for _ in range(times):
            cs.record_verification(case=case, by=users["yjb"], today=timezone.localdate(), method="inquiry",
                                   done_on=timezone.localdate(), findings="了解", conclusion="untrue")
    client = login("yjb")
    counts = []
    for case in (short, long):
        client.get(f"/cases/{case.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/cases/{case.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], "\n".join(q["sql"][:150] for q in queries.captured_queries)


def test_unknown_action_is_404(login, open_case, today):
    case = open_case("inquiry", "MH0003", on=today)
    assert login("yjb").post(f"/cases/{case.pk}/act/fly/").status_code == 404
    assert WarningCase.objects.get(pk=case.pk).status == "proposed"


def test_batch_restriction_query_from_an_uploaded_list(login, approved, users, today):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook, load_workbook

    case = approved("correction", "MH0002", on=today, approve_on=today)
    office, day = users["yjb"], timezone.localdate()
    cs.report_to_chief(case=case, by=office, today=day, reported_on=day)
    cs.write_register(case=case, by=office, today=day, content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=day)
    cs.issue_letter(case=case, by=office, today=day, kind="correction_notice", issued_on=day, content="纠正")
    cs.record_receipt(case=case, by=office, today=day, received_on=day)
    book = Workbook()
    book.active.append(["序号", "姓名", "干部编号"])
    book.active.append([1, case.target.name, "MH0002"])
    book.active.append([2, "", "MH0003"])
    book.active.append([3, "查无此人", ""])
    data = io.BytesIO()
    book.save(data)
    client = login("zuzhibu")
    page = client.post("/cases/restrictions/", {"file": SimpleUploadedFile("候选人.xlsx", data.getvalue())})
    answers = page.context["answers"]
    assert [(a.row, bool(a.cadre), bool(a.restrictions)) for a in answers] == [(2, True, True), (3, True, False),
                                                                                 (4, False, False)]
    assert answers[2].found == "没有找到（或不在您的查询范围内）"
    download = client.post("/cases/restrictions/", {"file": SimpleUploadedFile("候选人.xlsx", data.getvalue()),
                                                    "download": "1"})
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert rows[2][1:6] == ("MH0002", case.target.name, f"{case.target.unit.name}{case.target.position}", "按干部编号",
                            "受限")
    assert rows[3][5] == "不受限" and rows[4][5] == "无法判断"
    bad = client.post("/cases/restrictions/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert bad.status_code == 400 and "不是有效的 XLSX" in bad.content.decode()


def test_the_next_steps_say_talk_or_letter_only_while_both_are_open(login, approved, open_case, today, users):
    note = "（谈话预警、书面预警二者择一，第二十二至二十四条）"
    office = login("yjb")
    proposed = open_case("admonition", "MH0002", on=today)
    assert note not in office.get(f"/cases/{proposed.pk}/").content.decode()
    case = approved("admonition", "MH0001", on=today, approve_on=today)
    assert note in office.get(f"/cases/{case.pk}/").content.decode()
    case.delivery = "talk"  # a talk has been held: the letter is no longer an alternative
    case.save(update_fields=["delivery"])
    assert note not in office.get(f"/cases/{case.pk}/").content.decode()


def test_approving_a_warning_on_a_case_clue_is_refused_on_the_page(login, open_case, today, users):
    from datetime import date

    from yujing.clues.models import Clue

    case = open_case("admonition", "MH0001", on=today)
    cs.record_verification(case=case, by=users["yjb"], today=date.fromisoformat(today), method="preliminary",
                           done_on=date.fromisoformat(today), findings="初核属实", conclusion="true")
    Clue.objects.filter(cases=case).update(status=Clue.Status.CASE_CLUE)  # a state no service makes: forged
    refused = post(login("shuji"), case, "approve", {"opinion": "同意"})
    assert refused.status_code == 400
    assert "属于案件线索的不能实施预警（第十四条）" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == "proposed"
