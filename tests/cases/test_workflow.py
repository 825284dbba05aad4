"""The whole workflow of 第十五至三十一条, with exact dates, through the service functions."""


import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yujing.audit.models import Event
from yujing.cadres.models import IntegrityRecord
from yujing.cases import selectors
from yujing.cases import services as cs
from yujing.cases.models import Status, WarningCase
from yujing.cases.workflow import WorkflowError
from yujing.clues.models import ClueFeedback

from .conftest import D, at


def test_admonition_by_talk_from_proposal_to_lifting(open_case, users):
    office, secretary = users["yjb"], users["shuji"]
    case = open_case("admonition", "MH0001", on="2026-09-02")  # 青石镇党委书记: a township principal
    assert (case.status, case.proposed_on, case.unit_in_charge.code) == ("proposed", D("2026-09-02"), "MH-JW-YJB")

    with pytest.raises(ValidationError, match="警示诫勉对象须在了解、初核或调查后审定（第十六条）"):
        cs.decide(case=case, by=secretary, today=D("2026-09-03"), approve=True)
    cs.record_verification(case=case, by=office, today=D("2026-09-03"), method="preliminary", done_on=D("2026-09-03"),
                           findings="初核情况属实", conclusion="true")
    with pytest.raises(PermissionDenied, match="警示诫勉的审批须由县纪委书记、县纪委常委决定"):
        cs.decide(case=case, by=users["fushuji"], today=D("2026-09-04"), approve=True)
    cs.decide(case=case, by=secretary, today=D("2026-09-04"), approve=True, opinion="同意")
    case.refresh_from_db()
    assert (case.status, case.approved_on, case.implementation_due) == ("approved", D("2026-09-04"), D("2026-09-11"))

    with pytest.raises(ValidationError) as info:
        cs.plan_talk(case=case, by=office, today=D("2026-09-05"), outline="提纲", chief=users["fushuji"],
                     other_talkers=[], scheduled_at=at("2026-09-09"), place="县纪委谈话室")
    assert info.value.message_dict == {
        "other_talkers": ["谈话必须有2人以上参加（第二十二条）"],
        "chief": [f"对{case.target.name}的谈话须由县纪委书记主谈，必要时可请县委、县政府有关领导主谈（第二十条、第二十二条）"],
    }
    cs.plan_talk(case=case, by=office, today=D("2026-09-05"), outline="一、指出问题；二、提出要求", chief=secretary,
                 other_talkers=["方晓春"], scheduled_at=at("2026-09-09"), place="县纪委谈话室")
    with pytest.raises(ValidationError, match="请先制定谈话方案并书面通知预警对象"):
        cs.hold_talk(case=case, by=office, today=D("2026-09-09"), held_on=D("2026-09-09"), record="记录")
    cs.notify_talk(case=case, by=office, today=D("2026-09-07"), sent_on=D("2026-09-07"))
    cs.hold_talk(case=case, by=office, today=D("2026-09-09"), held_on=D("2026-09-09"), record="谈话记录全文")
    case.refresh_from_db()
    assert case.status == "approved"  # not done until the target has signed the record
    cs.hold_talk(case=case, by=office, today=D("2026-09-10"), signed_on=D("2026-09-10"))
    case.refresh_from_db()
    assert (case.status, case.delivery, case.implemented_on) == ("implemented", "talk", D("2026-09-09"))

    with pytest.raises(ValidationError, match="整改要求须经领导批准后"):
        cs.write_register(case=case, by=office, today=D("2026-09-11"), content="三个月内退还礼金并作出书面检查")
        cs.issue_letter(case=case, by=office, today=D("2026-09-11"), kind="admonition_notice",
                        issued_on=D("2026-09-11"), content="要求")
    with pytest.raises(PermissionDenied):
        cs.approve_register(case=case, by=office, today=D("2026-09-14"))
    cs.approve_register(case=case, by=secretary, today=D("2026-09-14"))
    cs.issue_letter(case=case, by=office, today=D("2026-09-15"), kind="admonition_notice", issued_on=D("2026-09-15"),
                    content="限期整改")
    cs.record_receipt(case=case, by=office, today=D("2026-09-16"), received_on=D("2026-09-16"))
    case.refresh_from_db()
    # 10 days from receipt: 09-26 is in the Mid-Autumn holiday (09-25..27), so 09-28
    assert (case.status, case.response_start, case.response_due) == ("awaiting_response", D("2026-09-16"),
                                                                      D("2026-09-28"))
    assert selectors.restrictions(cadre_ids=[case.target_id], today=D("2026-09-15"))[case.target_id] == []
    restricted = selectors.restrictions(cadre_ids=[case.target_id], today=D("2026-09-16"))[case.target_id]
    assert [(r.case.pk, r.since, r.until) for r in restricted] == [(case.pk, D("2026-09-16"), D("2026-09-28"))]

    cs.record_response(case=case, by=office, today=D("2026-09-25"), received_on=D("2026-09-25"), content="已退还并检查")
    case.refresh_from_db()
    assert (case.status, case.responded_on) == ("responded", D("2026-09-25"))
    assert not case.responses.get().late
    cs.lift(case=case, by=users["fushuji"], today=D("2026-10-09"), basis="已按要求整改")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("lifted", D("2026-10-09"))
    assert selectors.restrictions(cadre_ids=[case.target_id], today=D("2026-10-09"))[case.target_id] == []
    assert len(selectors.restrictions(cadre_ids=[case.target_id], today=D("2026-10-08"))[case.target_id]) == 1
    # the source of the clue is told, once the case has ended (第十四条)
    feedback = ClueFeedback.objects.get()
    assert "已解除预警" in feedback.content and feedback.sent_on == D("2026-10-09")
    # every transition wrote exactly one event
    actions = list(Event.objects.filter(object_type="cases.warningcase", object_id=str(case.pk))
                   .values_list("action", flat=True))
    assert actions == [
        "cases.case.proposed", "cases.case.verify", "cases.case.approve", "cases.case.plan_talk",
        "cases.case.notify_talk", "cases.case.hold_talk", "cases.case.hold_talk", "cases.case.write_register",
        "cases.case.approve_register", "cases.case.issue_letter", "cases.case.record_receipt",
        "cases.case.record_response", "cases.case.lift",
    ]


def test_correction_by_letter_with_extensions_up_to_the_cap(approved, users):
    office, secretary = users["yjb"], users["shuji"]
    case = approved("correction", "MH0002", on="2026-01-05", approve_on="2026-01-05")
    assert case.implementation_due == D("2026-01-12")
    cs.write_register(case=case, by=office, today=D("2026-01-06"), content="一个月内纠正")
    cs.approve_register(case=case, by=secretary, today=D("2026-01-06"))
    with pytest.raises(ValidationError, match="责令纠错须先报告县委主要领导"):
        cs.issue_letter(case=case, by=office, today=D("2026-01-07"), kind="correction_notice",
                        issued_on=D("2026-01-07"), content="责令纠正")
    with pytest.raises(ValidationError, match="责令纠错应使用责令纠错通知书、纪律检查\\(行政监察\\)建议书"):
        cs.issue_letter(case=case, by=office, today=D("2026-01-07"), kind="inquiry_letter",
                        issued_on=D("2026-01-07"), content="x")
    cs.report_to_chief(case=case, by=office, today=D("2026-01-06"), reported_on=D("2026-01-06"), note="报告")
    assert case.chiefreports.get().chief == users["xianwei"]
    cs.issue_letter(case=case, by=office, today=D("2026-01-07"), kind="correction_notice", issued_on=D("2026-01-07"),
                    content="责令纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-01-31"), received_on=D("2026-01-31"))
    case.refresh_from_db()
    assert case.response_due == D("2026-02-28")  # 01-31 + 1 month; that Saturday is a working day
    assert cs.extension_cap(case) == D("2026-03-31")  # (1 + 1) months from 01-31, not 02-28 + 1 month
    with pytest.raises(ValidationError) as info:
        cs.request_extension(case=case, by=office, today=D("2026-02-10"), reason="工程未完工",
                             requested_until=D("2026-04-15"))
    assert info.value.message_dict == {"requested_until": ["延长整改期限累计不得超过1个月，最迟只能延至2026年3月31日（第三十条）"]}
    cs.request_extension(case=case, by=office, today=D("2026-02-10"), reason="工程未完工", requested_until=D("2026-03-20"))
    with pytest.raises(PermissionDenied):
        cs.decide_extension(case=case, by=users["changwei"], today=D("2026-02-12"), approve=True)
    cs.decide_extension(case=case, by=secretary, today=D("2026-02-12"), approve=True, note="同意")
    case.refresh_from_db()
    assert case.response_due == D("2026-03-20")
    cs.request_extension(case=case, by=office, today=D("2026-03-10"), reason="仍需时间", requested_until=D("2026-03-31"))
    cs.decide_extension(case=case, by=users["fushuji"], today=D("2026-03-11"), approve=True)
    case.refresh_from_db()
    assert case.response_due == D("2026-03-31")
    with pytest.raises(ValidationError, match="最迟只能延至2026年3月31日"):
        cs.request_extension(case=case, by=office, today=D("2026-03-20"), reason="再延", requested_until=D("2026-04-01"))
    assert [x.new_due for x in case.extensions.order_by("id")] == [D("2026-03-20"), D("2026-03-31")]


def test_an_extension_decided_after_the_deadline_is_refused(approved, users):
    office = users["yjb"]
    case = approved("correction", "MH0002", on="2026-01-05", approve_on="2026-01-05")
    cs.report_to_chief(case=case, by=office, today=D("2026-01-05"), reported_on=D("2026-01-05"))
    cs.write_register(case=case, by=office, today=D("2026-01-05"), content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-01-05"))
    cs.issue_letter(case=case, by=office, today=D("2026-01-06"), kind="correction_notice", issued_on=D("2026-01-06"),
                    content="纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-01-31"), received_on=D("2026-01-31"))
    cs.request_extension(case=case, by=office, today=D("2026-02-27"), reason="特殊情况", requested_until=D("2026-03-15"))
    with pytest.raises(ValidationError, match="整改期限已届满，不能再批准延期"):
        cs.decide_extension(case=case, by=users["shuji"], today=D("2026-03-01"), approve=True)
    with pytest.raises(ValidationError, match="不予批准须说明理由"):
        cs.decide_extension(case=case, by=users["shuji"], today=D("2026-03-01"), approve=False)
    cs.decide_extension(case=case, by=users["shuji"], today=D("2026-03-01"), approve=False, note="已逾期")
    with pytest.raises(ValidationError, match="整改期限已届满，不能再申请延期"):
        cs.request_extension(case=case, by=office, today=D("2026-03-01"), reason="再申请", requested_until=D("2026-03-20"))
    # not corrected by the deadline: organisational handling (第三十一条); the restriction lasts until then
    assert len(selectors.restrictions(cadre_ids=[case.target_id], today=D("2026-03-05"))[case.target_id]) == 1
    with pytest.raises(ValidationError, match="不能转警示诫勉"):
        cs.escalate(case=case, by=users["shuji"], today=D("2026-03-05"), kind="admonition", basis="x")
    cs.escalate(case=case, by=users["shuji"], today=D("2026-03-05"), kind="organisational", basis="逾期未纠正")
    case.refresh_from_db()
    assert (case.status, case.escalation, case.closed_on) == ("escalated", "organisational", D("2026-03-05"))
    assert selectors.restrictions(cadre_ids=[case.target_id], today=D("2026-03-05"))[case.target_id] == []
    assert IntegrityRecord.objects.filter(cadre=case.target, title__startswith="责令纠错结果：转组织处理").count() == 1


def test_correction_lifting_needs_revisit_notices_and_records_the_integrity_file(approved, users, demo):
    office = users["yjb"]
    case = approved("correction", "MH0002", on="2026-03-02", approve_on="2026-03-02")
    cs.report_to_chief(case=case, by=office, today=D("2026-03-03"), reported_on=D("2026-03-03"))
    cs.write_register(case=case, by=office, today=D("2026-03-03"), content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-03-03"))
    cs.issue_letter(case=case, by=office, today=D("2026-03-04"), kind="correction_notice", issued_on=D("2026-03-04"),
                    content="纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-03-05"), received_on=D("2026-03-05"))
    cs.record_response(case=case, by=office, today=D("2026-04-10"), received_on=D("2026-04-10"), content="已纠正")
    case.refresh_from_db()
    assert case.response_due == D("2026-04-07") and case.responses.get().late  # accepted, but late
    with pytest.raises(ValidationError) as info:
        cs.lift(case=case, by=users["shuji"], today=D("2026-04-20"), basis="达到要求")
    assert info.value.messages == ["不能解除预警：尚未回访（第三十条）；尚未书面通报组织部门、人事部门、所在单位党组织（第三十一条）"]
    cs.record_revisit(case=case, by=office, today=D("2026-04-15"), methods=["symposium"], done_on=D("2026-04-15"),
                      findings="座谈了解已纠正", meets_requirement=True)
    for recipient in ("organization_dept", "personnel_dept", "unit_party_org"):
        cs.send_notice(case=case, by=office, today=D("2026-04-16"), recipient=recipient, sent_on=D("2026-04-16"),
                       content="通报责令纠错情况")
    assert {n.recipient_unit.code for n in case.notices.all()} == {"MH-ZZB", "MH-RS", "MH-QS"}
    with pytest.raises(ValidationError, match="已向该对象通报"):
        cs.send_notice(case=case, by=office, today=D("2026-04-16"), recipient="personnel_dept", sent_on=D("2026-04-16"),
                       content="重复")
    cs.lift(case=case, by=users["shuji"], today=D("2026-04-20"), basis="经回访达到整改要求")
    records = IntegrityRecord.objects.filter(cadre=case.target).order_by("id")
    assert [r.title for r in records] == [f"责令纠错（{case.number}）", f"责令纠错结果：解除预警（{case.number}）"]
    # the departments see the notices addressed to them, nothing else
    assert [n.case_id for n in selectors.notices_for(user=users["zuzhibu"])] == [case.pk]
    assert selectors.notices_for(user=users["lianluo"]).count() == 0
    assert [r.case_id for r in selectors.chief_reports_for(user=users["xianwei"])] == [case.pk]


def test_inquiry_talk_starts_the_clock_on_the_day_of_the_talk_and_escalates_on_renewed_complaints(open_case, users):
    office = users["yjb"]
    case = open_case("inquiry", "MH0003", on="2026-06-01")  # 党委副书记: not a principal
    with pytest.raises(PermissionDenied, match="谈话函询的审批须由县纪委分管副书记、县纪委书记决定"):
        cs.decide(case=case, by=users["changwei"], today=D("2026-06-01"), approve=True)
    cs.decide(case=case, by=users["fushuji"], today=D("2026-06-01"), approve=True)  # no verification needed (第十六条)
    cs.plan_talk(case=case, by=office, today=D("2026-06-02"), outline="了解澄清", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-06-05"), place="谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-06-03"), sent_on=D("2026-06-03"))
    cs.hold_talk(case=case, by=office, today=D("2026-06-05"), held_on=D("2026-06-05"), record="记录",
                 signed_on=D("2026-06-05"))
    case.refresh_from_db()
    # no notice follows an inquiry talk: 10 days from the talk, 06-15 (a Monday)
    assert (case.status, case.response_start, case.response_due) == ("awaiting_response", D("2026-06-05"),
                                                                      D("2026-06-15"))
    assert selectors.restrictions(cadre_ids=[case.target_id], today=D("2026-06-06"))[case.target_id] == []
    with pytest.raises(ValidationError, match="不能发出预警文书"):
        cs.issue_letter(case=case, by=office, today=D("2026-06-06"), kind="inquiry_letter", issued_on=D("2026-06-06"),
                        content="x")
    with pytest.raises(ValidationError, match="经调查属实的，才能转警示诫勉"):
        cs.escalate(case=case, by=users["shuji"], today=D("2026-06-20"), kind="admonition", basis="群众仍有反映")
    cs.record_verification(case=case, by=office, today=D("2026-06-18"), method="investigation",
                           done_on=D("2026-06-18"), findings="再次反映的问题经调查属实", conclusion="true")
    ending = cs.escalate(case=case, by=users["shuji"], today=D("2026-06-20"), kind="admonition", basis="群众仍有反映且属实")
    case.refresh_from_db()
    new = ending.new_case
    assert (case.status, new.status, new.measure, new.escalated_from) == ("escalated", "proposed", "admonition", case)
    assert list(new.clues.all()) == list(case.clues.all())
    assert ClueFeedback.objects.count() == 0  # the clue's warning goes on in the new case


def test_unit_level_cases_are_decided_and_talked_by_the_unit(approved, open_case, users):
    case = open_case("admonition", "MH0007", on="2026-05-06")
    cs.record_verification(case=case, by=users["qs_jiwei"], today=D("2026-05-06"), method="inquiry",
                           done_on=D("2026-05-06"), findings="了解属实", conclusion="partly_true")
    with pytest.raises(PermissionDenied, match="单位党委\\(党组\\)负责人"):
        cs.decide(case=case, by=users["shuji"], today=D("2026-05-07"), approve=True)
    cs.decide(case=case, by=users["qs_dangwei"], today=D("2026-05-07"), approve=True)
    case.refresh_from_db()
    assert case.implementation_due == D("2026-05-14")
    with pytest.raises(ValidationError, match="须由单位党委\\(党组\\)负责人、单位纪委\\(纪检组\\)主谈"):
        cs.plan_talk(case=case, by=users["qs_jiwei"], today=D("2026-05-08"), outline="提纲", chief=users["fushuji"],
                     other_talkers=["汤宁"], scheduled_at=at("2026-05-11"), place="镇会议室")
    cs.plan_talk(case=case, by=users["qs_jiwei"], today=D("2026-05-08"), outline="提纲", chief=users["qs_dangwei"],
                 other_talkers=["汤宁"], scheduled_at=at("2026-05-11"), place="镇会议室")


def test_a_verifiable_clue_needs_verification_before_any_talk_or_letter(open_case, users):
    case = open_case("inquiry", "MH0003", on="2026-06-01", verifiable=True)
    with pytest.raises(ValidationError, match="线索具有可查性，须先核查（第三十三条\\(三\\)）"):
        cs.decide(case=case, by=users["fushuji"], today=D("2026-06-01"), approve=True)


def test_standing_committee_decisions_record_their_meeting_and_referral_binds(open_case, users):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-02"), method="preliminary",
                           done_on=D("2026-09-02"), findings="属实", conclusion="true")
    cs.refer_to_committee(case=case, by=users["shuji"], today=D("2026-09-03"))
    with pytest.raises(PermissionDenied, match="须由县纪委常委决定"):
        cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=True)
    with pytest.raises(ValidationError) as info:
        cs.decide(case=case, by=users["changwei"], today=D("2026-09-04"), approve=True)
    assert info.value.message_dict == {"meeting": ["常委会研究确定的，须填写会议（如 2026年第12次常委会）"],
                                       "meeting_on": ["请填写日期"]}
    decision = cs.decide(case=case, by=users["changwei"], today=D("2026-09-04"), approve=True,
                         meeting="2026年第15次常委会", meeting_on=D("2026-09-04"))
    assert (decision.by_committee, decision.role, decision.meeting) == (True, "standing_committee", "2026年第15次常委会")


def test_rejection_needs_a_reason_and_ends_the_case(open_case, users):
    case = open_case("inquiry", "MH0003", on="2026-06-01")
    with pytest.raises(ValidationError, match="不予批准须说明理由"):
        cs.decide(case=case, by=users["fushuji"], today=D("2026-06-02"), approve=False)
    cs.decide(case=case, by=users["fushuji"], today=D("2026-06-02"), approve=False, opinion="反映问题已查清")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("rejected", D("2026-06-02"))
    with pytest.raises(WorkflowError, match="预警事项当前为“未获批准”，不能审批同意"):
        cs.decide(case=case, by=users["fushuji"], today=D("2026-06-03"), approve=True)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c, u: cs.record_receipt(case=c, by=u["yjb"], today=D("2026-09-10"), received_on=D("2026-09-10")),
         "预警事项当前为“待审批”，不能记录送达"),
        (lambda c, u: cs.record_response(case=c, by=u["yjb"], today=D("2026-09-10"), received_on=D("2026-09-10"),
                                         content="x"), "不能收到书面答复或整改报告"),
        (lambda c, u: cs.lift(case=c, by=u["shuji"], today=D("2026-09-10"), basis="x"), "不能解除预警"),
        (lambda c, u: cs.hold_talk(case=c, by=u["yjb"], today=D("2026-09-10"), held_on=D("2026-09-10"), record="x"),
         "不能实施预警谈话"),
        (lambda c, u: cs.record_revisit(case=c, by=u["yjb"], today=D("2026-09-10"), methods=["report"],
                                        done_on=D("2026-09-10"), findings="x", meets_requirement=True), "不能回访"),
    ],
)
def test_no_step_out_of_order_changes_anything(open_case, users, call, message):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    events = Event.objects.count()
    with pytest.raises(WorkflowError, match=message):
        call(case, users)
    assert Event.objects.count() == events
    assert WarningCase.objects.get(pk=case.pk).status == Status.PROPOSED


def test_only_the_case_body_records_steps(open_case, users):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    with pytest.raises(PermissionDenied):
        cs.record_verification(case=case, by=users["shuji"], today=D("2026-09-02"), method="inquiry",
                               done_on=D("2026-09-02"), findings="x", conclusion="true")
    from django.http import Http404

    for outsider in ("qs_jiwei", "lianluo", "renshe"):
        with pytest.raises(Http404):
            cs.record_verification(case=case, by=users[outsider], today=D("2026-09-02"), method="inquiry",
                                   done_on=D("2026-09-02"), findings="x", conclusion="true")


def test_a_case_keeps_the_policy_it_started_under(open_case, users, settings, tmp_path):
    from yujing.policy.loader import reset_policy_cache
    from yujing.policy.schema import DEFAULT_POLICY

    old_case = open_case("inquiry", "MH0003", on="2026-06-01")
    custom = tmp_path / "new.toml"
    custom.write_text(DEFAULT_POLICY.read_text(encoding="utf-8").replace(
        'period = "7d"\nfrom = "approval"', 'period = "3wd"\nfrom = "approval"'), encoding="utf-8")
    settings.YUJING_POLICY = str(custom)
    reset_policy_cache()
    try:
        new_case = open_case("inquiry", "MH0004", on="2026-06-01")
        for case in (old_case, new_case):
            cs.decide(case=case, by=users["fushuji"], today=D("2026-06-01"), approve=True)
        old_case.refresh_from_db()
        new_case.refresh_from_db()
        assert old_case.implementation_due == D("2026-06-08")  # 7 days (Shou text)
        assert new_case.implementation_due == D("2026-06-04")  # 3 working days (the new policy)
        assert old_case.policy_version != new_case.policy_version
    finally:
        reset_policy_cache()


def test_integrity_file_and_ledger_list_every_case_once(approved, open_case, users):
    first = open_case("inquiry", "MH0001", on="2026-06-01")
    second = approved("admonition", "MH0001", on="2026-06-02", approve_on="2026-06-03")
    open_case("inquiry", "MH0003", on="2026-06-04")
    target = first.target
    assert [c.pk for c in selectors.integrity_cases(user=users["yjb"], cadre=target)] == [first.pk, second.pk]
    ledger = list(selectors.case_list(user=users["yjb"]))
    assert len(ledger) == len({c.pk for c in ledger}) == 3
    assert selectors.case_list(user=users["qs_jiwei"]).count() == 0


def test_facts_that_meet_filing_conditions_are_filed_not_warned(open_case, users):
    """第三十三条(五): 对应给予纪律处分，而以预警代之的 — refused, and case filing is open at once."""
    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-03"), method="investigation",
                           done_on=D("2026-09-03"), findings="收受礼金数额较大", conclusion="true", meets_filing=True)
    with pytest.raises(ValidationError, match="不得以预警代之"):
        cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=True)
    with pytest.raises(ValidationError, match=r"应当立案查处，不得以预警代之（第三十三条\(五\)）"):
        cs.escalate(case=case, by=users["shuji"], today=D("2026-09-04"), kind="correction", basis="x")
    ending = cs.escalate(case=case, by=users["shuji"], today=D("2026-09-04"), kind="case_filing", basis="构成立案条件")
    case.refresh_from_db()
    assert (case.status, case.escalation, ending.new_case) == ("escalated", "case_filing", None)


def test_the_chief_talker_counts_once_and_a_units_party_committee_may_talk(approved, users):
    case = approved("inquiry", "MH0003", on="2026-06-01", approve_on="2026-06-01", approver="fushuji")
    with pytest.raises(ValidationError, match="谈话必须有2人以上参加"):
        cs.plan_talk(case=case, by=users["yjb"], today=D("2026-06-02"), outline="提纲", chief=users["fushuji"],
                     other_talkers=["邵振东", " 邵振东 "], scheduled_at=at("2026-06-05"), place="谈话室")
    # 第二十二条 "其他领导干部由县纪委副书记或党委谈话": the target's own township party committee may lead
    talk = cs.plan_talk(case=case, by=users["yjb"], today=D("2026-06-02"), outline="提纲", chief=users["qs_dangwei"],
                        other_talkers=["方晓春"], scheduled_at=at("2026-06-05"), place="青石镇会议室")
    assert talk.chief_role == "party_committee"
    other = approved("inquiry", "MH0012", on="2026-06-01", approve_on="2026-06-01", approver="fushuji")  # 白沙镇
    with pytest.raises(ValidationError, match="主谈"):
        cs.plan_talk(case=other, by=users["yjb"], today=D("2026-06-02"), outline="提纲", chief=users["qs_dangwei"],
                     other_talkers=["方晓春"], scheduled_at=at("2026-06-05"), place="会议室")


def test_a_committee_decision_dates_from_its_meeting(open_case, users):
    case = open_case("correction", "MH0002", on="2026-09-01")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-02"), method="preliminary",
                           done_on=D("2026-09-02"), findings="属实", conclusion="true")
    cs.decide(case=case, by=users["changwei"], today=D("2026-09-21"), approve=True, meeting="2026年第20次常委会",
              meeting_on=D("2026-09-03"))
    case.refresh_from_db()
    assert (case.approved_on, case.implementation_due) == (D("2026-09-03"), D("2026-09-10"))
    cs.report_to_chief(case=case, by=users["yjb"], today=D("2026-09-21"), reported_on=D("2026-09-05"))


def test_a_verification_after_the_meeting_does_not_count(open_case, users):
    case = open_case("admonition", "MH0001", on="2026-09-01")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-10"), method="preliminary",
                           done_on=D("2026-09-10"), findings="属实", conclusion="true")
    with pytest.raises(ValidationError, match="第十六条"):
        cs.decide(case=case, by=users["changwei"], today=D("2026-09-10"), approve=True, meeting="第19次常委会",
                  meeting_on=D("2026-09-04"))


def test_a_units_own_case_is_decided_by_the_unit_to_the_end(open_case, users):
    qs, leader = users["qs_jiwei"], users["qs_dangwei"]
    case = open_case("correction", "MH0007", on="2026-05-04")
    cs.record_verification(case=case, by=qs, today=D("2026-05-04"), method="inquiry", done_on=D("2026-05-04"),
                           findings="属实", conclusion="true")
    cs.decide(case=case, by=leader, today=D("2026-05-05"), approve=True)
    report = cs.report_to_chief(case=case, by=qs, today=D("2026-05-05"), reported_on=D("2026-05-05"))
    assert report.chief == leader  # 向党委(党组)主要领导汇报 (第三十一条)
    cs.write_register(case=case, by=qs, today=D("2026-05-05"), content="纠正")
    with pytest.raises(PermissionDenied):
        cs.approve_register(case=case, by=users["shuji"], today=D("2026-05-05"))
    cs.approve_register(case=case, by=leader, today=D("2026-05-05"))
    cs.issue_letter(case=case, by=qs, today=D("2026-05-06"), kind="correction_notice", issued_on=D("2026-05-06"),
                    content="纠正")
    cs.record_receipt(case=case, by=qs, today=D("2026-05-06"), received_on=D("2026-05-06"))
    cs.request_extension(case=case, by=qs, today=D("2026-05-20"), reason="理由", requested_until=D("2026-06-20"))
    cs.decide_extension(case=case, by=leader, today=D("2026-05-20"), approve=True)
    cs.record_response(case=case, by=qs, today=D("2026-06-10"), received_on=D("2026-06-10"), content="已纠正")
    cs.record_revisit(case=case, by=qs, today=D("2026-06-12"), methods=["report"], done_on=D("2026-06-12"),
                      findings="已纠正", meets_requirement=True)
    for recipient in ("organization_dept", "personnel_dept", "unit_party_org"):
        cs.send_notice(case=case, by=qs, today=D("2026-06-12"), recipient=recipient, sent_on=D("2026-06-12"),
                       content="通报")
    cs.lift(case=case, by=leader, today=D("2026-06-15"), basis="达到要求")
    case.refresh_from_db()
    assert case.status == "lifted"


def test_the_restriction_reads_right_after_a_timely_report(approved, users):
    office = users["yjb"]
    case = approved("correction", "MH0002", on="2026-09-01", approve_on="2026-09-01")
    cs.report_to_chief(case=case, by=office, today=D("2026-09-01"), reported_on=D("2026-09-01"))
    cs.write_register(case=case, by=office, today=D("2026-09-01"), content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-09-01"))
    cs.issue_letter(case=case, by=office, today=D("2026-09-02"), kind="correction_notice", issued_on=D("2026-09-02"),
                    content="纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-09-02"), received_on=D("2026-09-02"))
    cs.record_response(case=case, by=office, today=D("2026-09-20"), received_on=D("2026-09-20"), content="已纠正")
    [restriction] = selectors.restrictions(cadre_ids=[case.target_id], today=D("2026-10-20"))[case.target_id]
    assert restriction.condition == "已于2026年9月20日报送整改情况，经回访达到整改要求、批准解除预警后解除"


def test_a_rejected_proposal_is_fed_back_to_the_source(open_case, users):
    case = open_case("inquiry", "MH0003", on="2026-06-01")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-06-02"), approve=False, opinion="问题已澄清")
    assert [f.content for f in ClueFeedback.objects.all()] == [
        f"您单位（部门）移送或反映的问题（{case.clues.get().number}）已办理完毕：经审核不予预警。"]


def test_a_declared_relation_makes_its_holder_stand_aside_and_another_acts(open_case, users, cadres):
    """回避: a relation declared to the target bars screening, approving and leading the talk; the same
    role's other holder acts, and belonging to the target's own unit is no ground (第二十二条)."""
    from yujing.orgs.models import Relation

    Relation.objects.create(user=users["shuji"], cadre=cadres["MH0001"], kind=Relation.Kind.KIN, note="表兄弟")
    Relation.objects.create(user=users["fushuji"], cadre=cadres["MH0003"], kind=Relation.Kind.WORK)
    Relation.objects.create(user=users["qs_jiwei"], cadre=cadres["MH0007"], kind=Relation.Kind.INTEREST)

    with pytest.raises(PermissionDenied, match=r"须回避：本人已申报与.*存在利害关系，请由其他同志办理"):
        open_case("inquiry", "MH0007", on="2026-09-01", screener="qs_jiwei")
    assert WarningCase.objects.filter(target=cadres["MH0007"]).count() == 0

    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-03"), method="preliminary",
                           done_on=D("2026-09-03"), findings="属实", conclusion="true")
    with pytest.raises(PermissionDenied, match=r"须回避：本人已申报与.*存在近亲属"):
        cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=True)
    case.refresh_from_db()
    assert case.status == "proposed"
    decision = cs.decide(case=case, by=users["changwei"], today=D("2026-09-04"), approve=True, opinion="同意",
                         meeting="2026年第15次常委会", meeting_on=D("2026-09-04"))
    assert decision.role == "standing_committee"

    other = open_case("inquiry", "MH0003", on="2026-06-01")
    cs.record_verification(case=other, by=users["yjb"], today=D("2026-06-01"), method="preliminary",
                           done_on=D("2026-06-01"), findings="属实", conclusion="true")
    cs.decide(case=other, by=users["shuji"], today=D("2026-06-01"), approve=True)
    other.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        cs.plan_talk(case=other, by=users["yjb"], today=D("2026-06-02"), outline="提纲", chief=users["fushuji"],
                     other_talkers=["邵振东"], scheduled_at=at("2026-06-05"), place="谈话室")
    assert info.value.message_dict["chief"][0].startswith("主谈人须回避：本人已申报与")
    talk = cs.plan_talk(case=other, by=users["yjb"], today=D("2026-06-02"), outline="提纲", chief=users["qs_dangwei"],
                        other_talkers=["方晓春"], scheduled_at=at("2026-06-05"), place="青石镇会议室")
    assert talk.chief_role == "party_committee"


def _verified_with_its_clue_a_case_clue(open_case, users):
    """A proposed, verified admonition whose source clue the data says is a case clue. No service can make
    this state (a screened clue is never screened again), so it is forged: the approval must still refuse."""
    from yujing.clues.models import Clue

    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-03"), method="preliminary",
                           done_on=D("2026-09-03"), findings="初核属实", conclusion="true")
    Clue.objects.filter(cases=case).update(status=Clue.Status.CASE_CLUE)
    return case


def test_a_warning_on_a_case_clue_is_never_approved(open_case, users):
    case = _verified_with_its_clue_a_case_clue(open_case, users)
    with pytest.raises(ValidationError) as info:
        cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=True, opinion="同意")
    assert info.value.messages == ["属于案件线索的不能实施预警（第十四条）"]
    case.refresh_from_db()
    assert (case.status, case.approved_on) == ("proposed", None)
    assert not case.decisions.exists()
    assert not Event.objects.filter(action="cases.case.approve").exists()
    # rejecting it is still possible: that starts no warning
    cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=False, opinion="属案件线索，移送查办")
    case.refresh_from_db()
    assert case.status == "rejected"


def test_escalating_a_case_whose_clue_is_a_case_clue_proposes_nothing(open_case, users):
    from yujing.cases.services import propose_case
    from yujing.clues.models import Clue

    case = open_case("inquiry", "MH0007", on="2026-09-02")
    Clue.objects.filter(cases=case).update(status=Clue.Status.CASE_CLUE)
    # escalation to admonition or correction opens its new case through propose_case, which refuses
    with pytest.raises(ValidationError) as info:
        propose_case(clues=list(case.clues.all()), target=case.target, measure="admonition", facts="升级",
                     unit_in_charge=case.unit_in_charge, by=users["qs_jiwei"], today=D("2026-09-10"),
                     escalated_from=case)
    assert info.value.messages == ["属于案件线索的不能实施预警（第十四条）"]
    assert WarningCase.objects.count() == 1
