"""The clue list sorts server-side by whitelisted columns (yujing/sorting.py): exact row orders both ways,
unknown sorts ignored, the filters kept in the header links, aria-sort on the sorted column."""

import re
from datetime import date
from html import unescape

import pytest

from tests.listing import page_of, shown
from yujing.clues import services
from yujing.clues.services import Outcome


@pytest.fixture
def four(register, users):
    """p, q, r, s in creation order (so in number order); r is screened, the others wait for screening."""
    p = register(cadre="MH0001", received_on=date(2026, 11, 10), channel="petition")
    q = register(username="qs_jiwei", cadre="MH0007", received_on=date(2026, 11, 12), channel="media")
    r = register(cadre="MH0016", received_on=date(2026, 11, 5), channel="audit")
    s = register(cadre="MH0002", received_on=date(2026, 11, 18), channel="petition")
    services.screen_clue(clue=r, by=users["yjb"], today=date(2026, 11, 20), outcome=Outcome.NO_ACTION, reason="反映不实")
    return {"p": p, "q": q, "r": r, "s": s}


def get(client, query: str = ""):
    return page_of(client, f"/clues/{query}")


order = shown


# (sort key, ascending, descending); ties are broken by the id (creation order)
EXPECTED = [
    ("number", "pqrs", "srqp"),
    ("received", "rpqs", "sqpr"),
    ("channel", "psrq", "qrsp"),  # in the order of 第十条's channels: 信访举报, 审计, 媒体
    ("status", "pqsr", "rsqp"),  # 待筛选 first (workflow order)
    ("screening_due", "pqsr", "sqpr"),  # only a clue waiting for screening shows its limit; the screened one last
]


@pytest.mark.parametrize(("key", "ascending", "descending"), EXPECTED)
def test_each_column_sorts_both_ways(login, four, key, ascending, descending):
    client = login("yjb")
    assert order(get(client, f"?sort={key}"), four) == ascending
    assert order(get(client, f"?sort=-{key}"), four) == descending


def test_units_sort_in_tree_order(login, four):
    key = lambda k: (four[k].handling_unit.path, four[k].pk)  # noqa: E731
    client = login("yjb")
    assert order(get(client, "?sort=unit"), four) == "".join(sorted(four, key=key))
    assert order(get(client, "?sort=-unit"), four) == "".join(sorted(four, key=key, reverse=True))


@pytest.mark.parametrize("sort", ["bogus", "-received_on", "concerned", "summary", "handling_unit__path", "--number"])
def test_an_unknown_sort_is_the_default_order(login, four, sort):
    assert order(get(login("yjb"), f"?sort={sort}"), four) == "sqpr"  # newest first


def test_sorting_with_a_text_search(login, four):
    # the search joins the people concerned (and so makes the rows distinct); sorting still works
    assert order(get(login("yjb"), "?q=XS&sort=-channel"), four) == "qrsp"


def test_headers_keep_the_filters_and_mark_the_sorted_column(login, four):
    response = get(login("yjb"), "?channel=petition&sort=-received&page=1")
    assert order(response, four) == "sp"
    ths = re.findall(r"<th\b.*?</th>", response.content.decode(), flags=re.S)
    [sorted_th] = [th for th in ths if "aria-sort" in th]
    assert 'aria-sort="descending"' in sorted_th and "收到日期" in sorted_th
    assert "▼" in sorted_th and "（降序）" in sorted_th
    links = {re.sub(r"<.*?>|[↕▲▼]|（.序）", "", th): unescape(re.search(r'href="([^"]+)"', th).group(1))
             for th in ths if "href" in th}
    assert links["收到日期"] == "?channel=petition&sort=received"
    assert links["状态"] == "?channel=petition&sort=status"
    assert "涉及干部" not in links and "问题摘要" not in links  # not sortable: plain headers
    assert response.context["query"] == "channel=petition&sort=-received"  # the page links keep the sort
