"""The joint meeting (第五、六条): meetings, clues raised there, the quarter circulated to members."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.dates import D
from yujing.clues.models import Clue
from yujing.clues.services import Concerned
from yujing.oversight import meetings


def test_meeting_clue_and_circular(users, demo, cadres, login):
    members = list(meetings.members(demo["MH"]))
    assert [u.code for u in members] == ["MH-ZZB", "MH-RS", "MH-CZ", "MH-SJ", "MH-XF", "MH-GA"]
    with pytest.raises(ValidationError) as info:
        meetings.record_meeting(by=users["yjb"], today=D("2026-10-15"), held_on=D("2026-10-16"), place="", topic="",
                                minutes="", attendees=[demo["MH-QS"]])
    assert info.value.message_dict == {"held_on": ["会议日期不能晚于今天"], "topic": ["请填写议题"],
                                       "minutes": ["请填写会议纪要"], "attendees": ["出席单位须是本县联席会议成员单位"]}
    with pytest.raises(PermissionDenied):
        meetings.record_meeting(by=users["lianluo"], today=D("2026-10-15"), held_on=D("2026-10-15"), place="x",
                                topic="x", minutes="x", attendees=members[:1])
    meeting = meetings.record_meeting(by=users["yjb"], today=D("2026-10-15"), held_on=D("2026-10-15"),
                                      place="县纪委会议室", topic="第三季度联席会议", minutes="通报情况，交流线索。",
                                      attendees=[demo["MH-SJ"], demo["MH-GA"]])
    clue = meetings.raise_clue(meeting=meeting, by=users["yjb"], member=demo["MH-SJ"], summary="审计发现问题",
                               detail="会上审计局提出。", concerned=[Concerned(cadre_id=cadres["MH0001"].pk)])
    assert (clue.channel, clue.source_unit, clue.received_on) == ("member_unit", demo["MH-SJ"], D("2026-10-15"))
    assert clue.source_name == "联席会议（2026年10月15日）" and list(meeting.clues.all()) == [clue]
    with pytest.raises(ValidationError, match="出席本次会议"):
        meetings.raise_clue(meeting=meeting, by=users["yjb"], member=demo["MH-CZ"], summary="x", detail="x",
                            concerned=[Concerned(cadre_id=cadres["MH0001"].pk)])
    with pytest.raises(ValidationError, match="尚未结束"):
        meetings.circulate(by=users["yjb"], year=2026, quarter=4, today=D("2026-11-20"))
    circular = meetings.circulate(by=users["yjb"], year=2026, quarter=4, today=D("2027-01-05"))
    assert circular.recipients.count() == 6 and "收到线索：1" in circular.content
    with pytest.raises(ValidationError, match="已通报"):
        meetings.circulate(by=users["yjb"], year=2026, quarter=4, today=D("2027-01-05"))
    # each member's liaison sees it; a township does not
    assert list(meetings.circulars_for(user=users["lianluo"])) == [circular]
    assert list(meetings.circulars_for(user=users["qs_jiwei"])) == []
    assert "季度预警工作情况通报" in login("lianluo").get("/cases/notices/").content.decode()
    page = login("yjb").get(f"/oversight/meetings/{meeting.pk}/").content.decode()
    assert clue.number in page and "登记线索" in page
    assert login("lianluo").get(f"/oversight/meetings/{meeting.pk}/").status_code == 404
    assert Clue.objects.count() == 1


def test_meeting_pages(login, demo):
    client = login("yjb")
    assert client.get("/oversight/meetings/").status_code == 200
    response = client.post("/oversight/meetings/", {
        "held_on": "2026-10-15", "place": "会议室", "topic": "联席会议", "minutes": "纪要",
        "attendees": [demo["MH-SJ"].pk]})
    assert response.status_code == 302
    bad = client.post("/oversight/meetings/", {"held_on": "2026-10-15", "place": "x", "topic": "", "minutes": ""})
    assert bad.status_code == 400
    assert login("shuji").post("/oversight/meetings/", {"topic": "x"}).status_code == 403
