import io

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(
    ("start", "period", "last_line"),
    [
        ("2026-01-31", "1m", "2026-02-28"),
        ("2026-09-24", "7d", "2026-10-08"),
        ("2026-09-30", "5wd", "2026-10-13"),
        ("2026-03-02", "10d", "2026-03-12"),
        ("2027-01-29", "1m", "2027-03-01"),
    ],
)
def test_due_prints_the_date_alone_on_the_last_line(db, start, period, last_line):
    out = io.StringIO()
    call_command("due", start, period, stdout=out)
    assert out.getvalue().rstrip("\n").splitlines()[-1] == last_line


def test_due_marks_provisional_results(db):
    out = io.StringIO()
    call_command("due", "2027-01-29", "1m", stdout=out)
    assert "暂定" in out.getvalue()


@pytest.mark.parametrize(("start", "period", "message"), [("2026-02-30", "7d", "不是 YYYY-MM-DD"), ("2026-01-31", "1x", "格式不对")])
def test_due_refuses_bad_input(db, start, period, message):
    with pytest.raises(CommandError, match=message):
        call_command("due", start, period)
