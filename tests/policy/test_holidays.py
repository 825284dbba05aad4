from datetime import date

import pytest

from yujing.policy.holidays import HolidayCalendar, NoticeError, format_notice, package_year, parse_notice


def test_package_knows_2026_and_not_2027():
    assert package_year(2026) is not None
    assert package_year(2027) is None
    cal = HolidayCalendar()
    assert cal.is_known(2026) and not cal.is_known(2027)
    assert cal.holiday_name(date(2026, 10, 1)) == "国庆节"
    assert cal.day_label(date(2026, 10, 10)) == "调休上班日"
    assert cal.day_label(date(2026, 10, 1)) == "法定节假日(国庆节)"
    assert cal.day_label(date(2026, 11, 28)) == "公休日"
    assert cal.day_label(date(2026, 11, 27)) == "工作日"


def test_parse_and_format_round_trip():
    text = "元旦 2027-01-01 至 2027-01-03\n春节 2027-2-6 至 2027-02-13\n调休上班 2027-02-28\n"
    days = parse_notice(2027, text)
    assert len(days.holidays) == 3 + 8
    assert days.workdays == frozenset({date(2027, 2, 28)})
    assert format_notice(days) == "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-13\n调休上班 2027-02-28"


def test_bad_notice_lines_are_named():
    with pytest.raises(NoticeError) as info:
        parse_notice(2027, "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-30\n国庆 2028-10-01\n胡乱写的\n劳动节 2027-05-05 至 2027-05-01")
    assert info.value.errors == [
        (2, "日期“春节 2027-02-30”不存在"),
        (3, "日期不在2027年内"),
        (4, "无法识别“胡乱写的”，应写作“名称 起始日期 至 结束日期”或“调休上班 日期”"),
        (5, "结束日期早于起始日期"),
    ]


def test_a_day_named_twice_is_refused_naming_the_day_the_chinese_way():
    with pytest.raises(NoticeError) as info:
        parse_notice(2027, "元旦 2027-01-01\n春节 2027-01-01")
    assert info.value.errors == [(2, "2027年1月1日重复出现")]


def test_notice_without_holidays_is_refused():
    with pytest.raises(NoticeError):
        parse_notice(2027, "调休上班 2027-02-28")
