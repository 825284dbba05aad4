import pytest

from tests.dates import D, at
from yujing.cases import services as cs


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def full_case(open_case, users, demo):
    """A correction taken through talk, notice, extension, revisit, notices and lifting (all on known
    dates), so that every case form has its data."""
    office, secretary = users["yjb"], users["shuji"]
    case = open_case("correction", "MH0002", on="2026-03-02")
    cs.record_verification(case=case, by=office, today=D("2026-03-02"), method="preliminary", done_on=D("2026-03-02"),
                           findings="初核属实", conclusion="true")
    cs.decide(case=case, by=secretary, today=D("2026-03-03"), approve=True, opinion="同意责令纠错")
    cs.report_to_chief(case=case, by=office, today=D("2026-03-03"), reported_on=D("2026-03-03"), note="拟责令纠错")
    cs.plan_talk(case=case, by=office, today=D("2026-03-04"), outline="指出错误事实", chief=secretary,
                 other_talkers=["方晓春"], scheduled_at=at("2026-03-06"), place="县纪委谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-03-04"), sent_on=D("2026-03-04"))
    cs.hold_talk(case=case, by=office, today=D("2026-03-06"), held_on=D("2026-03-06"),
                 record="指出其违规出借资金问题。\n对象表示接受批评，立即整改。", signed_on=D("2026-03-06"))
    cs.write_register(case=case, by=office, today=D("2026-03-09"), content="一、收回出借资金；\n二、作出书面检查。")
    cs.approve_register(case=case, by=secretary, today=D("2026-03-09"))
    cs.issue_letter(case=case, by=office, today=D("2026-03-10"), kind="correction_notice", issued_on=D("2026-03-10"),
                    content="违规出借财政资金200万元。")
    cs.record_receipt(case=case, by=office, today=D("2026-03-11"), received_on=D("2026-03-11"))
    cs.request_extension(case=case, by=office, today=D("2026-04-01"), reason="资金回收需走司法程序",
                         requested_until=D("2026-04-30"))
    cs.decide_extension(case=case, by=secretary, today=D("2026-04-02"), approve=True, note="同意")
    cs.record_response(case=case, by=office, today=D("2026-04-20"), received_on=D("2026-04-20"), content="已全部收回")
    cs.record_revisit(case=case, by=office, today=D("2026-04-24"), methods=["report", "documents"],
                      done_on=D("2026-04-24"),
                      findings="查阅账目，资金已收回", meets_requirement=True)
    for recipient in ("organization_dept", "personnel_dept", "unit_party_org"):
        cs.send_notice(case=case, by=office, today=D("2026-04-24"), recipient=recipient, sent_on=D("2026-04-24"),
                       content="对其责令纠错，整改已到位。")
    cs.lift(case=case, by=secretary, today=D("2026-04-27"), basis="经回访达到整改要求")
    case.refresh_from_db()
    return case
