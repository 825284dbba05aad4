"""Two helpers of the pages, in the browser: the due date a typed date will set, shown before the form is
saved (policy/previews.py through htmx), and the spinner of a long export that fetches the file without
freezing the page (static/yujing/busy.js).

The clock is the real one (the pages use ``timezone.localdate()``): the clue's date is fixed in the past
and checked against a date worked out by hand; the case's dates are computed from today with the
project's own period arithmetic.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from yujing.core.dates import cn_date

from .conftest import demo_users, text


def _notice_issued(users, on):
    """A county correction (责令纠错) whose notice went out on ``on``, waiting for its 送达 (第三十条)."""
    from yujing.cadres.models import Cadre
    from yujing.cases import services as cs
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned, Outcome, Proposal

    office, secretary = users["yjb"], users["shuji"]
    cadre = Cadre.objects.get(code="MH0002")
    clue = clue_services.register_clue(by=office, today=on, received_on=on, channel="petition", summary="反映问题",
                                       detail="群众反映的具体问题。", concerned=[Concerned(cadre_id=cadre.pk)])
    clue_services.screen_clue(clue=clue, by=office, today=on, outcome=Outcome.HANDLE, reason="本级处理",
                              verifiable=False, proposals=[Proposal(cadre.pk, "correction")])
    case = clue.cases.get()
    cs.record_verification(case=case, by=office, today=on, method="preliminary", done_on=on, findings="初核属实",
                           conclusion="true")
    cs.decide(case=case, by=secretary, today=on, approve=True, opinion="同意")
    cs.report_to_chief(case=case, by=office, today=on, reported_on=on, note="报告")
    cs.write_register(case=case, by=office, today=on, content="一个月内纠正")
    cs.approve_register(case=case, by=secretary, today=on)
    cs.issue_letter(case=case, by=office, today=on, kind="correction_notice", issued_on=on, content="责令纠正")
    case.refresh_from_db()
    return case


def test_typing_a_date_shows_the_due_date_before_saving(browse):
    from yujing.cases import services as cs
    from yujing.clues.models import Clue

    today = timezone.localdate()
    users = demo_users()
    office = browse("yjb")
    page = office.page

    # the clue registration form: 收到日期 → the screening time limit (第十四条), worked out by hand:
    # 2026-09-02 + 15 days = 09-17, a Thursday
    office.goto("/clues/new/")
    clues = Clue.objects.count()
    received = page.get_by_label("收到日期")
    assert received.get_attribute("type") == "date"
    received.fill("2026-09-02")
    preview = page.locator("#id_received_on_due")
    expect(preview.locator("[data-due='2026-09-17']")).to_be_visible()
    assert preview.get_attribute("aria-live") == "polite"
    assert text(preview) == "筛选期限：2026年9月17日（第十四条，自收到之日起15日）"
    # 09-20 + 15 days = 10-05, in the National Day holiday: the preview says it rolled to 10-08
    received.fill("2026-09-20")
    expect(preview.locator("[data-due='2026-10-08']")).to_be_visible()
    assert "届满日 2026年10月5日为休息日，顺延" in text(preview)
    received.fill((today + timedelta(days=1)).isoformat())
    expect(preview).to_have_text("日期不能晚于今天")
    assert Clue.objects.count() == clues  # nothing was saved

    # the case page: 送达 starts the rectification month (第三十条); its date and the cap show as it is typed
    issued = today - timedelta(days=6)
    case = _notice_issued(users, issued)
    office.goto(f"/cases/{case.pk}/")
    panel = office.action("记录送达")
    on = today - timedelta(days=2)
    due, cap = cs.response_due(case, on).date, cs.extension_cap(case, start=on)
    field = panel.get_by_label("送达日期")
    field.fill(on.isoformat())
    preview = panel.locator("#id_record_receipt-received_on_due")
    # (the preview of today's date, shown on load, may name the same due date: wait for the cap as well)
    lines = preview.locator("div")
    expect(lines.nth(1)).to_have_text(f"延期上限：{cn_date(cap)}（第三十条，延长整改期限累计不得超过1个月）")
    expect(lines.nth(0)).to_contain_text(f"整改报告期限：{cn_date(due)}（第三十条，自送达之日起1个月）")
    case.refresh_from_db()
    assert (case.status, case.response_start, case.response_due) == ("implemented", None, None)
    office.shot("due-date-preview", docs=True)

    # a date before the notice went out: the service's own words, nothing written
    field.fill((issued - timedelta(days=1)).isoformat())
    expect(preview).to_have_text(f"日期不能早于发出日期（{cn_date(issued)}）")

    # saved, the case has exactly the date the preview showed
    field.fill(on.isoformat())
    expect(lines.nth(1)).to_have_text(f"延期上限：{cn_date(cap)}（第三十条，延长整改期限累计不得超过1个月）")
    office.press("提交", within=panel)
    case.refresh_from_db()
    assert (case.status, case.response_due) == ("awaiting_response", due)


def test_an_export_shows_a_spinner_then_saves_the_file(browse):
    office = browse("yjb")
    page = office.page
    office.goto("/cases/")
    link = page.get_by_role("link", name="导出台帐（XLSX）")
    status = page.get_by_role("status").filter(has_text="正在导出台帐，请稍候…")

    # the server is held back until the spinner has been seen
    held = []
    page.route("**/documents/ledger.xlsx*", lambda route: held.append(route))
    with page.expect_download() as info:
        link.click()
        expect(status).to_be_visible()
        expect(status.locator(".spinner-border")).to_be_attached()
        expect(link).to_have_attribute("aria-disabled", "true")
        link.dispatch_event("click")  # a second click while busy sends nothing
        office.shot("export-busy")
        assert len(held) == 1
        held[0].continue_()
    download = info.value
    assert download.suggested_filename == "预警台帐.xlsx"
    book = load_workbook(io.BytesIO(download.path().read_bytes()))
    assert str(book.worksheets[0]["A1"].value).startswith("预警工作台帐")
    expect(status).to_have_count(0)
    expect(link).not_to_have_attribute("aria-disabled", "true")
    page.unroute("**/documents/ledger.xlsx*")

    # a refusal shows its reason next to the button; the page stays usable
    page.route("**/documents/ledger.xlsx*", lambda route: route.fulfill(
        status=403, content_type="text/html; charset=utf-8",
        body="<html><body><main><h1>您没有进行此操作的权限</h1></main></body></html>"))
    with office.expecting(403):
        link.click()
        alert = page.get_by_role("alert").filter(has_text="未能生成文件")
        expect(alert).to_have_text("未能生成文件（403）：您没有进行此操作的权限")
    expect(link).not_to_have_attribute("aria-disabled", "true")
    page.unroute("**/documents/ledger.xlsx*")


def test_the_restriction_batch_download_posts_the_form_in_the_background(browse):
    book = Workbook()
    book.active.append(["干部编号", "姓名"])
    book.active.append(["MH0003", ""])
    data = io.BytesIO()
    book.save(data)

    org = browse("zuzhibu")
    page = org.page
    org.goto("/cases/restrictions/")
    page.locator("summary", has_text="批量查询").click()
    page.get_by_label("候选人名单（XLSX）").set_input_files(
        files=[{"name": "候选人.xlsx", "mimeType": "application/octet-stream", "buffer": data.getvalue()}])
    with page.expect_download() as info:
        page.get_by_role("button", name="查询并下载结果（XLSX）").click()
    download = info.value
    assert download.suggested_filename == "限制查询结果.xlsx"
    rows = [[c for c in row if c is not None] for row in load_workbook(io.BytesIO(download.path().read_bytes())).worksheets[0].iter_rows(
        values_only=True)]
    assert any("MH0003" in " ".join(map(str, row)) for row in rows), rows
    assert page.url.endswith("/cases/restrictions/")  # the page stayed; its button is back
    expect(page.get_by_role("button", name="查询并下载结果（XLSX）")).to_be_enabled()
