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
    assert total >= 3, "演示数据应有几项待办"
    days = [int(d) for d in page.evaluate(DAYS)]

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
    matching = [r for r in rows.all() if label in text(r) and subject in text(r)]
    assert visible.count() == len(matching) >= 1
    assert text(page.locator("#list-filter-count")) == f"显示 {len(matching)} / {total} 项"
    page.get_by_label("筛选").fill("")
    assert visible.count() == total and text(page.locator("#list-filter-count")) == ""
    user.shot("my-work", docs=True)


def test_the_deadline_board_sorts_each_unit_and_filters_across_them(browse):
    user = browse("yjb")
    page = user.page
    user.goto("/oversight/board/")
    tables = page.locator("table.board-table")
    assert tables.count() >= 1
    first = tables.first
    first.locator("th", has_text="期限").get_by_role("button").click()
    assert first.locator("th", has_text="期限").get_attribute("aria-sort") == "ascending"
    dates = [text(r.locator("td").first)[:10] for r in first.locator("tbody tr").all()]
    assert dates == sorted(dates)
    page.get_by_label("筛选").fill("不会出现的文字")
    assert page.locator("table.board-table tbody tr:not([hidden])").count() == 0
    assert text(page.locator("#list-filter-count")).startswith("显示 0 / ")
    user.audit(again=True)
