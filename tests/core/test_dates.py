"""One formatter family for every date a person reads: no leading zeros (2026年3月9日, 1975年3月, 15时,
15时30分), on the office's clock (Asia/Shanghai) for stored UTC instants."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template

from tests.dates import at
from yujing.core.dates import cn_date, cn_datetime, cn_month, cn_time

SRC = Path(__file__).resolve().parents[2] / "src" / "yujing"


def test_cn_date_has_no_leading_zeros():
    assert cn_date(date(2026, 3, 9)) == "2026年3月9日"
    assert cn_date(date(2026, 12, 31)) == "2026年12月31日"
    assert cn_date(None) == ""


def test_cn_date_of_an_instant_is_its_day_on_the_office_clock():
    # 2026-03-08 16:30 UTC is 2026-03-09 00:30 in Beijing
    assert cn_date(datetime(2026, 3, 8, 16, 30, tzinfo=UTC)) == "2026年3月9日"


def test_cn_month():
    assert cn_month(date(1975, 3, 1)) == "1975年3月"
    assert cn_month(date(1988, 11, 1)) == "1988年11月"
    assert cn_month(None) == ""


@pytest.mark.parametrize(("instant", "text"), [
    (at("2026-03-09", 15), "15时"),
    (at("2026-03-09", 15).replace(minute=30), "15时30分"),
    (at("2026-03-09", 9).replace(minute=5), "9时5分"),
    (at("2026-03-09", 0), "0时"),
    (datetime(2026, 3, 9, 7, 0, tzinfo=UTC), "15时"),  # stored in UTC, read in Beijing
])
def test_cn_time_omits_zero_minutes_and_pads_nothing(instant, text):
    assert cn_time(instant) == text


def test_cn_datetime_on_the_office_clock_across_midnight_utc():
    assert cn_datetime(datetime(2026, 3, 8, 16, 30, tzinfo=UTC)) == "2026年3月9日0时30分"
    assert cn_datetime(at("2026-03-09", 15)) == "2026年3月9日15时"
    assert cn_datetime(at("2026-10-01", 9).replace(minute=5)) == "2026年10月1日9时5分"
    assert cn_time(None) == "" and cn_datetime(None) == ""


def test_the_filters_are_builtins_of_every_template():
    template = Template('{{ day|cn_date }}|{{ birth|cn_month }}|{{ talk|cn_time }}|{{ talk|cn_datetime }}|'
                        '{{ late|cn_datetime }}|{{ missing|cn_date|default:"—" }}|{{ text|cn_date }}')
    text = template.render(Context({"day": date(2026, 3, 9), "birth": date(1975, 3, 1),
                                    "talk": at("2026-03-09", 15), "late": datetime(2026, 3, 8, 16, 30, tzinfo=UTC),
                                    "missing": None, "text": "2026-03-09"}))
    assert text == "2026年3月9日|1975年3月|15时|2026年3月9日15时|2026年3月9日0时30分|—|2026年3月9日"
    # ISO text (a day kept in JSON data) is read as that day; any other text prints as nothing
    assert Template("{{ a|cn_date }}|{{ b|cn_date }}|{{ c|cn_datetime }}").render(
        Context({"a": "2026-3-9", "b": "无", "c": "2026-03-09"})) == "||"


DATE_FILTER = re.compile(r"""\|\s*(?:date|time)\s*:\s*(["'])(.*?)\1""")


def _for_people(fmt: str) -> bool:
    """A |date format that writes a date for people the wrong way: any Chinese format but the unpadded
    month-and-day "n月j日" (a full date is |cn_date, a time |cn_time), or the zero-padded numeric forms
    Y.m, m.d, m/d. The machine formats Y-m-d and Y-m-d H:i stay allowed."""
    if re.search(r"[年月日时分秒]", fmt):
        return not re.fullmatch(r"n月j日", fmt)
    return bool(re.search(r"Y[./]m|m[./]d", fmt))


def test_no_template_writes_a_zero_padded_chinese_date():
    """Lint: templates write dates for people through |cn_date, |cn_month, |cn_time, |cn_datetime —
    never a |date format such as "Y年m月d日", "Y年n月j日 H:i" or "Y.m"."""
    offenders = []
    for path in (SRC / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            offenders += [f"{path.relative_to(SRC)}:{number}: {m.group(0)}" for m in DATE_FILTER.finditer(line)
                          if _for_people(m.group(2))]
    assert offenders == []


def test_the_lint_catches_the_old_formats():
    bad = ('|date:"Y年m月d日"', "|date:'Y年n月j日 H:i'", '|date:"Y年n月j日"', '|date:"Y.m"', '|time:"H时i分"',
           '|date:"Y年m月"')
    good = ('|date:"Y-m-d"', '|date:"Y-m-d H:i"', "|date:'Y-m-d'", '|date:"n月j日"', '|date:"n/j"')
    assert [f for f in bad if not any(_for_people(m.group(2)) for m in DATE_FILTER.finditer(f))] == []
    assert [f for f in good if any(_for_people(m.group(2)) for m in DATE_FILTER.finditer(f))] == []


def test_no_python_code_writes_a_zero_padded_chinese_date():
    """Lint: in src/, no strftime-style format pads a Chinese date (%m月, %d日, %H时, %M分) or uses the
    platform-dependent %-m; core.dates is the one place a date is written for people."""
    pattern = re.compile(r"%-?[mdHM][年月日时分]|%-[mdHM]")
    offenders = [f"{path.relative_to(SRC)}:{number}: {line.strip()}"
                 for path in SRC.rglob("*.py") if "migrations" not in path.parts
                 for number, line in enumerate(path.read_text().splitlines(), start=1) if pattern.search(line)]
    assert offenders == []
