"""The roster sorts server-side by whitelisted columns (yujing/sorting.py): exact row orders both ways,
unknown sorts ignored, the filters kept in the header links, aria-sort on the sorted column."""

import re
from html import unescape
from urllib.parse import unquote

import pytest

from tests.factories import CadreFactory
from tests.listing import page_of, shown
from yujing.cadres.models import Rank

FILTER = "q=排序测试岗"


@pytest.fixture
def four(demo):
    """w, x, y, z in creation order; names sort the same by code point and by pinyin (安 白 陈 魏)."""
    qs, zzb = demo["MH-QS"], demo["MH-ZZB"]
    rows = [("w", "陈三", qs, "排序测试岗B", Rank.SECTION_CHIEF, False, "ZT0001"),
            ("x", "安一", zzb, "排序测试岗D", Rank.STAFF, True, "ZT0004"),
            ("y", "魏四", qs, "排序测试岗A", Rank.DEPARTMENT_DEPUTY, True, "ZT0002"),
            ("z", "白二", zzb, "排序测试岗C", "", False, "ZT0003")]
    return {key: CadreFactory(name=name, unit=unit, position=position, rank=rank, is_principal=principal, code=code)
            for key, name, unit, position, rank, principal, code in rows}


def get(client, query: str = ""):
    return page_of(client, f"/cadres/?{FILTER}&{query}")


order = shown


EXPECTED = [
    ("name", "xzwy", "ywzx"),
    ("code", "wyzx", "xzyw"),
    ("position", "ywzx", "xzwy"),
    ("rank", "ywxz", "xwyz"),  # 副处级, 正科级, 科级以下 (the order of the ranks); the one without a rank last
]


@pytest.mark.parametrize(("key", "ascending", "descending"), EXPECTED)
def test_each_column_sorts_both_ways(login, four, key, ascending, descending):
    client = login("yjb")
    assert order(get(client, f"sort={key}"), four) == ascending
    assert order(get(client, f"sort=-{key}"), four) == descending


@pytest.mark.parametrize(("key", "rank"), [
    ("unit", lambda c: (c.unit.path, not c.is_principal, c.code)),  # tree order, the principal first in a unit
    ("principal", lambda c: (not c.is_principal, c.unit.path, c.code)),  # 是 first, then by unit
    ("managed_by", lambda c: (c.managed_by.path, c.pk)),
])
def test_unit_and_principal_columns(login, four, key, rank):
    expected = "".join(sorted(four, key=lambda k: rank(four[k])))
    client = login("yjb")
    assert order(get(client, f"sort={key}"), four) == expected
    assert order(get(client, f"sort=-{key}"), four) == expected[::-1]


@pytest.mark.parametrize("sort", ["", "bogus", "-unit__path", "is_principal", "gender", "--name"])
def test_an_unknown_sort_is_the_default_order(login, four, sort):
    expected = "".join(sorted(four, key=lambda k: (four[k].unit.path, not four[k].is_principal, four[k].code)))
    response = get(login("yjb"), f"sort={sort}")
    assert order(response, four) == expected
    [th] = [th for th in re.findall(r"<th\b.*?</th>", response.content.decode(), flags=re.S) if "aria-sort" in th]
    assert 'aria-sort="ascending"' in th and "工作单位" in th  # the default order is shown on its column


def test_headers_keep_the_filters_and_mark_the_sorted_column(login, four):
    response = get(login("yjb"), "principal=1&sort=rank&page=1")
    assert order(response, four) == "yx"
    ths = re.findall(r"<th\b.*?</th>", response.content.decode(), flags=re.S)
    [sorted_th] = [th for th in ths if "aria-sort" in th]
    assert 'aria-sort="ascending"' in sorted_th and "职级" in sorted_th and "（升序）" in sorted_th
    links = {re.sub(r"<.*?>|[↕▲▼]|（.序）", "", th): unquote(unescape(re.search(r'href="([^"]+)"', th).group(1)))
             for th in ths if "href" in th}
    assert len(links) == 7
    assert links["职级"] == f"?{FILTER}&principal=1&sort=-rank"
    assert links["姓名"] == f"?{FILTER}&principal=1&sort=name"


def test_the_unit_page_shows_the_same_table_without_sorting(login, four, demo):
    page = login("yjb").get(f"/units/{demo['MH-QS'].pk}/").content.decode()
    assert "排序测试岗A" in page and "sort-link" not in page and "aria-sort" not in page
