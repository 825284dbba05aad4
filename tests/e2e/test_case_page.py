"""The ledger sorted by its column headers, and the case page: its timeline on screen and on paper (A4)."""

import io
import re

from pypdf import PdfReader

from yujing.cases import selectors
from yujing.cases.models import WarningCase


def test_sort_the_ledger_by_clicking_a_header(browse):
    user = browse("yjb")
    user.goto("/cases/")
    page = user.page
    numbers = list(WarningCase.objects.order_by("number").values_list("number", flat=True))  # as the database sorts
    assert len(numbers) >= 2
    # the default order (newest proposal first) is shown on its column
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    user.click("编号", exact=False)
    assert "sort=number" in page.url
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "ascending" and "编号" in header.inner_text()
    assert page.locator("tbody tr").first.locator("td").first.inner_text() == numbers[0]
    user.click("编号", exact=False)  # a second click turns it round
    assert "sort=-number" in page.url
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert page.locator("tbody tr").first.locator("td").first.inner_text() == numbers[-1]
    user.shot("ledger-sorted", docs=True)
    # a filter, then a header: the filter stays
    page.get_by_label("措施").select_option("correction")
    user.press("筛选")
    user.click("批准", exact=False)
    assert "measure=correction" in page.url and "sort=approved" in page.url
    assert page.get_by_label("措施").input_value() == "correction"


def test_case_page_timeline_and_print(browse):
    user = browse("yjb")
    case = WarningCase.objects.get(status="awaiting_response", measure="correction")  # the demo's correction
    user.goto(f"/cases/{case.pk}/")
    page = user.page

    # the timeline: one entry per step, each with its date, kind (as text) and article; the latest marked
    entries = page.locator(".timeline > .tl-entry")
    full = WarningCase.objects.prefetch_related(*selectors.STEP_RELATIONS, "talks__chief").get(pk=case.pk)
    steps = selectors.timeline(full)
    assert entries.count() == len(steps) >= 6
    first = entries.first
    assert first.locator("time").get_attribute("datetime") == steps[0].on.isoformat()
    assert first.locator(".tl-kind").inner_text() == "预警建议" and "第十五条" in first.inner_text()
    kinds = [entries.nth(i).locator(".tl-kind").inner_text() for i in range(entries.count())]
    assert {"审批", "文书", "通报"} <= set(kinds)
    latest = page.locator("#timeline-latest")
    assert "最新" in latest.inner_text() and steps[-1].title in latest.inner_text()
    page.get_by_role("link", name=re.compile("^" + re.escape(steps[-1].on.isoformat()))).click()
    assert page.url.endswith("#timeline-latest")

    # on paper: no navigation, breadcrumbs, forms or buttons; a printed header with the number and 密级
    page.emulate_media(media="print")
    assert page.locator(".print-header").is_visible()
    header = page.locator(".print-header").inner_text()
    assert case.number in header and f"密级：{case.get_secrecy_display()}" in header and "打印日期" in header
    for selector in ("nav.navbar", "nav[aria-label='位置']", "footer"):
        assert not page.locator(selector).is_visible(), selector
    forms, buttons = page.locator("main form"), page.locator("main button, main .btn")
    assert forms.count() > 0 and buttons.count() > 0  # they are there on screen ...
    assert not any(forms.nth(i).is_visible() for i in range(forms.count()))  # ... and not on paper
    assert not any(buttons.nth(i).is_visible() for i in range(buttons.count()))
    for text in ("预警对象审批表要素", "期限", "文书", "办理经过（一案一例）"):
        assert page.get_by_text(text, exact=True).first.is_visible(), text
    assert entries.last.is_visible()
    link = page.locator(".card a").first  # links print as plain text
    assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"
    user.shot("case-print", docs=True)

    pdf = page.pdf(format="A4", print_background=False)
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 4, len(reader.pages)
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 (210 × 297 mm) in points
    text = "".join(p.extract_text() or "" for p in reader.pages)
    assert case.number in text
    page.emulate_media(media="screen")


def test_without_libreoffice_the_docx_is_offered_and_the_reason_is_in_view(browse, monkeypatch):
    """The server and this test share a process: no soffice on the PATH for this journey."""
    from playwright.sync_api import expect

    from yujing.documents.models import Document

    monkeypatch.setattr("yujing.documents.render.shutil.which", lambda name: None)
    user = browse("yjb")
    case = WarningCase.objects.get(status="awaiting_response", measure="correction")  # the demo's correction
    user.goto(f"/cases/{case.pk}/")
    row = user.page.locator(f"#doc-correction_notice-case-{case.pk}")
    user.press("重新生成" if row.get_by_role("link", name="DOCX").count() else "生成", within=row)
    document = Document.objects.filter(form="correction_notice", subject=f"case:{case.pk}").latest("version")
    assert user.page.url.endswith(f"/cases/{case.pk}/#doc-correction_notice-case-{case.pk}")
    notice = row.locator("[data-documents-notice]")
    expect(notice).to_be_in_viewport()  # where the user is looking, not in the messages area at the top
    assert notice.inner_text() == (f"已生成责令纠错通知书第{document.version}版，文号 {document.number.text}，"
                                   "只有 DOCX。")
    reason = row.locator("[data-pdf-note]")
    expect(reason).to_be_in_viewport()
    assert reason.inner_text() == "PDF 不可用：服务器未安装 LibreOffice（DOCX 可正常下载打印）"
    assert row.get_by_role("link", name="PDF").count() == 0
    expect(row.get_by_role("link", name="DOCX")).to_have_attribute("href", f"/documents/{document.pk}/docx/")
    user.shot("documents-without-libreoffice", full_page=False)
