"""Every generated form writes its dates without leading zeros: "2026年3月9日", "1975年3月", "15时",
"9时5分" — never "03月", "09日", "09时" or "00分" (core.dates, the one formatter)."""

import io
import re
from datetime import date, datetime

import pytest
from docx import Document as Docx

from tests.dates import TZ, D, at
from yujing.cases import services as cs
from yujing.clues import services as clue_services
from yujing.clues.services import Concerned, Outcome
from yujing.documents.contexts import targets_for_case, targets_for_clue
from yujing.documents.registry import FORMS
from yujing.documents.services import generate

# a zero-padded field before a Chinese date unit (03月, 09日, 09时, 05分), 年0…, or a zero minute
PADDED = re.compile(r"(?<!\d)0\d[月日时分]|年0|00分|\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}")


def docx_text(document) -> str:
    with document.docx.open("rb") as handle:
        doc = Docx(io.BytesIO(handle.read()))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return re.sub(r"\s+", "", "".join(parts))


def _birth(case, month: date) -> None:
    target = case.target
    target.birth_month = month
    target.save(update_fields=["birth_month"])


@pytest.fixture
def every_form(open_case, approved, users, cadres):
    """Cases and a clue that between them produce every form of the registry, on days and months of one
    digit, with one talk at 15:00 and one at 09:05 Beijing time."""
    office, secretary = users["yjb"], users["shuji"]

    # 责令纠错 by talk at 15:00, extended, revisited, notified, lifted and reported to the chief
    correction = open_case("correction", "MH0002", on="2026-03-02")
    _birth(correction, date(1975, 3, 1))
    cs.record_verification(case=correction, by=office, today=D("2026-03-02"), method="preliminary",
                           done_on=D("2026-03-02"), findings="初核属实", conclusion="true")
    cs.decide(case=correction, by=secretary, today=D("2026-03-03"), approve=True, opinion="同意责令纠错")
    cs.report_to_chief(case=correction, by=office, today=D("2026-03-03"), reported_on=D("2026-03-03"), note="拟责令纠错")
    cs.plan_talk(case=correction, by=office, today=D("2026-03-04"), outline="指出错误事实", chief=secretary,
                 other_talkers=["方晓春"], scheduled_at=at("2026-03-06", 15), place="县纪委谈话室")
    cs.notify_talk(case=correction, by=office, today=D("2026-03-04"), sent_on=D("2026-03-04"))
    cs.hold_talk(case=correction, by=office, today=D("2026-03-06"), held_on=D("2026-03-06"), record="指出问题。",
                 signed_on=D("2026-03-06"))
    cs.write_register(case=correction, by=office, today=D("2026-03-09"), content="一、收回出借资金。")
    cs.approve_register(case=correction, by=secretary, today=D("2026-03-09"))
    cs.issue_letter(case=correction, by=office, today=D("2026-03-09"), kind="correction_notice",
                    issued_on=D("2026-03-09"), content="违规出借财政资金。")
    cs.record_receipt(case=correction, by=office, today=D("2026-03-09"), received_on=D("2026-03-09"))
    cs.request_extension(case=correction, by=office, today=D("2026-04-01"), reason="资金回收需走司法程序",
                         requested_until=D("2026-04-30"))
    cs.decide_extension(case=correction, by=secretary, today=D("2026-04-02"), approve=True, note="同意")
    cs.record_response(case=correction, by=office, today=D("2026-04-07"), received_on=D("2026-04-07"), content="已收回")
    cs.record_revisit(case=correction, by=office, today=D("2026-04-08"), methods=["report"], done_on=D("2026-04-08"),
                      findings="资金已收回", meets_requirement=True)
    for recipient in ("organization_dept", "personnel_dept", "unit_party_org"):
        cs.send_notice(case=correction, by=office, today=D("2026-04-08"), recipient=recipient,
                       sent_on=D("2026-04-08"), content="整改已到位。")
    cs.lift(case=correction, by=secretary, today=D("2026-05-06"), basis="经回访达到整改要求")
    cs.report_outcome_to_chief(case=correction, by=office, today=D("2026-05-07"), reported_on=D("2026-05-07"),
                               note="已全部收回。")

    # 警示诫勉 by talk at 09:05, then the notice
    admonition = open_case("admonition", "MH0001", on="2026-03-02")
    cs.record_verification(case=admonition, by=office, today=D("2026-03-02"), method="preliminary",
                           done_on=D("2026-03-02"), findings="初核属实", conclusion="true")
    cs.decide(case=admonition, by=secretary, today=D("2026-03-03"), approve=True, opinion="同意")
    cs.plan_talk(case=admonition, by=office, today=D("2026-03-04"), outline="指出问题", chief=secretary,
                 other_talkers=["方晓春"], scheduled_at=datetime(2026, 3, 5, 9, 5, tzinfo=TZ), place="县纪委谈话室")
    cs.notify_talk(case=admonition, by=office, today=D("2026-03-04"), sent_on=D("2026-03-04"))
    cs.hold_talk(case=admonition, by=office, today=D("2026-03-05"), held_on=D("2026-03-05"), record="谈话记录",
                 signed_on=D("2026-03-05"))
    cs.write_register(case=admonition, by=office, today=D("2026-03-06"), content="退还礼金。")
    cs.approve_register(case=admonition, by=secretary, today=D("2026-03-06"))
    cs.issue_letter(case=admonition, by=office, today=D("2026-03-06"), kind="admonition_notice",
                    issued_on=D("2026-03-06"), content="收受礼金。")

    # the letters of the other measures
    inquiry = approved("inquiry", "MH0003", on="2026-03-02", approve_on="2026-03-02", approver="fushuji")
    cs.issue_letter(case=inquiry, by=office, today=D("2026-03-03"), kind="inquiry_letter", issued_on=D("2026-03-03"),
                    content="请说明有关情况。")
    opinion = approved("admonition", "MH0004", on="2026-03-02", approve_on="2026-03-03")
    cs.write_register(case=opinion, by=office, today=D("2026-03-04"), content="限期整改。")
    cs.approve_register(case=opinion, by=secretary, today=D("2026-03-04"))
    cs.issue_letter(case=opinion, by=office, today=D("2026-03-05"), kind="discipline_opinion",
                    issued_on=D("2026-03-05"), content="意见内容。")
    recommendation = approved("correction", "MH0005", on="2026-03-02", approve_on="2026-03-03")
    cs.write_register(case=recommendation, by=office, today=D("2026-03-04"), content="限期纠正。")
    cs.approve_register(case=recommendation, by=secretary, today=D("2026-03-04"))
    cs.report_to_chief(case=recommendation, by=office, today=D("2026-03-04"), reported_on=D("2026-03-04"), note="报告")
    cs.issue_letter(case=recommendation, by=office, today=D("2026-03-05"), kind="discipline_recommendation",
                    issued_on=D("2026-03-05"), content="建议内容。")

    # a transferred clue, screened and answered (第十三条、第十四条)
    clue = clue_services.file_transfer(
        by=users["lianluo"], today=D("2026-05-06"), transferred_on=D("2026-05-06"), summary="审计发现违规发放补贴",
        detail="审计报告。", concerned=[Concerned(cadre_id=cadres["MH0007"].pk)], contact_person="莫欣",
        contact_phone="0550-1234567", found_how="经济责任审计")
    clue_services.screen_clue(clue=clue, by=users["qs_jiwei"], today=D("2026-05-07"), outcome=Outcome.NO_ACTION,
                              reason="反映不实")
    clue_services.send_feedback(clue=clue, content="经核实，反映问题不实。", by=users["qs_jiwei"], today=D("2026-05-08"))

    targets = []
    for case in (correction, admonition, inquiry, opinion, recommendation):
        case.refresh_from_db()
        targets += [(t, users["yjb"]) for t in targets_for_case(case)]
    clue.refresh_from_db()
    targets += [(t, users["qs_jiwei"]) for t in targets_for_clue(clue)]
    return targets


EXPECTED = {
    # form: exact date texts that must be in it
    "target_approval": ["1975年3月出生", "初核（2026年3月2日）", "2026年3月3日报告"],
    "talk_notice": ["2026年3月6日15时在县纪委谈话室", "2026年3月5日9时5分在县纪委谈话室", "2026年3月4日"],
    "talk_record": ["2026年3月6日", "2026年3月5日"],
    "warning_register": ["2026年3月3日", "2026年3月6日", "2026年4月7日收到", "解除预警（2026年5月6日）"],
    "correction_notice": ["2026年3月9日"],
    "admonition_notice": ["2026年3月6日"],
    "inquiry_letter": ["2026年3月3日"],
    "discipline_opinion": ["2026年3月5日"],
    "discipline_recommendation": ["2026年3月5日"],
    "extension_approval": ["2026年4月1日", "2026年4月30日"],
    "extension_notice": ["2026年4月30日", "2026年4月2日"],
    "revisit_register": ["2026年4月8日", "2026年5月6日"],
    "notice": ["2026年4月8日"],
    "outcome_report": ["2026年5月6日，经", "2026年5月7日"],
    "clue_transfer": ["2026年5月6日"],
    "feedback_letter": ["2026年5月8日"],
}


def test_every_form_writes_its_dates_without_leading_zeros(every_form):
    assert set(EXPECTED) == set(FORMS)  # the test covers the whole registry
    texts: dict[str, list[str]] = {}
    for target, by in every_form:
        document = generate(target, by=by, today=D("2026-05-08"), pdf=False)
        texts.setdefault(target.form.key, []).append(docx_text(document))
    assert set(texts) == set(FORMS)
    for form, documents in texts.items():
        for text in documents:
            assert PADDED.findall(text) == [], (form, text)
        for expected in EXPECTED[form]:
            assert any(expected in text for text in documents), (form, expected)


def test_the_talk_documents_are_labelled_by_the_days_of_the_talks(every_form):
    labels = sorted(t.label for t, _ in every_form if t.form.scope in ("talk", "revisit"))
    assert labels == sorted(["预警工作回访登记表（2026年4月8日回访）",
                      "谈话通知书（2026年3月5日谈话）", "谈话通知书（2026年3月6日谈话）",
                      "预警谈话记录（2026年3月5日谈话）", "预警谈话记录（2026年3月6日谈话）"])
