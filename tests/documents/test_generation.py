"""Every form, filled from the case data: names, dates and numbers in the text; numbering without gaps."""

import io
import re
import shutil

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document as Docx

from yujing.audit.models import Event
from yujing.cases.models import Letter
from yujing.documents.contexts import targets_for_case, targets_for_clue
from yujing.documents.models import Document, DocumentNumber
from yujing.documents.services import generate, void_number

from .conftest import D

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="LibreOffice 未安装（.ci/run 会安装 libreoffice-writer-nogui）")


def docx_text(document: Document) -> str:
    with document.docx.open("rb") as handle:
        doc = Docx(io.BytesIO(handle.read()))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return re.sub(r"\s+", "", "".join(parts))


EXPECTED = {
    # form: (number?, texts that must be in it)
    "target_approval": (False, ["预警对象审批表", "秦峰燕", "明湖县青石镇镇长（主要负责人）", "责令纠错（第九条）",
                                "初核（2026年3月2日）", "批准。同意责令纠错", "2026年3月3日报告"]),
    "talk_notice": (True, ["谈话通知书", "秦峰燕同志", "定于2026年3月6日9时在县纪委谈话室", "县纪委谈话室", "2026年3月4日"]),
    "talk_record": (False, ["预警谈话记录", "2026年3月6日", "韩立新、方晓春", "对象表示接受批评，立即整改。"]),
    "warning_register": (False, ["预警工作登记表", "一、收回出借资金；", "解除预警（2026年4月27日）"]),
    "correction_notice": (True, ["责令纠错通知书", "秦峰燕同志", "违规出借财政资金200万元。", "一、收回出借资金；",
                                 "县纪委书记批准", "1个月内整改到位", "2026年3月10日"]),
    "extension_approval": (False, ["延期整改审批表", "资金回收需走司法程序", "2026年4月13日", "2026年4月30日",
                                   "最迟2026年5月11日", "批准。同意"]),
    "extension_notice": (True, ["延期整改通知书", "由2026年4月13日延长至2026年4月30日", "累计不得超过1个月"]),
    "revisit_register": (False, ["预警工作回访登记表", "听取汇报、查阅资料", "2026年4月24日", "达到", "解除预警。经回访达到整改要求"]),
    "notice": (True, ["关于秦峰燕同志责令纠错情况的通报", "中共明湖县委组织部", "不得评选评优，暂缓提拔使用", "特此通报"]),
}


def test_every_case_form_is_filled_from_the_case(full_case, users):
    produced = {}
    for target in targets_for_case(full_case):
        document = generate(target, by=users["yjb"], today=D("2026-04-28"), pdf=False)
        produced.setdefault(target.form.key, []).append(document)
    assert set(produced) == set(EXPECTED)
    assert len(produced["notice"]) == 3
    for form, (numbered, texts) in EXPECTED.items():
        document = produced[form][0]
        text = docx_text(document)
        for expected in texts:
            assert re.sub(r"\s+", "", expected) in text, (form, expected)
        assert ("{{" not in text and "{%" not in text), form
        if numbered:
            assert document.number.text in text
    numbers = sorted(DocumentNumber.objects.values_list("seq", flat=True))
    assert numbers == list(range(1, 7))  # talk notice, correction notice, extension notice, 3 notices — no gap
    assert DocumentNumber.objects.order_by("seq").first().text == "明纪预〔2026〕1号"


def test_clue_forms_transfer_and_feedback(users, demo, cadres):
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned, Outcome

    clue = clue_services.file_transfer(
        by=users["lianluo"], today=D("2026-05-06"), transferred_on=D("2026-05-06"), summary="审计发现违规发放补贴",
        detail="审计报告第3页。", concerned=[Concerned(cadre_id=cadres["MH0007"].pk)], contact_person="莫欣",
        contact_phone="0550-1234567", found_how="经济责任审计")
    clue_services.screen_clue(clue=clue, by=users["qs_jiwei"], today=D("2026-05-07"), outcome=Outcome.NO_ACTION,
                              reason="反映不实")
    clue_services.send_feedback(clue=clue, content="经核实，反映问题不实。", by=users["qs_jiwei"], today=D("2026-05-08"))
    forms = {t.form.key: t for t in targets_for_clue(clue)}
    assert set(forms) == {"clue_transfer", "feedback_letter"}
    transfer = docx_text(generate(forms["clue_transfer"], by=users["qs_jiwei"], today=D("2026-05-08"), pdf=False))
    assert "明湖县审计局" in transfer and "2026年5月6日" in transfer and "经济责任审计" in transfer
    feedback = generate(forms["feedback_letter"], by=users["qs_jiwei"], today=D("2026-05-08"), pdf=False)
    text = docx_text(feedback)
    assert feedback.number.text == "青石纪〔2026〕1号" and feedback.number.text in text
    assert "经核实，反映问题不实。" in text and clue.number in text


def test_regenerating_keeps_the_number_and_the_earlier_version(full_case, users):
    target = next(t for t in targets_for_case(full_case) if t.form.key == "correction_notice")
    first = generate(target, by=users["yjb"], today=D("2026-04-28"), pdf=False)
    second = generate(target, by=users["yjb"], today=D("2026-04-29"), pdf=False)
    assert (first.version, second.version) == (1, 2)
    assert first.number == second.number
    assert Document.objects.filter(form="correction_notice").count() == 2
    void_number(number=first.number, by=users["yjb"], reason="文字有误", today=D("2026-04-29"))
    third = generate(target, by=users["yjb"], today=D("2026-04-29"), pdf=False)
    assert third.version == 3 and third.number != first.number
    first.number.refresh_from_db()
    assert first.number.voided_at is not None and first.number.text == "明纪预〔2026〕1号"
    assert third.number.text == "明纪预〔2026〕2号"
    with pytest.raises(ValidationError, match="已作废"):
        void_number(number=first.number, by=users["yjb"], reason="再次", today=D("2026-04-29"))
    actions = list(Event.objects.filter(action__startswith="documents.").values_list("action", flat=True))
    assert actions == ["documents.document.generated"] * 2 + ["documents.number.voided", "documents.document.generated"]


def test_missing_data_refuses_generation_naming_the_field(full_case, users, demo):
    Letter.objects.filter(case=full_case).update(content="")
    target = next(t for t in targets_for_case(full_case) if t.form.key == "correction_notice")
    with pytest.raises(ValidationError, match="缺少「错误事实」，无法生成责令纠错通知书"):
        generate(target, by=users["yjb"], today=D("2026-04-28"), pdf=False)
    unit = demo["MH-JW-YJB"]
    unit.doc_prefix = ""
    unit.save(update_fields=["doc_prefix"])
    from yujing.cases.models import WarningCase

    fresh = WarningCase.objects.get(pk=full_case.pk)
    talk_notice = next(t for t in targets_for_case(fresh) if t.form.key == "talk_notice")
    with pytest.raises(ValidationError, match="未设置发文代字"):
        generate(talk_notice, by=users["yjb"], today=D("2026-04-28"), pdf=False)
    assert not Document.objects.exists() and not DocumentNumber.objects.exists()


def test_only_the_case_body_generates(full_case, users):
    target = targets_for_case(full_case)[0]
    with pytest.raises(PermissionDenied):
        generate(target, by=users["shuji"], today=D("2026-04-28"), pdf=False)
    from django.http import Http404

    with pytest.raises(Http404):
        generate(target, by=users["qs_jiwei"], today=D("2026-04-28"), pdf=False)


def test_an_administrator_can_replace_a_template(full_case, users, tmp_path, monkeypatch):
    from docx import Document as NewDocx

    replacement = NewDocx()
    replacement.add_paragraph("邻县版式：{{ target_name }} {{ number }}")
    replacement.save(tmp_path / "talk_notice.docx")
    monkeypatch.setenv("YUJING_DOC_TEMPLATES", str(tmp_path))
    target = next(t for t in targets_for_case(full_case) if t.form.key == "talk_notice")
    text = docx_text(generate(target, by=users["yjb"], today=D("2026-04-28"), pdf=False))
    assert text == "邻县版式：秦峰燕明纪预〔2026〕1号"


@needs_libreoffice
def test_pdf_text_layer_holds_the_chinese_text(full_case, users):
    from pypdf import PdfReader

    target = next(t for t in targets_for_case(full_case) if t.form.key == "correction_notice")
    document = generate(target, by=users["yjb"], today=D("2026-04-28"))
    with document.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
        text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
        assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4
    # an empty-box PDF (no CJK font) has no Chinese in its text layer
    for expected in ("责令纠错通知书", "秦峰燕同志", "明纪预〔2026〕1号", "一、收回出借资金；", "明湖县领导干部廉洁自律预警机制工作办公室"):
        assert expected in text, expected


@needs_libreoffice
def test_every_form_in_both_formats_from_the_pages(login, full_case, users):
    """Done-when of the documents issue: from a case, every form is generated as DOCX and PDF from its
    page, and LibreOffice opens each DOCX (the PDF is its conversion) with the Chinese text in it."""
    from pypdf import PdfReader

    office = login("yjb")
    targets = targets_for_case(full_case)
    for target in targets:
        response = office.post(f"/documents/case/{full_case.pk}/generate/{target.form.key}/{target.subject_key}/")
        assert response.status_code == 302
    documents = list(Document.objects.order_by("id"))
    assert len(documents) == len(targets) == 11
    for document in documents:
        assert document.docx and document.pdf, document.title
        with document.pdf.open("rb") as handle:
            text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages))
        assert "秦峰燕" in text, document.title
        if document.number:
            assert document.number.text in text, document.title


def test_a_talk_document_is_named_by_the_talks_day_in_shanghai():
    """scheduled_at is stored in UTC: a talk at 07:30 in Shanghai is 23:30 the day before in UTC, and its
    documents must still say the Shanghai day."""
    from datetime import datetime
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from yujing.documents.contexts import FORMS, Target

    talk = SimpleNamespace(scheduled_at=datetime(2026, 3, 6, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(
        ZoneInfo("UTC")))
    assert talk.scheduled_at.day == 5
    assert Target(FORMS["talk_notice"], talk).label.endswith("（2026年3月6日谈话）")


def test_the_outcome_report_to_the_chief_is_a_numbered_document(full_case, users):
    """第三十一条: 责令纠错情况应及时以书面形式……向党委(党组)主要领导汇报 — the 汇报 as a GB/T 9704 document."""
    from yujing.cases import services as cs

    assert "outcome_report" not in {t.form.key for t in targets_for_case(full_case)}  # not reported yet
    cs.report_outcome_to_chief(case=full_case, by=users["yjb"], today=D("2026-04-28"), reported_on=D("2026-04-28"),
                               note="经回访，违规出借资金已全部收回。\n已于2026年4月27日解除预警。")
    full_case.refresh_from_db()
    target = next(t for t in targets_for_case(full_case) if t.form.key == "outcome_report")
    assert target.label == "关于××同志责令纠错结果的报告（2026年4月28日汇报）"
    document = generate(target, by=users["yjb"], today=D("2026-04-28"), pdf=False)
    text = docx_text(document)
    for expected in ("关于秦峰燕同志责令纠错结果的报告", "县委主要领导同志：", "经县纪委书记批准",
                     "明湖县青石镇镇长秦峰燕同志实施责令纠错", "第三十一条", "经回访，违规出借资金已全部收回。",
                     "2026年4月27日，经韩立新批准，解除预警。", "结果已存入其个人廉政档案。", "特此报告。", "2026年4月28日",
                     document.number.text):
        assert re.sub(r"\s+", "", expected) in text, expected
    assert "{{" not in text and "{%" not in text
    assert (document.title, document.number.text) == ("关于秦峰燕同志责令纠错结果的报告", "明纪预〔2026〕1号")
