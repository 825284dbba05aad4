"""The ledger sorts server-side by whitelisted columns (yujing/sorting.py): exact row orders both ways,
empty values last, unknown sorts ignored, the filters kept in the header links, aria-sort on the sorted column."""

import re
from html import unescape

import pytest

from tests.dates import D, at
from tests.listing import page_of, shown
from yujing.cadres.models import Cadre
from yujing.cases import services as cs


@pytest.fixture
def four(open_case, approved, users):
    """a, b, c, d in creation order (so in number order), with distinct targets, measures and dates; b
    was warned in a talk, c by a letter now received (so only c has an answer due)."""
    a = open_case("inquiry", "MH0003", on="2026-09-01")  # county office, still proposed
    b = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    c = approved("correction", "MH0002", on="2026-08-20", approve_on="2026-08-25")
    d = open_case("inquiry", "MH0007", on="2026-09-05")  # the township's discipline body, still proposed
    office, secretary = users["yjb"], users["shuji"]
    cs.plan_talk(case=b, by=office, today=D("2026-09-05"), outline="提纲", chief=secretary, other_talkers=["方晓春"],
                 scheduled_at=at("2026-09-09"), place="县纪委谈话室")
    cs.notify_talk(case=b, by=office, today=D("2026-09-07"), sent_on=D("2026-09-07"))
    cs.hold_talk(case=b, by=office, today=D("2026-09-09"), held_on=D("2026-09-09"), record="谈话记录",
                 signed_on=D("2026-09-09"))
    cs.report_to_chief(case=c, by=office, today=D("2026-08-25"), reported_on=D("2026-08-25"), note="报告")
    cs.write_register(case=c, by=office, today=D("2026-08-25"), content="一个月内纠正")
    cs.approve_register(case=c, by=secretary, today=D("2026-08-25"))
    cs.issue_letter(case=c, by=office, today=D("2026-08-26"), kind="correction_notice", issued_on=D("2026-08-26"),
                    content="责令纠正")
    cs.record_receipt(case=c, by=office, today=D("2026-08-27"), received_on=D("2026-08-27"))
    # names that sort the same by code point and by pinyin, so any database collation agrees
    for case, name in ((a, "陈三"), (b, "魏四"), (c, "安一"), (d, "白二")):
        target = Cadre.objects.get(pk=case.target_id)
        target.name = name
        target.save(update_fields=["name"])
    return {"a": a, "b": b, "c": c, "d": d}


def get(client, query: str = ""):
    return page_of(client, f"/cases/{query}")


order = shown


# (sort key, ascending, descending); ties are broken by the id (creation order), empty values come last
EXPECTED = [
    ("number", "abcd", "dcba"),
    ("target", "cdab", "badc"),  # 安 白 陈 魏
    ("measure", "adbc", "cbda"),  # 谈话函询, 警示诫勉, 责令纠错 (the order of the choices)
    ("delivery", "cbad", "bcda"),  # 书面预警 (c) before 谈话预警 (b), in the order of the choices; none last
    ("status", "adbc", "cbda"),  # 待审批 before 已批准 (workflow order)
    ("proposed", "cabd", "dbac"),
    ("approved", "cbad", "bcda"),  # the two without approval last both ways
    ("implementation_due", "cbad", "bcda"),
    ("response_due", "cabd", "cdba"),  # only c's letter has been received
    ("closed", "abcd", "dcba"),  # none closed: all tie, by number (closing is covered by the archive tests)
]


@pytest.mark.parametrize(("key", "ascending", "descending"), EXPECTED)
def test_each_column_sorts_both_ways(login, four, key, ascending, descending):
    client = login("yjb")
    assert order(get(client, f"?sort={key}"), four) == ascending
    assert order(get(client, f"?sort=-{key}"), four) == descending


def test_units_sort_in_tree_order(login, four):
    client = login("yjb")
    by_path = sorted(four, key=lambda k: (four[k].unit_in_charge.path, four[k].pk))
    assert order(get(client, "?sort=unit"), four) == "".join(by_path)
    by_path_desc = sorted(four, key=lambda k: (four[k].unit_in_charge.path, four[k].pk), reverse=True)
    assert order(get(client, "?sort=-unit"), four) == "".join(by_path_desc)


@pytest.mark.parametrize("sort", ["bogus", "-bogus", "--number", "proposed_on", "target__name", "id", " ", "-"])
def test_an_unknown_sort_is_the_default_order(login, four, sort):
    response = get(login("yjb"), f"?sort={sort}")
    assert order(response, four) == "dbac"  # newest proposal first
    [th] = [th for th in re.findall(r"<th\b.*?</th>", response.content.decode(), flags=re.S) if "aria-sort" in th]
    assert 'aria-sort="descending"' in th and "建议" in th  # the default order, shown on its column


def headers(response) -> list[str]:
    return re.findall(r"<th\b.*?</th>", response.content.decode(), flags=re.S)


def test_headers_keep_the_filters_and_mark_the_sorted_column(login, four):
    response = get(login("yjb"), "?measure=inquiry&sort=proposed&page=1")
    assert order(response, four) == "ad"
    ths = headers(response)
    sorted_ths = [th for th in ths if "aria-sort" in th]
    assert len(sorted_ths) == 1
    assert 'aria-sort="ascending"' in sorted_ths[0] and "建议" in sorted_ths[0]
    assert "▲" in sorted_ths[0] and '<span class="visually-hidden">（升序）</span>' in sorted_ths[0]
    links = {re.sub(r"<.*?>|[↕▲▼]|（.序）", "", th): unescape(re.search(r'href="([^"]+)"', th).group(1))
             for th in ths if "href" in th}
    assert links["建议"] == "?measure=inquiry&sort=-proposed"  # a second click turns it round
    assert links["编号"] == "?measure=inquiry&sort=number"  # the filters stay, the page number goes
    assert all("page=" not in href for href in links.values())
    descending = headers(get(login("yjb"), "?sort=-approved"))
    [th] = [th for th in descending if "aria-sort" in th]
    assert 'aria-sort="descending"' in th and "▼" in th and "（降序）" in th and "批准" in th


def test_pagination_keeps_the_sort(login, four):
    response = get(login("yjb"), "?sort=approved&page=1")
    assert response.context["query"] == "sort=approved"  # the page links are "?{{ query }}&page=N"


def test_the_export_lists_the_cases_in_the_order_on_screen(login, four):
    import io

    from openpyxl import load_workbook

    client = login("yjb")
    response = client.get("/documents/ledger.xlsx?sort=-target")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    names = {"陈三", "魏四", "安一", "白二"}
    listed = [v for row in sheet.iter_rows(values_only=True) for v in row if v in names]
    on_screen = [{c.pk: c.target.name for c in four.values()}[c.pk]
                 for c in get(client, "?sort=-target").context["page"].object_list]
    assert listed == on_screen == ["魏四", "陈三", "白二", "安一"]
