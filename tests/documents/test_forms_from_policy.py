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


def _edited(text: str, *changes: tuple[str, str, int]) -> str:
    for old, new, count in changes:
        assert text.count(old) == count, old
        text = text.replace(old, new)
    return text


def other_policy_text() -> str:
    """Shou's policy with another city's words and articles."""
    from yujing.policy.schema import DEFAULT_POLICY

    return _edited(
        Path(DEFAULT_POLICY).read_text(encoding="utf-8"),
        ('office = "预警办"', 'office = "市预警办"', 1),
        ('committee = "县纪委常委会"', 'committee = "市纪委常委会"', 1),
        ('\nchief = "县委主要领导"', '\nchief = "市委主要领导"', 1),
        ('commission_leaders = "纪检监察机关领导"', 'commission_leaders = "市纪委监委领导"', 1),
        ('regulation = "《领导干部廉洁自律预警机制实施办法》"', 'regulation = "《某市预警办法》"', 1),
        # the restrictions' sentence in the notices names the regulation by [policy] name
        ('name = "领导干部廉洁自律预警机制实施办法"', 'name = "某市预警办法"', 1),
        ('secretary = "县纪委书记"', 'secretary = "市纪委书记"', 1),
        ('deputy_secretary = "县纪委分管副书记"', 'deputy_secretary = "市纪委分管副书记"', 1),
        ('documents = "第二十一条"\n', '', 1),
        ('transfer = "第十三条"\n', '', 1),
        ('correction_notice = { article = "第二十四条" }', 'correction_notice = { article = "第四十四条" }', 1),
        ('discipline_recommendation = { article = "第二十四条" }', 'discipline_recommendation = { article = "第四十五条" }', 1),
        ('admonition_notice = { article = "第二十三条" }', 'admonition_notice = { article = "第四十三条" }', 1),
        ('discipline_opinion = { article = "第二十三条" }', 'discipline_opinion = { article = "第四十六条" }', 1),
        ('approval_article = "第十七条"', 'approval_article = "第十八条"', 3),
        ('label = "责令纠错"\narticle = "第九条"', 'label = "限期纠错"\narticle = "第十一条"', 1),
        ('approvers = ["secretary", "deputy_secretary"], article = "第三十条" }',
         'approvers = ["secretary", "deputy_secretary"], article = "第五十条" }', 1),
        ('[lifting]\n# 对达到整改要求的, 填写预警工作回访登记表, 提出意见, 报纪检监察机关领导批准后解除预警。\n'
         'approvers = ["secretary", "deputy_secretary"]\narticle = "第三十条"',
         '[lifting]\napprovers = ["secretary", "deputy_secretary"]\narticle = "第五十六条"', 1),
        ('approvers = ["secretary", "deputy_secretary"]\narticle = "第二十五条"',
         'approvers = ["secretary", "deputy_secretary"]\narticle = "第五十五条"', 1),
        ('from = "closing"\narticle = "第三十一条"', 'from = "closing"\narticle = "第五十七条"', 1),
    )


@pytest.fixture
def other_words(use_policy):
    return use_policy(other_policy_text())


def _flat(text: str) -> str:
    return "".join(text.split())


def test_another_policy_s_words_and_articles_fill_the_forms(other_words, full_case, open_case, users, cadres):
    text = render_all(full_case, open_case, users, cadres)
    forms = {}
    for block in text.split("=== ")[1:]:
        head, _, body = block.partition("\n")
        forms.setdefault(" ".join(head.split()[:2]), _flat(body))
    expected = {
        "限期纠错 target_approval": [
            "限期纠错（第十一条）", "报告市委主要领导情况",
            "注：谈话函询由市纪委分管副书记或书记审批；警示诫勉由市纪委书记审批，必要时提交市纪委常委会研究确定；"
            "限期纠错由市纪委书记审批或市纪委常委会研究确定，并报市委主要领导同志（第十八条）。"],
        "限期纠错 warning_register": ["第五十五条：预警结束后，市预警办填写预警工作登记表。"],
        "限期纠错 correction_notice": ["经市纪委书记批准，根据《某市预警办法》第十一条、第四十四条的规定，责令你限期纠正错误"],
        "限期纠错 discipline_recommendation": ["根据《某市预警办法》第四十五条的规定，提出如下建议："],
        "限期纠错 extension_approval": ["市预警办意见", "第五十条：延长整改期限不得超过1个月。"],
        "限期纠错 extension_notice": ["根据《某市预警办法》第五十条的规定，延长整改期限累计不得超过1个月。"],
        "限期纠错 revisit_register": ["市预警办意见", "第五十六条：对达到整改要求的，填写预警工作回访登记表，提出意见，"
                                                  "报市纪委监委领导批准后解除预警。"],
        "限期纠错 outcome_report": ["关于秦峰燕同志限期纠错结果的报告", "市委主要领导同志：", "实施限期纠错（",
                                "根据《某市预警办法》第五十七条的规定，现将结果报告如下："],
        "警示诫勉 admonition_notice": ["根据《某市预警办法》第八条、第四十三条的规定，现对你进行警示诫勉"],
        "警示诫勉 discipline_opinion": ["根据《某市预警办法》第四十六条的规定，提出如下意见："],
        "谈话函询 target_approval": ["谈话函询（第七条）"],
        "线索 clue_transfer": ["接收情况", "执纪执法机关在工作中发现的需要给予预警的线索"],
        "线索 feedback_letter": ["我办已按照《某市预警办法》的规定办理完毕。"],
    }
    for form, texts in expected.items():
        for wanted in texts:
            assert _flat(wanted) in forms[form], (form, wanted)
    for form, body in forms.items():
        for shou in ("《领导干部廉洁自律预警机制实施办法》", "县纪委常委会", "县委主要领导", "纪检监察机关领导",
                     "第九条", "第十三条", "第十七条", "第二十三条", "第二十四条", "第二十五条", "第三十条"):
            assert shou not in body, (form, shou)
    assert "：执纪执法机关" not in forms["线索 clue_transfer"]  # no article stated: no empty citation
    assert "预警办填写" not in forms["限期纠错 warning_register"].replace("市预警办填写", "")


def test_the_card_shows_the_documents_article_only_when_the_policy_states_it(other_words, full_case, users):
    from django.template.loader import render_to_string

    from yujing.documents.selectors import case_slots

    html = render_to_string("documents_card.html", {"slots": case_slots(full_case)})
    assert "<span>文书</span>" in html and "第二十一条" not in html


def test_the_card_shows_shou_s_documents_article(full_case):
    from django.template.loader import render_to_string

    from yujing.documents.selectors import case_slots

    html = render_to_string("documents_card.html", {"slots": case_slots(full_case)})
    assert '<span>文书 <span class="article text-body-secondary">第二十一条</span></span>' in html


def test_only_the_office_generates_named_by_the_policy(other_words, full_case, users):
    from django.core.exceptions import PermissionDenied

    target = targets_for_case(full_case)[0]
    with pytest.raises(PermissionDenied) as refused:
        generate(target, by=users["shuji"], today=D("2026-04-28"), pdf=False)
    assert str(refused.value) == "只有承办单位的市预警办或纪检机构可以生成文书"


def test_shou_s_refusal_reads_as_before(full_case, users):
    from django.core.exceptions import PermissionDenied

    target = targets_for_case(full_case)[0]
    with pytest.raises(PermissionDenied) as refused:
        generate(target, by=users["shuji"], today=D("2026-04-28"), pdf=False)
    assert str(refused.value) == "只有承办单位的预警办或纪检机构可以生成文书"


def test_a_case_keeps_its_versions_letter_articles_when_the_policy_changes(use_policy, full_case, users):
    from yujing.policy.schema import DEFAULT_POLICY

    use_policy(_edited(DEFAULT_POLICY.read_text(encoding="utf-8"),
                       ('correction_notice = { article = "第二十四条" }\n', "", 1)))
    full_case.refresh_from_db()
    # the case keeps the policy version it started under; a new case takes the edited one
    target = next(t for t in targets_for_case(full_case) if t.form.key == "correction_notice")
    assert target.article == "第二十四条、第二十五条"


def test_a_new_case_s_letter_without_its_own_article(use_policy, open_case, users):
    from yujing.policy.schema import DEFAULT_POLICY

    use_policy(_edited(DEFAULT_POLICY.read_text(encoding="utf-8"),
                       ('admonition_notice = { article = "第二十三条" }\n', "", 1)))
    case = open_case("admonition", "MH0001", on="2026-03-02")
    Register.objects.create(case=case, content="一、退还礼金。", recorded_by=users["yjb"])
    _letters(case, users, ("admonition_notice",))
    target = next(t for t in targets_for_case(case) if t.form.key == "admonition_notice")
    assert target.article == "第二十五条"
    text = "".join(full_text(generate(target, by=users["yjb"], today=D("2026-03-10"), pdf=False)).split())
    assert "根据《领导干部廉洁自律预警机制实施办法》第八条的规定，现对你进行警示诫勉" in text


def test_shou_s_forms_rest_on_today_s_articles(full_case):
    from yujing.documents.registry import FORMS, article

    assert {key: article(form, full_case) for key, form in FORMS.items()} == {
        "clue_transfer": "第十三条", "target_approval": "第十七条", "inquiry_letter": "第二十二条",
        "talk_notice": "第二十二条", "talk_record": "第二十二条", "admonition_notice": "第二十三条、第二十五条",
        "correction_notice": "第二十四条、第二十五条", "discipline_opinion": "第二十三条",
        "discipline_recommendation": "第二十四条", "warning_register": "第二十五条", "extension_approval": "第三十条",
        "extension_notice": "第三十条", "revisit_register": "第三十条", "notice": "第三十一条",
        "outcome_report": "第三十一条", "feedback_letter": "第十四条"}


def test_an_unknown_letter_is_refused_naming_the_key():
    from yujing.policy.schema import DEFAULT_POLICY, PolicyError, parse_policy

    text = DEFAULT_POLICY.read_text(encoding="utf-8").replace("inquiry_letter = { article", "talk_letter = { article")
    with pytest.raises(PolicyError, match=r"letters\.talk_letter"):
        parse_policy(text)
