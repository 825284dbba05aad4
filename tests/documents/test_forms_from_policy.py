"""Every form's words come from the policy (issue 17 item 9): the articles it cites, the bodies it names,
the regulation's name and the approval tiers of the approval form's note. Under Shou every form reads
character for character as the golden text (data/shou_forms.txt); under another policy the other words."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from docx import Document as Docx

from tests.dates import D
from yujing.cases import services as cs
from yujing.cases.models import Letter, Register
from yujing.documents.contexts import targets_for_case, targets_for_clue
from yujing.documents.services import generate

GOLDEN = Path(__file__).parent / "data" / "shou_forms.txt"
LETTER_KINDS = ("inquiry_letter", "admonition_notice", "correction_notice", "discipline_opinion",
                "discipline_recommendation")


def full_text(document) -> str:
    with document.docx.open("rb") as handle:
        doc = Docx(io.BytesIO(handle.read()))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _letters(case, users, kinds) -> None:
    for kind in kinds:
        Letter.objects.create(case=case, kind=kind, issued_on=D("2026-03-10"), content=f"{kind}的内容。",
                              recorded_by=users["yjb"])


def render_all(full_case, open_case, users, cadres) -> str:
    """The text of every form of a correction, an admonition and an inquiry case and of a transferred clue."""
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned, Outcome

    cs.report_outcome_to_chief(case=full_case, by=users["yjb"], today=D("2026-04-28"), reported_on=D("2026-04-28"),
                               note="经回访，违规出借资金已全部收回。")
    full_case.refresh_from_db()
    _letters(full_case, users, ("discipline_recommendation",))
    admonition = open_case("admonition", "MH0001", on="2026-03-02")
    Register.objects.create(case=admonition, content="一、退还礼金；\n二、作出书面检查。", recorded_by=users["yjb"])
    _letters(admonition, users, ("admonition_notice", "discipline_opinion"))
    inquiry = open_case("inquiry", "MH0003", on="2026-03-02")
    _letters(inquiry, users, ("inquiry_letter",))
    clue = clue_services.file_transfer(
        by=users["lianluo"], today=D("2026-05-06"), transferred_on=D("2026-05-06"), summary="审计发现违规发放补贴",
        detail="审计报告第3页。", concerned=[Concerned(cadre_id=cadres["MH0007"].pk)], contact_person="莫欣",
        contact_phone="0550-1234567", found_how="经济责任审计")
    clue_services.screen_clue(clue=clue, by=users["qs_jiwei"], today=D("2026-05-07"), outcome=Outcome.NO_ACTION,
                              reason="反映不实")
    clue_services.send_feedback(clue=clue, content="经核实，反映问题不实。", by=users["qs_jiwei"], today=D("2026-05-08"))
    out = []
    for case in (full_case, admonition, inquiry):
        case.refresh_from_db()
        for target in targets_for_case(case):
            document = generate(target, by=users["yjb"], today=D("2026-04-28"), pdf=False)
            out.append(f"=== {case.get_measure_display()} {target.form.key} {target.label}\n{full_text(document)}")
    for target in targets_for_clue(clue):
        document = generate(target, by=users["qs_jiwei"], today=D("2026-05-08"), pdf=False)
        out.append(f"=== 线索 {target.form.key} {target.label}\n{full_text(document)}")
    return "\n".join(out) + "\n"


def test_shou_forms_read_as_before(full_case, open_case, users, cadres):
    text = render_all(full_case, open_case, users, cadres)
    if os.environ.get("YUJING_WRITE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
