"""我的待办 and the deadline board are shown whole on one page (no paging), so the browser sorts and filters
them (static/yujing/tablesort.js): a header is a button that sorts, and says so to a screen reader; the
filter keeps the rows holding every word typed and says how many."""

from __future__ import annotations

from .conftest import text

DAYS = "() => Array.from(document.querySelectorAll('#my-work tbody tr:not([hidden])')).map(r => r.cells[1].dataset.sortValue)"


def test_my_work_sorts_and_filters_in_the_page(browse):
    user = browse("yjb")
    page = user.page
    user.click("我的待办")
    rows = page.locator("#my-work tbody tr")
    total = rows.count()
    days = [int(d) for d in page.evaluate(DAYS)]
    # the demo county on the journeys' day: four clues to screen and one rectification report to chase
    assert (total, sorted(days)) == (5, [-10, 6, 10, 12, 13])

    remaining = page.locator("#my-work th", has_text="剩余")
    remaining.get_by_role("button").click()
    assert remaining.get_attribute("aria-sort") == "ascending"
    assert [int(d) for d in page.evaluate(DAYS)] == sorted(days)
    assert text(page.locator("[data-sort-status]")) == "已按“剩余”升序排列"
    remaining.get_by_role("button").press("Enter")  # the header is a button: the keyboard sorts too
    assert remaining.get_attribute("aria-sort") == "descending"
    assert [int(d) for d in page.evaluate(DAYS)] == sorted(days, reverse=True)
    user.audit(again=True)

    subject = text(rows.first.locator("td").nth(4))
    label = text(rows.first.locator("td").nth(3))
    page.get_by_label("筛选").fill(f"{label} {subject}")
    visible = page.locator("#my-work tbody tr:not([hidden])")
    assert (label, subject) == ("筛选线索", "MH-XS2026-0005 反映其违规经营砂石场")  # the most days left, first
    assert visible.count() == 1 and text(visible.first.locator("td").nth(4)) == subject
    assert text(page.locator("#list-filter-count")) == "显示 1 / 5 项"
    page.get_by_label("筛选").fill("")
    assert visible.count() == total and text(page.locator("#list-filter-count")) == ""
    user.shot("my-work", docs=True)


def test_the_deadline_board_sorts_each_unit_and_filters_across_them(browse):
    user = browse("yjb")
    page = user.page
    user.goto("/oversight/board/")
    tables = page.locator("table.board-table")
    assert tables.count() == 1  # only the county office has a late or nearly due item today
    first = tables.first
    first.locator("th", has_text="期限").get_by_role("button").click()
    assert first.locator("th", has_text="期限").get_attribute("aria-sort") == "ascending"
    dates = [text(r.locator("td").first) for r in first.locator("tbody tr").all()]
    assert dates == ["2026-11-18（逾期 10 日）"]
    # 逾期10日以上 includes the 10th day (民法典第一千二百五十九条)
    assert text(first.locator("tbody tr").first.locator("td").nth(1)) == "⚠ 严重逾期"
    page.get_by_label("筛选").fill("不会出现的文字")
    assert page.locator("table.board-table tbody tr:not([hidden])").count() == 0
    assert text(page.locator("#list-filter-count")) == "显示 0 / 1 项"
    user.audit(again=True)
