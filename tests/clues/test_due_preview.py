"""The screening time limit shown under the registration form's 收到日期 as it is typed (第十四条),
before the clue is saved: the exact date the registration will store."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yujing.audit.models import Event
from yujing.clues.models import Clue


def due(client, value):
    return client.get("/clues/new/due/", {"received_on": value})


def test_the_screening_deadline_appears_before_saving(login):
    client = login("yjb")
    events = Event.objects.count()
    page = due(client, "2026-09-02").content.decode()
    assert '筛选期限：<strong data-due="2026-09-17">2026年9月17日</strong>（第十四条，自收到之日起15日）' in page
    # 09-20 + 15 days = 10-05, inside the National Day holiday: rolled to the first working day, 10-08
    rolled = due(client, "2026-09-20").content.decode()
    assert '<strong data-due="2026-10-08">2026年10月8日</strong>' in rolled
    assert "届满日 2026年10月5日为休息日，顺延" in rolled
    assert (Clue.objects.count(), Event.objects.count()) == (0, events)


@pytest.mark.parametrize("value, message", [
    ("2026-13-01", "“2026-13-01”不是有效的日期"),
    ("1900-01-01", "日期应在 1990 年至 2200 年之间"),
    ("2000-01-01", "日期不能早于 20 年前"),
])
def test_a_bad_date_gets_the_registrations_own_message(login, value, message):
    response = due(login("yjb"), value)
    assert response.status_code == 200
    assert message in response.content.decode() and "data-due" not in response.content.decode()


def test_an_empty_date_shows_nothing(login):
    response = due(login("yjb"), "")
    assert (response.status_code, response.content.decode().strip()) == (200, "")


def test_a_date_after_today_is_refused(login):
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert "日期不能晚于今天" in due(login("qs_jiwei"), tomorrow.isoformat()).content.decode()


def test_only_those_who_register_clues_see_the_preview(login, client):
    assert due(login("qs_jiwei"), "2026-09-02").status_code == 200
    for username in ("zuzhibu", "lianluo", "shuji"):
        assert due(login(username), "2026-09-02").status_code == 403, username
    assert client.get("/clues/new/due/")["Location"].startswith("/accounts/login/")


def test_the_registration_form_wires_the_preview(login):
    page = login("yjb").get("/clues/new/").content.decode()
    assert ('<input type="date" name="received_on" value="' in page)
    assert 'hx-get="/clues/new/due/" hx-trigger="intersect once, change" hx-target="#id_received_on_due"' in page
    assert '<div class="form-text due-preview" id="id_received_on_due" aria-live="polite"></div>' in page
