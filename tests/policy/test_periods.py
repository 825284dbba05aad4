"""Period arithmetic (民法典第二百零一至二百零三条) with exact dates."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yujing.policy.holidays import HolidayCalendar, parse_notice
from yujing.policy.periods import Period, PeriodError, Roll, Unit, add_months, due_date, working_days_between

CAL = HolidayCalendar()
D = date.fromisoformat


def due(start: str, period: str, roll: Roll = Roll.REST_DAY, cal: HolidayCalendar = CAL):
    return due_date(D(start), period, cal, roll)


@pytest.mark.parametrize(
    ("start", "period", "expected"),
    [
        # month ends: the corresponding day, or the month's last day (第二百零二条)
        ("2026-01-31", "1m", "2026-02-28"),  # Saturday, but an adjusted working day (调休上班): no roll
        ("2025-01-31", "1m", "2025-02-28"),
        ("2023-01-31", "1m", "2023-02-28"),
        ("2024-01-31", "1m", "2024-02-29"),  # leap year
        ("2024-02-29", "1y", "2025-02-28"),  # leap day + 1 year
        ("2026-03-31", "1m", "2026-04-30"),
        ("2025-12-31", "2m", "2026-02-28"),  # across the year, clamped, adjusted working Saturday
        ("2026-01-31", "2m", "2026-03-31"),  # the extension cap of a 01-31 correction (DESIGN.md §2)
        ("2026-01-15", "1m", "2026-02-24"),  # 02-15 is in the Spring Festival: rolls to the first working day
        # days: the start day is not counted (第二百零一条)
        ("2026-03-02", "7d", "2026-03-09"),
        ("2026-03-02", "10d", "2026-03-12"),
        # National Day week: 10-01..10-07 are holidays, 10-08 the first working day
        ("2026-09-24", "7d", "2026-10-08"),
        ("2026-09-30", "1d", "2026-10-08"),
        # 10-10-2026 is a Saturday worked in exchange for the holiday: it is a working day
        ("2026-09-30", "10d", "2026-10-10"),
        # Spring Festival 2026: 02-15..02-23 are holidays
        ("2026-02-05", "10d", "2026-02-24"),
        # a plain weekend
        ("2026-11-18", "10d", "2026-11-30"),
        # working days: 10-01..10-07 off, 10-08 (1), 10-09 (2), 10-10 Sat worked (3), 10-12 (4), 10-13 (5)
        ("2026-09-30", "5wd", "2026-10-13"),
        ("2026-11-27", "1wd", "2026-11-30"),
        ("2026-02-13", "3wd", "2026-02-25"),  # 02-14 Sat is worked (1), then the holiday, 02-24 (2), 02-25 (3)
    ],
)
def test_due_dates(start, period, expected):
    assert due(start, period).date == D(expected)
    assert due(start, period).provisional is False


def test_roll_details_are_reported():
    result = due("2026-09-24", "7d")
    assert result.nominal == D("2026-10-01")
    assert result.rolled
    assert result.skipped == tuple(D("2026-10-01") + timedelta(days=i) for i in range(7))


def test_adjusted_working_day_is_not_rolled_over():
    result = due("2026-01-31", "1m")
    assert result.nominal == result.date == D("2026-02-28")
    assert not result.rolled


def test_roll_modes():
    # 2026-11-28 is an ordinary Saturday: rest_day rolls it, holiday-only and none do not.
    assert due("2026-11-18", "10d", Roll.REST_DAY).date == D("2026-11-30")
    assert due("2026-11-18", "10d", Roll.HOLIDAY).date == D("2026-11-28")
    assert due("2026-11-18", "10d", Roll.NONE).date == D("2026-11-28")
    # a statutory holiday rolls under both
    assert due("2026-09-24", "7d", Roll.HOLIDAY).date == D("2026-10-08")
    assert due("2026-09-24", "7d", Roll.NONE).date == D("2026-10-01")


def test_unknown_year_falls_back_to_weekends_and_is_provisional():
    result = due("2027-01-29", "1m")  # 2027-02-28 is a Sunday
    assert result.date == D("2027-03-01")
    assert result.provisional is True
    across = due("2026-12-25", "10d")  # ends in 2027
    assert across.date == D("2027-01-04")
    assert across.provisional is True


def test_entered_notice_makes_the_year_known():
    notice = parse_notice(
        2027,
        "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-13\n调休上班 2027-02-28\n",
    )
    cal = HolidayCalendar({2027: notice})
    result = due_date(D("2027-01-29"), "1m", cal)
    assert result.date == D("2027-02-28")  # the notice makes that Sunday a working day
    assert result.provisional is False
    assert due_date(D("2027-02-01"), "7d", cal).date == D("2027-02-15")  # 02-08 in the holiday, 02-14 a Sunday
    assert cal.holiday_name(D("2027-02-10")) == "春节"


def test_notice_overrides_the_package_for_its_year():
    # An administrator corrects 2026: 11-30 made a holiday (hypothetical) must be respected.
    notice = parse_notice(2026, "测试假日 2026-11-30\n")
    cal = HolidayCalendar({2026: notice})
    assert due_date(D("2026-11-18"), "10d", cal).date == D("2026-12-01")


@pytest.mark.parametrize("text", ["", "7", "d7", "0d", "-1d", "7x", "1.5m", "7 days"])
def test_bad_periods_are_refused_in_chinese(text):
    with pytest.raises(PeriodError, match="期间"):
        Period.parse(text)


def test_period_parsing():
    assert Period.parse("5wd") == Period(5, Unit.WORKING_DAYS)
    assert Period.parse(" 1M ") == Period(1, Unit.MONTHS)
    assert Period.parse("10d").label == "10日"
    assert str(Period.parse("1y")) == "1y"


def test_add_months():
    assert add_months(D("2026-01-31"), 1) == D("2026-02-28")
    assert add_months(D("2028-01-31"), 1) == D("2028-02-29")
    assert add_months(D("2026-11-30"), 3) == D("2027-02-28")
    assert add_months(D("2026-12-15"), 1) == D("2027-01-15")
    assert add_months(D("2026-05-31"), 12) == D("2027-05-31")


def test_working_days_between():
    assert working_days_between(D("2026-09-30"), D("2026-10-13"), CAL) == 5
    assert working_days_between(D("2026-10-13"), D("2026-09-30"), CAL) == 0


dates = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 11, 30))


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_day_periods_end_on_the_first_working_day_on_or_after_the_nominal_day(start, n):
    result = due_date(start, Period(n, Unit.DAYS), CAL)
    assert result.nominal == start + timedelta(days=n)
    assert result.date >= result.nominal
    assert CAL.is_working_day(result.date)
    day = result.nominal
    while day < result.date:
        assert not CAL.is_working_day(day)
        day += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=24))
def test_month_periods_end_on_the_corresponding_day_or_the_month_end(start, n):
    nominal = due_date(start, Period(n, Unit.MONTHS), CAL).nominal
    months = (nominal.year - start.year) * 12 + nominal.month - start.month
    assert months == n
    if nominal.day != start.day:
        assert nominal.day < start.day
        assert (nominal + timedelta(days=1)).day == 1  # the month's last day


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=30))
def test_working_day_periods_count_exactly_n_working_days(start, n):
    result = due_date(start, Period(n, Unit.WORKING_DAYS), CAL)
    assert CAL.is_working_day(result.date)
    assert working_days_between(start, result.date, CAL) == n
    assert working_days_between(start, result.date - timedelta(days=1), CAL) == n - 1


@settings(max_examples=200, deadline=None)
@given(a=dates, b=dates, n=st.integers(min_value=1, max_value=40))
def test_later_start_never_gives_an_earlier_due_date(a, b, n):
    first, second = sorted((a, b))
    assert due_date(first, Period(n, Unit.DAYS), CAL).date <= due_date(second, Period(n, Unit.DAYS), CAL).date
