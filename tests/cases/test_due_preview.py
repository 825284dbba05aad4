"""The due-date preview under the case page's date fields (cases/previews.py): the exact date the
service will set when the form is saved, shown before it is; the access of the form it serves; a
Chinese message for a bad date; nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.dates import D
from yujing.audit.models import Event
from yujing.cases import previews
from yujing.cases import services as cs


def due(client, case, name, value):
    return client.get(f"/cases/{case.pk}/due/{name}/", {f"{name}-{previews.FIELDS[name]}": value})


def verified(case, users, on):
    """An admonition is approved only after its verification (第十六条): before it the approval is not offered."""
    cs.record_verification(case=case, by=users["yjb"], today=D(on), method="preliminary", done_on=D(on),
                           findings="初核属实", conclusion="true")
    return case


@pytest.fixture
def today(monkeypatch):
    """Pin the views' clock (only views read it) to ``today("2026-02-10")``."""

    def _today(day: str):
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(day))

    return _today


@pytest.fixture
def notice_issued(approved, users):
    """A correction whose notice went out on 2026-01-07 and awaits its 送达."""
    office = users["yjb"]
    case = approved("correction", "MH0002", on="2026-01-05", approve_on="2026-01-05")
    cs.report_to_chief(case=case, by=office, today=D("2026-01-06"), reported_on=D("2026-01-06"), note="报告")
    cs.write_register(case=case, by=office, today=D("2026-01-06"), content="一个月内纠正")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-01-06"))
    cs.issue_letter(case=case, by=office, today=D("2026-01-07"), kind="correction_notice", issued_on=D("2026-01-07"),
                    content="责令纠正")
    case.refresh_from_db()
    return case


def test_receipt_shows_the_rectification_deadline_and_the_extension_cap_before_saving(notice_issued, login):
    case, office = notice_issued, login("yjb")
    events = Event.objects.count()
    response = due(office, case, "record_receipt", "2026-01-31")
    page = response.content.decode()
    assert response.status_code == 200
    # 01-31 + 1 month = 02-28 (第二百零二条); the cap counts (1 + 1) months from 01-31: 03-31
    assert ('整改报告期限：<strong data-due="2026-02-28">2026年2月28日</strong>（第三十条，自送达之日起1个月）'
            in page)
    assert '延期上限：<strong data-due="2026-03-31">2026年3月31日</strong>（第三十条，延长整改期限累计不得超过1个月）' in page
    case.refresh_from_db()
    assert (case.status, case.response_start, case.response_due) == ("implemented", None, None)
    assert Event.objects.count() == events
    # what the preview said is what saving sets
    cs.record_receipt(case=case, by=case.proposed_by, today=D("2026-01-31"), received_on=D("2026-01-31"))
    case.refresh_from_db()
    assert (case.response_due, cs.extension_cap(case)) == (D("2026-02-28"), D("2026-03-31"))


def test_a_rest_day_rolls_and_the_preview_says_so(notice_issued, login):
    # 01-08 + 1 month = 02-08, a Sunday: rolled to Monday 02-09
    page = due(login("yjb"), notice_issued, "record_receipt", "2026-01-08").content.decode()
    assert '<strong data-due="2026-02-09">2026年2月9日</strong>' in page
    assert "届满日 2026年2月8日为休息日，顺延" in page


@pytest.mark.parametrize("value, message", [
    ("2026-02-30", "“2026-02-30”不是有效的日期，请按“2026-09-02”的格式选择或填写"),
    ("yesterday", "“yesterday”不是有效的日期"),
    ("9999-01-01", "日期应在 1990 年至 2200 年之间"),
    ("2026-01-06", "日期不能早于发出日期（2026年1月7日）"),
])
def test_a_bad_date_gets_a_chinese_message_and_nothing_is_written(notice_issued, login, value, message):
    response = due(login("yjb"), notice_issued, "record_receipt", value)
    assert response.status_code == 200  # htmx swaps only a 2xx answer into the page
    assert message in response.content.decode()
    assert 'data-due=' not in response.content.decode()
    notice_issued.refresh_from_db()
    assert notice_issued.response_start is None


def test_an_empty_date_shows_nothing(notice_issued, login):
    """An optional date left empty (the meeting date of an approval) or not chosen yet: no red line under
    it; the form itself says when a date is required."""
    response = due(login("yjb"), notice_issued, "record_receipt", "")
    assert (response.status_code, response.content.decode().strip()) == (200, "")


def test_a_date_after_today_is_refused_as_the_service_refuses_it(notice_issued, login):
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert "日期不能晚于今天" in due(login("yjb"), notice_issued, "record_receipt", tomorrow.isoformat()).content.decode()


def test_the_preview_has_the_access_of_the_form_it_serves(notice_issued, login, client):
    case = notice_issued
    assert due(login("yjb"), case, "record_receipt", "2026-01-31").status_code == 200
    # a township's discipline body: the county's case is outside its jurisdiction, as if missing
    assert due(login("qs_jiwei"), case, "record_receipt", "2026-01-31").status_code == 404
    # the secretary sees the case but does not record its steps; nor is there a form for a step not due now
    assert due(login("shuji"), case, "record_receipt", "2026-01-31").status_code == 403
    assert due(login("yjb"), case, "record_response", "2026-01-31").status_code == 403
    assert login("yjb").get(f"/cases/{case.pk}/due/lift/").status_code == 404
    assert login("yjb").get(f"/cases/{case.pk + 1000}/due/record_receipt/").status_code == 404
    assert client.get(f"/cases/{case.pk}/due/record_receipt/")["Location"].startswith("/accounts/login/")


def test_the_case_page_wires_the_preview_under_the_date_field(notice_issued, login):
    page = login("yjb").get(f"/cases/{notice_issued.pk}/").content.decode()
    assert f'hx-get="/cases/{notice_issued.pk}/due/record_receipt/"' in page
    assert 'hx-target="#id_record_receipt-received_on_due"' in page and 'hx-trigger="intersect once, change"' in page
    assert '<div class="form-text due-preview" id="id_record_receipt-received_on_due" aria-live="polite"></div>' in page
    assert 'aria-describedby="id_record_receipt-received_on_help id_record_receipt-received_on_due"' in page
    assert 'type="date" name="record_receipt-received_on"' in page


def test_an_extension_request_shows_the_cap_and_whether_the_date_is_within_it(notice_issued, login, today):
    case = notice_issued
    cs.record_receipt(case=case, by=case.proposed_by, today=D("2026-01-31"), received_on=D("2026-01-31"))
    today("2026-02-10")
    office = login("yjb")
    page = due(office, case, "request_extension", "2026-03-20").content.decode()
    assert '现在的期限：<strong data-due="2026-02-28">2026年2月28日</strong>（第三十条）' in page
    assert '延期上限：<strong data-due="2026-03-31">2026年3月31日</strong>（第三十条，延长整改期限累计不得超过1个月）' in page
    assert '申请延至：<strong data-due="2026-03-20">2026年3月20日</strong>；在延期上限之内，可以报批' in page
    beyond = due(office, case, "request_extension", "2026-04-15").content.decode()
    assert '<div class="text-danger">⚠ 申请延至' in beyond
    assert "延长整改期限累计不得超过1个月，最迟只能延至2026年3月31日（第三十条）" in beyond
    assert "申请延至的日期须晚于现在的期限（2026年2月28日）" in due(office, case, "request_extension",
                                                          "2026-02-20").content.decode()
    assert case.extensions.count() == 0
    today("2026-03-01")  # the period has run out: 第三十一条
    assert "整改期限已届满，不能再申请延期（第三十一条）" in due(office, case, "request_extension",
                                                         "2026-03-20").content.decode()


def test_an_inquiry_talk_shows_the_answer_deadline_and_the_implementation_limit(inquiry_talk_noticed, login):
    case = inquiry_talk_noticed
    client = login("yjb")
    page = due(client, case, "hold_talk", "2026-06-05").content.decode()
    # approved 06-01: implemented within 7 days, by 06-08 (第十七条); the answer 10 days from the talk
    assert ('组织实施期限：<strong data-due="2026-06-08">2026年6月8日</strong>（第十七条，自批准之日起7日）；谈话日期在期限之内'
            in page)
    assert ('书面说明期限：<strong data-due="2026-06-15">2026年6月15日</strong>（第二十八条，自谈话之日起10日）'
            in page)
    late = due(client, case, "hold_talk", "2026-06-10").content.decode()
    assert "⚠ 组织实施期限" in late and "谈话日期晚于期限 2 日，将记为逾期实施" in late
    assert "日期不能早于通知送达日期（2026年6月3日）" in due(client, case, "hold_talk", "2026-06-02").content.decode()
    talk_plan = due(client, case, "plan_talk", "2026-06-09T09:30").content.decode()
    assert "谈话日期晚于期限 1 日" in talk_plan
    assert "谈话时间不能早于批准日期" in due(client, case, "plan_talk", "2026-05-30T09:00").content.decode()


def test_a_committee_meeting_date_shows_the_implementation_limit(open_case, login, users):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    assert due(login("changwei"), case, "approve", "2026-09-04").status_code == 403  # not yet verified
    verified(case, users, "2026-09-02")
    page = due(login("changwei"), case, "approve", "2026-09-04").content.decode()
    assert ('组织实施期限：<strong data-due="2026-09-11">2026年9月11日</strong>（第十七条，自批准之日起7日）；'
            '常委会研究确定的，自会议之日起算') in page
    assert "日期不能早于提出建议的日期（2026年9月2日）" in due(login("changwei"), case, "approve", "2026-09-01").content.decode()
    assert due(login("yjb"), case, "approve", "2026-09-04").status_code == 403


def test_only_a_committee_member_is_asked_for_a_meeting_date(open_case, login, users):
    """The secretary decides on the day (decide()): no meeting fields, and no preview that would count the
    7 days from a meeting date the save ignores."""
    case = verified(open_case("admonition", "MH0001", on="2026-09-02"), users, "2026-09-02")
    secretary, member = login("shuji"), login("changwei")
    assert due(secretary, case, "approve", "2026-09-04").status_code == 404
    assert 'name="approve-meeting_on"' not in secretary.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="approve-meeting_on"' in member.get(f"/cases/{case.pk}/").content.decode()
