"""The case page's timeline: every step with its kind in words (not colour alone), a late step said in text,
the most recent marked and linked from the card header."""

import re
from datetime import timedelta

from yujing.cases import services as cs


def test_late_step_and_latest_entry_are_labelled_in_text(login, approved, users):
    case = approved("inquiry", "MH0003", on="2026-09-01", approve_on="2026-09-02", approver="fushuji")
    issued = case.implementation_due + timedelta(days=3)  # the letter goes out after the 7 days of 第十七条
    cs.issue_letter(case=case, by=users["yjb"], today=issued, kind="inquiry_letter", issued_on=issued, content="请说明")
    page = login("yjb").get(f"/cases/{case.pk}/").content.decode()
    entries = re.findall(r'<li class="tl-entry (.*?)</li>', page, flags=re.S)
    assert len(entries) == 4  # proposal, verification, approval, letter
    kinds = [re.search(r'<span class="tl-kind">(.*?)</span>', e).group(1) for e in entries]
    assert kinds == ["预警建议", "核查", "审批", "文书"]
    late = [e for e in entries if "⚠ 超过期限" in e]
    assert len(late) == 1 and late[0].startswith("tl-letter tl-late tl-latest") and "最新" in late[0]
    assert 'id="timeline-latest"' in late[0] and f'datetime="{issued:%Y-%m-%d}"' in late[0]
    assert f'href="#timeline-latest">{issued:%Y-%m-%d} 发出' in page


def test_the_talk_time_reads_the_chinese_way_on_the_page_and_in_the_timeline(login, approved, users):
    """A talk at 09:05 Beijing time is 2026年9月9日9时5分 in the talk panel and the timeline — not 09:05."""
    from datetime import datetime

    from tests.dates import TZ, D

    office = users["yjb"]
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    cs.plan_talk(case=case, by=office, today=D("2026-09-05"), outline="提纲", chief=users["shuji"],
                 other_talkers=["方晓春"], scheduled_at=datetime(2026, 9, 9, 9, 5, tzinfo=TZ), place="县纪委谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-09-07"), sent_on=D("2026-09-07"))
    page = login("yjb").get(f"/cases/{case.pk}/").content.decode()
    assert '<dd class="col-sm-9">2026年9月9日9时5分，县纪委谈话室</dd>' in page
    assert "2026年9月9日9时5分，县纪委谈话室；谈话人：韩立新、方晓春（主谈：韩立新）" in page
    assert "09:05" not in page
