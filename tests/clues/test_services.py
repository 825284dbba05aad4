"""Clue rules of 第十至十六条 and 第三十三条, through the service functions."""

import io
import os
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import Http404

from yujing.audit.models import Event
from yujing.cases.models import WarningCase
from yujing.cases.services import propose_case
from yujing.clues import selectors, services
from yujing.clues.models import Attachment, Clue, ClueFeedback, ProblemCategory, Routing
from yujing.clues.services import Concerned, Outcome, Proposal, Reporter, Upload
from yujing.core import crypto
from yujing.orgs.models import Unit

from .conftest import TODAY, docx_bytes, pdf_bytes, png_bytes, zip_bytes


def files_on_disk(root) -> list[str]:
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs] if os.path.exists(root) else []


def test_register_sets_number_due_date_and_handler(register, demo, users):
    clue = register(received_on=date(2026, 11, 13))
    assert clue.number == "MH-XS2026-0001"
    assert clue.handling_unit == demo["MH-JW-YJB"]
    assert clue.screening_due == date(2026, 11, 30)  # 11-28 is a Saturday: rolls to Monday
    assert clue.status == Clue.Status.REGISTERED
    assert clue.policy_version.policy_id == "shou-county"
    assert register().number == "MH-XS2026-0002"
    event = Event.objects.get(action="clues.clue.registered", object_id=str(clue.pk))
    assert event.actor == users["yjb"] and event.data["channel"] == "petition"


def test_screening_due_rolls_over_national_day(register):
    assert register(received_on=date(2026, 9, 17)).screening_due == date(2026, 10, 8)  # 10-02 is in the holiday


def test_every_channel_can_be_registered(register):
    from yujing.clues.models import Channel

    for channel in Channel.values:
        assert register(channel=channel).channel == channel
    assert Clue.objects.count() == 8


def test_bad_input_gets_chinese_messages_and_writes_nothing(register, media, cadres):
    with pytest.raises(ValidationError) as info:
        register(
            received_on=date(2026, 11, 21), summary=" ", detail="", channel="rumour",
            concerned=[Concerned(cadre_id=999999), Concerned(name="")], category_ids=[123456],
            uploads=[Upload("报告.pdf", b"MZ\x90\x00 this is an exe"), Upload("大.pdf", pdf_bytes("x" * (20 * 1024 * 1024)))],
        )
    assert info.value.message_dict == {
        "channel": ["请选择第十条所列的来源渠道"],
        "received_on": ["日期不能晚于今天"],
        "summary": ["请填写问题摘要"],
        "detail": ["请填写反映的主要问题"],
        "concerned": ["干部名册中没有编号为 999999 的干部", "不在名册中的干部须填写姓名"],
        "categories": ["问题类别不存在或已停用"],
        "attachments": [
            "文件“报告.pdf”的内容不是 PDF、图片(PNG/JPEG)、Word(DOCX) 或 Excel(XLSX)，不能上传",
            "文件“大.pdf”超过 20 MB 的上限",
        ],
    }
    assert Clue.objects.count() == 0
    assert files_on_disk(media) == []
    with pytest.raises(ValidationError) as info:
        register(concerned=[])
    assert info.value.message_dict == {"concerned": ["请至少填写一名涉及的干部"]}
    with pytest.raises(ValidationError):
        register(reporter=Reporter(name=""))


def test_a_failure_after_files_were_stored_removes_them(register, media, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record", boom)
    with pytest.raises(RuntimeError):
        register(uploads=[Upload("a.pdf", pdf_bytes())])
    assert Clue.objects.count() == 0
    assert files_on_disk(media) == []


def test_files_are_checked_by_content(register, media):
    clue = register(uploads=[Upload("看似文档.docx", pdf_bytes()), Upload("照片", png_bytes()),
                             Upload("说明.docx", docx_bytes())])
    assert [a.kind for a in clue.attachments.order_by("id")] == ["pdf", "png", "docx"]
    stored = clue.attachments.first().file.path
    assert str(media) in stored and "看似文档" not in stored and not stored.endswith(".docx")
    with pytest.raises(ValidationError, match="不能上传"):
        register(uploads=[Upload("伪装.docx", zip_bytes())])


def test_reporter_identity_is_encrypted_at_rest_and_every_reveal_is_logged(register, users):
    clue = register(username="qs_jiwei", cadre="MH0007",
                    reporter=Reporter("王举报", "13800000000", "110101199001011234"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_contact, reporter_id_number FROM clues_clue WHERE id = %s",
                       [clue.pk])
        raw = " ".join(cursor.fetchone())
    assert "王举报" not in raw and "13800000000" not in raw and "1101011990" not in raw
    identity = services.reveal_reporter(clue=clue, by=users["yjb"])
    assert (identity.name, identity.contact, identity.id_number) == ("王举报", "13800000000", "110101199001011234")
    event = Event.objects.get(action="clues.reporter.revealed")
    assert (event.actor, event.object_id) == (users["yjb"], str(clue.pk))
    services.reveal_reporter(clue=clue, by=users["shuji"])
    # in jurisdiction but not a role the policy names: forbidden; the registering body included
    for username in ("qs_jiwei", "fushuji"):
        with pytest.raises(PermissionDenied):
            services.reveal_reporter(clue=clue, by=users[username])
    for username in ("renshe", "qs_dangwei"):
        with pytest.raises(Http404):
            services.reveal_reporter(clue=clue, by=users[username])
    assert Event.objects.filter(action="clues.reporter.revealed").count() == 2


def test_anonymous_reports_have_no_identity(register, users):
    clue = register()
    assert clue.is_anonymous and clue.reporter_name == ""
    with pytest.raises(ValidationError, match="匿名"):
        services.reveal_reporter(clue=clue, by=users["yjb"])


def test_key_rotation_keeps_every_identity(register, users, monkeypatch, settings, tmp_path):
    old, new = crypto.generate_key(), crypto.generate_key()
    monkeypatch.setenv("YUJING_FIELD_KEYS", old)
    crypto.reset()
    try:
        clue = register(reporter=Reporter("李实名", "电话 123"))
        monkeypatch.setenv("YUJING_FIELD_KEYS", f"{new},{old}")
        crypto.reset()
        call_command("rotate_field_keys", stdout=io.StringIO())
        monkeypatch.setenv("YUJING_FIELD_KEYS", new)
        crypto.reset()
        identity = services.reveal_reporter(clue=Clue.objects.get(pk=clue.pk), by=users["yjb"])
        assert (identity.name, identity.contact) == ("李实名", "电话 123")
    finally:
        crypto.reset()


def test_a_unit_cannot_handle_a_cadre_managed_higher_up_only_report_it(register, users, demo, cadres):
    clue = register(username="qs_jiwei", cadre="MH0001", received_on=date(2026, 11, 2))
    assert clue.handling_unit == demo["MH-QS"]
    with pytest.raises(ValidationError) as info:
        services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.HANDLE, reason="本级处理",
                             verifiable=True, proposals=[Proposal(cadres["MH0001"].pk, "inquiry")])
    assert info.value.message_dict["outcome"] == [
        f"{cadres['MH0001'].name}由中共明湖县委员会管理，属上级管辖的，应及时报告明湖县领导干部廉洁自律预警机制工作办公室（第十四条）"
    ]
    assert WarningCase.objects.count() == 0
    services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.REPORT_UP,
                         reason="属县管干部，报县预警办")
    clue.refresh_from_db()
    assert clue.handling_unit == demo["MH-JW-YJB"]
    assert clue.status == Clue.Status.REGISTERED
    assert clue.screening_due == date(2026, 12, 7)  # 15 days from the day it arrived (12-05 is a Saturday)
    routing = Routing.objects.get(clue=clue)
    assert (routing.direction, routing.from_unit, routing.to_unit) == ("up", demo["MH-QS"], demo["MH-JW-YJB"])
    assert routing.due_at_sender == date(2026, 11, 17) and routing.late is True
    with pytest.raises(Http404):
        selectors.clue_get(user=users["qs_jiwei"], pk=clue.pk, today=TODAY)
    assert selectors.clue_get(user=users["yjb"], pk=clue.pk, today=TODAY) == clue


def test_the_county_refers_a_unit_managed_cadre_down(register, users, demo):
    clue = register(username="yjb", cadre="MH0007")
    with pytest.raises(ValidationError, match="明湖县青石镇按干部管理权限管辖"):
        services.screen_clue(clue=clue, by=users["yjb"], today=TODAY, outcome=Outcome.HANDLE, reason="x",
                             verifiable=False, proposals=[])
    services.screen_clue(clue=clue, by=users["yjb"], today=TODAY, outcome=Outcome.REPORT_UP, reason="交青石镇纪委")
    routing = Routing.objects.get(clue=clue)
    assert (routing.direction, routing.to_unit) == ("down", demo["MH-QS"])
    assert routing.late is False


def test_reporting_to_oneself_is_refused(register, users):
    clue = register(username="qs_jiwei", cadre="MH0007")
    with pytest.raises(ValidationError, match="应本级处理"):
        services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.REPORT_UP, reason="x")


def test_handle_records_verifiability_and_opens_one_case_per_proposal(register, users, demo, cadres):
    clue = register(username="qs_jiwei", cadre="MH0007",
                    concerned=[Concerned(cadre_id=cadres["MH0007"].pk), Concerned(cadre_id=cadres["MH0008"].pk),
                               Concerned(name="赵某", unit_text="某村", position_text="村主任")])
    with pytest.raises(ValidationError) as info:
        services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.HANDLE, reason="本级",
                             proposals=[Proposal(cadres["MH0001"].pk, "inquiry"), Proposal(cadres["MH0007"].pk, "warn")])
    assert info.value.message_dict == {
        "verifiable": ["请认定线索是否具有可查性（第三十三条(三)）"],
        "proposals": ["预警对象须是本线索涉及、且在干部名册中的干部", "本地办法没有“warn”这项措施"],
    }
    services.screen_clue(
        clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.HANDLE, reason="属本级管辖", verifiable=True,
        proposals=[Proposal(cadres["MH0007"].pk, "admonition", "收受礼金"), Proposal(cadres["MH0008"].pk, "inquiry")],
    )
    clue.refresh_from_db()
    assert (clue.status, clue.verifiable, clue.screened_on, clue.screened_by) == (
        "handle", True, TODAY, users["qs_jiwei"])
    cases = list(WarningCase.objects.order_by("id"))
    assert [(c.target.code, c.measure, c.status, c.unit_in_charge.code) for c in cases] == [
        ("MH0007", "admonition", "proposed", "MH-QS"), ("MH0008", "inquiry", "proposed", "MH-QS")]
    assert cases[0].number == "MH-YJ2026-0001" and cases[0].facts == "收受礼金"
    assert cases[1].facts == clue.detail
    assert list(cases[0].clues.all()) == [clue]


def test_a_case_clue_never_becomes_a_warning(register, users, cadres):
    clue = register(username="qs_jiwei", cadre="MH0007")
    other = register(username="qs_jiwei", cadre="MH0007")
    services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.CASE_CLUE,
                         reason="已构成违纪，移送案件查办", verifiable=True)
    clue.refresh_from_db()
    assert clue.status == Clue.Status.CASE_CLUE
    # not by screening again (the refusal cites 第十四条) …
    with pytest.raises(ValidationError) as info:
        services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.HANDLE, reason="改为预警",
                             verifiable=True, proposals=[Proposal(cadres["MH0007"].pk, "inquiry")])
    assert info.value.message_dict == {"outcome": ["属于案件线索的不能实施预警（第十四条）"]}
    with pytest.raises(ValidationError, match="已筛选"):  # nor to anything else: it is screened
        services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.NO_ACTION, reason="x")
    # … nor by proposing a case directly (the shell) …
    with pytest.raises(ValidationError) as info:
        propose_case(clues=[clue], target=cadres["MH0007"], measure="inquiry", facts="x",
                     unit_in_charge=clue.handling_unit, by=users["qs_jiwei"], today=TODAY)
    assert info.value.messages == ["属于案件线索的不能实施预警（第十四条）"]
    # … nor by merging it into a clue that will be handled, nor merging into it
    with pytest.raises(ValidationError) as info:
        services.merge_clues(target=other, others=[clue], by=users["qs_jiwei"], reason="重复")
    assert info.value.message_dict == {
        "others": [f"线索 {clue.number} 已筛选为案件线索，不能并入：属于案件线索的不能实施预警（第十四条）"]}
    other.refresh_from_db()
    assert (other.status, other.concerned.count()) == (Clue.Status.REGISTERED, 1)
    with pytest.raises(ValidationError, match="只能并入尚未筛选的线索"):
        services.merge_clues(target=clue, others=[other], by=users["qs_jiwei"], reason="重复")
    assert WarningCase.objects.count() == 0


def test_no_action_and_reason_required(register, users):
    clue = register(username="qs_jiwei", cadre="MH0007")
    with pytest.raises(ValidationError) as info:
        services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome="maybe", reason=" ")
    assert info.value.message_dict == {"outcome": ["请选择筛选结果"], "reason": ["请填写筛选意见（理由）"]}
    services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.NO_ACTION, reason="反映不实")
    clue.refresh_from_db()
    assert clue.status == Clue.Status.NO_ACTION


@pytest.mark.parametrize("username", ["qs_dangwei", "shuji", "renshe", "lianluo"])  # 404 or 403
def test_only_the_screening_bodies_screen(register, users, username):
    clue = register(username="qs_jiwei", cadre="MH0007")
    with pytest.raises((PermissionDenied, Http404)):
        services.screen_clue(clue=clue, by=users[username], today=TODAY, outcome=Outcome.NO_ACTION, reason="x")


def test_merge_keeps_every_source_and_feeds_each_back(register, users, cadres, demo):
    category = ProblemCategory.objects.get(name="违规收送礼品礼金")
    first = register(username="qs_jiwei", cadre="MH0007", channel="petition")
    second = register(username="qs_jiwei", cadre="MH0007", channel="member_unit", source_unit=demo["MH-SJ"],
                      concerned=[Concerned(cadre_id=cadres["MH0007"].pk), Concerned(cadre_id=cadres["MH0008"].pk)],
                      category_ids=[category.pk])
    services.merge_clues(target=first, others=[second], by=users["qs_jiwei"], reason="反映同一问题")
    second.refresh_from_db()
    assert (second.status, second.merged_into) == ("merged", first)
    assert sorted(first.concerned.values_list("cadre__code", flat=True)) == ["MH0007", "MH0008"]
    assert list(first.categories.all()) == [category]
    with pytest.raises(ValidationError, match="尚未办结"):
        services.send_feedback(clue=first, content="已办结", by=users["qs_jiwei"], today=TODAY)
    services.screen_clue(clue=first, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.NO_ACTION, reason="不实")
    services.send_feedback(clue=first, content="经核查，反映问题不实，已了结。", by=users["qs_jiwei"], today=TODAY)
    assert sorted(ClueFeedback.objects.values_list("clue_id", "to_unit_id")) == sorted(
        [(first.pk, None), (second.pk, demo["MH-SJ"].pk)])


def test_merge_across_units_is_refused(register, users):
    here = register(username="qs_jiwei", cadre="MH0007")
    there = register(username="yjb", cadre="MH0001")
    with pytest.raises(Http404):
        services.merge_clues(target=here, others=[there], by=users["qs_jiwei"], reason="重复")
    with pytest.raises(ValidationError, match="由其他单位承办"):
        services.merge_clues(target=there, others=[here], by=users["yjb"], reason="重复")


def test_transfer_form_reaches_the_managing_units_discipline_body(users, cadres, demo):
    def transfer(*concerned, **kw):
        return services.file_transfer(
            by=users["lianluo"], today=TODAY, transferred_on=TODAY, summary="审计发现违规报销",
            detail="经济责任审计中发现。", concerned=list(concerned), contact_person="莫欣", contact_phone="0550-1234567",
            **kw)

    county = transfer(Concerned(cadre_id=cadres["MH0001"].pk))
    township = transfer(Concerned(cadre_id=cadres["MH0007"].pk), uploads=[Upload("审计报告.pdf", pdf_bytes())])
    unknown = transfer(Concerned(name="钱某", unit_text="某公司"))
    assert [c.handling_unit.code for c in (county, township, unknown)] == ["MH-JW-YJB", "MH-QS", "MH-JW-YJB"]
    assert county.channel == "member_unit" and county.source_unit == demo["MH-SJ"]
    assert county.transfer.from_unit == demo["MH-SJ"] and county.transfer.filed_by == users["lianluo"]
    assert township.attachments.count() == 1
    with pytest.raises(ValidationError, match="分别填写移送表"):
        transfer(Concerned(cadre_id=cadres["MH0001"].pk), Concerned(cadre_id=cadres["MH0007"].pk))
    with pytest.raises(ValidationError) as info:
        services.file_transfer(by=users["lianluo"], today=TODAY, transferred_on=date(2027, 1, 1), summary="x",
                               detail="x", concerned=[Concerned(cadre_id=cadres["MH0001"].pk)], contact_person="",
                               contact_phone="")
    assert info.value.message_dict == {"transferred_on": ["日期不能晚于今天"], "contact_person": ["请填写联系人"],
                                       "contact_phone": ["请填写联系电话"]}
    with pytest.raises(PermissionDenied):
        services.file_transfer(by=users["yjb"], today=TODAY, transferred_on=TODAY, summary="x", detail="x",
                               concerned=[Concerned(cadre_id=cadres["MH0001"].pk)], contact_person="a",
                               contact_phone="1")


def test_a_liaison_sees_only_their_units_transfers_and_their_progress(users, cadres, demo):
    from tests.factories import make_user
    from yujing.orgs.roles import Role

    services.file_transfer(by=users["lianluo"], today=TODAY, transferred_on=TODAY, summary="审计发现",
                           detail="x", concerned=[Concerned(cadre_id=cadres["MH0007"].pk)], contact_person="莫",
                           contact_phone="1")
    other = make_user("cz_liaison", Role.LIAISON, demo["MH-CZ"])
    assert selectors.transfer_list(user=other).count() == 0
    mine = selectors.transfer_list(user=users["lianluo"])
    assert mine.count() == 1
    clue = mine.get()
    assert selectors.liaison_progress(clue) == "已接收，正在筛选"
    with pytest.raises(Http404):
        selectors.transfer_get(user=other, pk=clue.pk)
    assert selectors.clue_list(user=users["lianluo"], today=TODAY).count() == 0
    services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.CASE_CLUE, reason="立案")
    assert selectors.liaison_progress(selectors.transfer_get(user=users["lianluo"], pk=clue.pk)) == "已按规定处理"
    services.send_feedback(clue=clue, content="已按规定处理。", by=users["qs_jiwei"], today=TODAY)
    assert selectors.liaison_progress(selectors.transfer_get(user=users["lianluo"], pk=clue.pk)) == "已办结并反馈"


VISIBLE = {"yjb": 3, "shuji": 3, "fushuji": 3, "changwei": 3, "qs_jiwei": 1, "qs_dangwei": 0, "xianwei": 0,
           "lianluo": 0, "zuzhibu": 0, "renshe": 0, "admin": 0}


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_clue_list_is_scoped_to_jurisdiction(register, users, username):
    register(username="yjb", cadre="MH0001")
    register(username="qs_jiwei", cadre="MH0007")
    register(username="yjb", cadre="MH0016")
    assert selectors.clue_list(user=users[username], today=TODAY).count() == VISIBLE[username]


def test_lateness_is_derived_on_the_right_day(register, users):
    clue = register(received_on=date(2026, 11, 2))
    assert clue.screening_due == date(2026, 11, 17)
    assert not selectors.clue_list(user=users["yjb"], today=date(2026, 11, 17)).get().is_late
    assert selectors.clue_list(user=users["yjb"], today=date(2026, 11, 18)).get().is_late
    late = selectors.ClueFilters(late=True)
    assert selectors.clue_list(user=users["yjb"], today=date(2026, 11, 18), filters=late).count() == 1
    services.screen_clue(clue=clue, by=users["yjb"], today=date(2026, 11, 18), outcome=Outcome.NO_ACTION, reason="x")
    assert not selectors.clue_list(user=users["yjb"], today=date(2026, 11, 30)).get().is_late


def test_open_items_warn_only_within_jurisdiction(register, users, cadres):
    register(username="yjb", cadre="MH0001")
    pk = cadres["MH0001"].pk
    assert selectors.open_items(user=users["yjb"], cadre_ids=[pk])[pk] == {"clues": 1, "cases": 0}
    assert selectors.open_items(user=users["qs_jiwei"], cadre_ids=[pk])[pk] == {"clues": 0, "cases": 0}
    assert selectors.open_items(user=users["lianluo"], cadre_ids=[pk])[pk] == {"clues": 0, "cases": 0}


def test_attachments_added_later_are_checked_and_logged(register, users):
    clue = register(username="qs_jiwei", cadre="MH0007")
    services.add_attachments(clue=clue, uploads=[Upload("补充.pdf", pdf_bytes())], by=users["qs_jiwei"])
    assert Attachment.objects.filter(clue=clue).count() == 1
    assert Event.objects.filter(action="clues.attachment.added", object_id=str(clue.pk)).count() == 1
    with pytest.raises(ValidationError):
        services.add_attachments(clue=clue, uploads=[Upload("x.exe", b"MZ")], by=users["qs_jiwei"])
    with pytest.raises(PermissionDenied):
        services.add_attachments(clue=clue, uploads=[Upload("补充.pdf", pdf_bytes())], by=users["shuji"])


def test_warning_office_is_required_for_county_managed_cadres(users, cadres):
    from yujing.clues.services import handling_unit_for

    assert handling_unit_for(Unit.objects.get(code="MH-XW")).code == "MH-JW-YJB"
    assert handling_unit_for(Unit.objects.get(code="MH-BS")).code == "MH-BS"


def test_only_duplicates_about_the_same_cadre_merge_and_only_into_an_unscreened_clue(register, users):
    first = register(username="qs_jiwei", cadre="MH0007")
    other_cadre = register(username="qs_jiwei", cadre="MH0008")
    with pytest.raises(ValidationError, match="不涉及同一干部，不是重复线索"):
        services.merge_clues(target=first, others=[other_cadre], by=users["qs_jiwei"], reason="重复")
    handled = register(username="qs_jiwei", cadre="MH0007")
    services.screen_clue(clue=handled, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.NO_ACTION, reason="不实")
    with pytest.raises(ValidationError, match="只能并入尚未筛选的线索"):
        services.merge_clues(target=handled, others=[first], by=users["qs_jiwei"], reason="重复")


def test_a_liaison_does_not_see_people_merged_into_their_transfer(users, cadres, register):
    transfer = services.file_transfer(
        by=users["lianluo"], today=TODAY, transferred_on=TODAY, summary="审计发现", detail="x",
        concerned=[Concerned(cadre_id=cadres["MH0007"].pk)], contact_person="莫", contact_phone="1")
    petition = register(username="qs_jiwei", cadre="MH0007",
                        concerned=[Concerned(cadre_id=cadres["MH0007"].pk), Concerned(cadre_id=cadres["MH0008"].pk)])
    services.merge_clues(target=transfer, others=[petition], by=users["qs_jiwei"], reason="同一问题")
    seen = selectors.transfer_get(user=users["lianluo"], pk=transfer.pk)
    assert [c.name for c in seen.concerned.all()] == [cadres["MH0007"].name]
    assert transfer.concerned.count() == 2  # the discipline body sees both


def test_a_user_in_two_units_chooses_the_registering_unit(users, cadres, demo):
    from tests.factories import make_user
    from yujing.orgs import services as org_services
    from yujing.orgs.roles import Role

    both = make_user("two_hats", Role.DISCIPLINE_BODY, demo["MH-QS"])
    org_services.assign_role(user=both, unit=demo["MH-BS"], role=Role.DISCIPLINE_BODY)
    args = {"by": both, "today": TODAY, "received_on": TODAY, "channel": "petition", "summary": "x", "detail": "x",
            "concerned": [Concerned(cadre_id=cadres["MH0016"].pk)]}
    with pytest.raises(ValidationError, match="请选择以哪个单位登记"):
        services.register_clue(**args)
    with pytest.raises(PermissionDenied):
        services.register_clue(**args, handling_unit=demo["MH-LX"])
    assert services.register_clue(**args, handling_unit=demo["MH-BS"]).handling_unit == demo["MH-BS"]


def _screening_queue(user, today=TODAY) -> list[tuple[str, date]]:
    from yujing.oversight.selectors import my_work

    return [(r.item.title.split()[0], r.item.due) for r in my_work(user=user, today=today) if r.item.kind == "screening"]


@pytest.mark.parametrize("outcome", [Outcome.NO_ACTION, Outcome.CASE_CLUE, Outcome.HANDLE])
def test_a_clue_about_a_cadre_managed_above_can_only_be_reported_up(register, users, demo, cadres, outcome):
    # MH0001, 青石镇党委书记, is managed by the county committee: 属上级管辖的，及时报告 (第十四条)
    clue = register(username="qs_jiwei", cadre="MH0001")
    assert services.screening_outcomes(services.outside_jurisdiction(clue)) == ((Outcome.REPORT_UP, "报送有管辖权的单位"),)
    with pytest.raises(ValidationError) as info:
        services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=outcome, reason="镇纪委处理",
                             verifiable=True, proposals=[Proposal(cadres["MH0001"].pk, "inquiry")])
    assert info.value.message_dict == {"outcome": [
        f"{cadres['MH0001'].name}由中共明湖县委员会管理，属上级管辖的，应及时报告明湖县领导干部廉洁自律预警机制工作办公室（第十四条）"]}
    clue.refresh_from_db()
    assert (clue.status, clue.screened_on, clue.handling_unit) == (Clue.Status.REGISTERED, None, demo["MH-QS"])
    assert not Event.objects.filter(action="clues.clue.screened").exists()
    assert WarningCase.objects.count() == 0 and Routing.objects.count() == 0


def test_a_clue_reported_up_waits_in_the_managing_bodys_queue_not_the_reporters(register, users, demo):
    clue = register(username="qs_jiwei", cadre="MH0001", received_on=date(2026, 11, 13))
    office = demo["MH-JW-YJB"]
    assert _screening_queue(users["qs_jiwei"]) == [(clue.number, date(2026, 11, 30))]
    waiting_here = selectors.ClueFilters(status=Clue.Status.REGISTERED, unit_id=office.pk)
    assert list(selectors.clue_list(user=users["yjb"], today=TODAY, filters=waiting_here)) == []
    services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.REPORT_UP, reason="属县管干部")
    assert _screening_queue(users["qs_jiwei"]) == []
    # in the county office's queue, with its own time limit from the day it arrived (12-05 is a Saturday)
    assert _screening_queue(users["yjb"]) == [(clue.number, date(2026, 12, 7))]
    assert [c.number for c in selectors.clue_list(user=users["yjb"], today=TODAY, filters=waiting_here)] == [
        clue.number]
    waiting = selectors.ClueFilters(status=Clue.Status.REGISTERED)
    assert list(selectors.clue_list(user=users["qs_jiwei"], today=TODAY, filters=waiting)) == []
    # the managing body screens it afresh, with every outcome open to it
    fresh = Clue.objects.get(pk=clue.pk)
    assert fresh.handling_unit == demo["MH-JW-YJB"]
    assert [key for key, _ in services.screening_outcomes(services.outside_jurisdiction(fresh))] == [
        Outcome.HANDLE, Outcome.REPORT_UP, Outcome.CASE_CLUE, Outcome.NO_ACTION]
    services.screen_clue(clue=fresh, by=users["yjb"], today=TODAY, outcome=Outcome.NO_ACTION, reason="反映不实")
    assert Clue.objects.get(pk=clue.pk).status == Clue.Status.NO_ACTION


def test_a_clue_naming_cadres_managed_here_and_above_goes_up_whole(register, users, demo, cadres):
    # MH0001 is county-managed, MH0007 (青石镇财政所所长) township-managed: the higher body takes the clue
    clue = register(username="qs_jiwei", concerned=[Concerned(cadre_id=cadres["MH0007"].pk),
                                                    Concerned(cadre_id=cadres["MH0001"].pk)])
    for outcome in (Outcome.HANDLE, Outcome.NO_ACTION):
        with pytest.raises(ValidationError) as info:
            services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=outcome, reason="本级",
                                 verifiable=True, proposals=[Proposal(cadres["MH0007"].pk, "inquiry")])
        assert info.value.message_dict == {"outcome": [
            f"{cadres['MH0001'].name}由中共明湖县委员会管理，属上级管辖的，应及时报告明湖县领导干部廉洁自律预警机制工作办公室（第十四条）"]}
    services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.REPORT_UP, reason="涉县管干部")
    routing = Routing.objects.get(clue=clue)
    assert (routing.direction, routing.from_unit, routing.to_unit) == ("up", demo["MH-QS"], demo["MH-JW-YJB"])
    clue = Clue.objects.get(pk=clue.pk)
    assert clue.concerned.count() == 2
    # the county office handles the cadre it manages; the township's cadre is not its to warn (第十五条)
    with pytest.raises(ValidationError) as info:
        services.screen_clue(clue=clue, by=users["yjb"], today=TODAY, outcome=Outcome.HANDLE, reason="县管干部",
                             verifiable=False, proposals=[Proposal(cadres["MH0001"].pk, "inquiry"),
                                                          Proposal(cadres["MH0007"].pk, "inquiry")])
    assert info.value.message_dict == {"proposals": [
        f"{cadres['MH0007'].name}由明湖县青石镇按干部管理权限管辖，本单位不能对其提出预警建议（第十四条）"]}
    services.screen_clue(clue=clue, by=users["yjb"], today=TODAY, outcome=Outcome.HANDLE, reason="县管干部",
                         verifiable=False, proposals=[Proposal(cadres["MH0001"].pk, "inquiry")])
    case = WarningCase.objects.get()
    assert (case.target, case.unit_in_charge, case.status) == (cadres["MH0001"], demo["MH-JW-YJB"], "proposed")


def test_a_clue_about_another_units_cadre_can_only_be_passed_to_that_unit(register, users, demo, cadres):
    # MH0016 is 白沙镇's own cadre: 青石镇 has no jurisdiction over it, nor is it above
    clue = register(username="qs_jiwei", cadre="MH0016")
    with pytest.raises(ValidationError) as info:
        services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.NO_ACTION, reason="了结")
    assert info.value.message_dict == {"outcome": [
        f"{cadres['MH0016'].name}由明湖县白沙镇管理，不属本单位管辖，应报送明湖县白沙镇（第十四条）"]}
    services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.REPORT_UP, reason="白沙镇干部")
    assert Clue.objects.get(pk=clue.pk).handling_unit == demo["MH-BS"]


def test_a_clue_about_cadres_of_two_townships_goes_to_the_county_office(register, users, demo, cadres):
    clue = register(username="qs_jiwei", concerned=[Concerned(cadre_id=cadres["MH0007"].pk),
                                                    Concerned(cadre_id=cadres["MH0016"].pk)])
    with pytest.raises(ValidationError) as info:
        services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.CASE_CLUE, reason="移送")
    assert info.value.message_dict == {"outcome": [
        f"{cadres['MH0016'].name}由明湖县白沙镇管理，不属本单位管辖，应报送明湖县领导干部廉洁自律预警机制工作办公室（第十四条）"]}
    services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.REPORT_UP, reason="涉两镇")
    assert Clue.objects.get(pk=clue.pk).handling_unit == demo["MH-JW-YJB"]


def test_a_clue_naming_no_rostered_cadre_is_screened_where_it_is(register, users):
    # nobody on the roster: the clue cannot be shown to be managed above, so the unit that has it screens it
    clue = register(username="qs_jiwei", cadre=None, concerned=[Concerned(name="孙某", position_text="村会计")])
    assert len(services.screening_outcomes(services.outside_jurisdiction(clue))) == 4
    with pytest.raises(ValidationError) as info:
        services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.REPORT_UP, reason="x")
    assert info.value.message_dict == {"outcome": ["线索所涉干部不在名册中，无法确定有管辖权的单位；请先补充名册"]}
    services.screen_clue(clue=clue, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.NO_ACTION, reason="非干部")
    assert Clue.objects.get(pk=clue.pk).status == Clue.Status.NO_ACTION


def test_the_county_may_close_a_clue_about_a_cadre_managed_below(register, users, cadres):
    # the duty of 第十四条 runs upward: the county office may pass a township cadre's clue on as a case clue,
    # though it may not itself handle it as a warning (that is the managing unit's, 第十五条)
    clue = register(username="yjb", cadre="MH0007")
    assert len(services.screening_outcomes(services.outside_jurisdiction(clue))) == 4
    services.screen_clue(clue=clue, by=users["yjb"], today=TODAY, outcome=Outcome.CASE_CLUE, reason="移送案件查办")
    assert Clue.objects.get(pk=clue.pk).status == Clue.Status.CASE_CLUE
