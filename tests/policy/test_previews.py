"""The words of a due-date preview (policy/previews.py): the typed date read strictly, the computed
date with its article and how it was reached."""

from datetime import date

import pytest

from yujing.policy.holidays import HolidayCalendar
from yujing.policy.periods import due_date
from yujing.policy.previews import DateProblem, deadline, parse_day


def test_a_date_pickers_value_is_read_and_a_datetime_gives_its_day():
    assert parse_day("2026-09-02") == date(2026, 9, 2)
    assert parse_day(" 2026-09-02T09:30 ") == date(2026, 9, 2)


@pytest.mark.parametrize("value, message", [
    (None, "请选择日期"), ("  ", "请选择日期"), ("2026-02-29", "“2026-02-29”不是有效的日期"),
    ("02/09/2026", "不是有效的日期"), ("0001-01-01", "日期应在 1990 年至 2200 年之间"),
    # what date.fromisoformat alone would take but the forms refuse
    ("20260905", "“20260905”不是有效的日期"), ("2026-W36-3", "“2026-W36-3”不是有效的日期"),
    ("2026-09-05junk", "“2026-09-05junk”不是有效的日期"),
])
def test_a_bad_value_is_refused_in_chinese(value, message):
    with pytest.raises(DateProblem, match=message):
        parse_day(value)


def test_a_deadline_line_names_its_article_its_start_and_any_roll():
    calendar = HolidayCalendar({})
    plain = deadline("整改期限", due_date(date(2026, 1, 31), "1m", calendar), article="第三十条", start="送达")
    assert (plain.date, plain.article, plain.basis, plain.note) == (date(2026, 2, 28), "第三十条", "自送达之日起1个月", "")
    rolled = deadline("筛选期限", due_date(date(2026, 9, 20), "15d", calendar), article="第十四条", start="收到")
    assert (rolled.date, rolled.basis) == (date(2026, 10, 8), "自收到之日起15日")
    assert rolled.note == "届满日 2026年10月5日为休息日，顺延"
    unknown = deadline("筛选期限", due_date(date(2031, 3, 2), "15d", calendar), article="第十四条", start="收到")
    assert unknown.note.endswith("所涉年度尚未录入国务院节假日安排，结果为暂定")
