"""Letter forms resolved through the case's policy ([letters.<key>]): Shou's five built-in letters exactly as before;
a policy's own letter generated, numbered, listed and downloaded like a built-in one in the generic layout or a
built-in layout; the restriction sentence of the notices from the measure's restrictions."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document as Docx

from tests.cases.conftest import SHOU, with_measure
from tests.dates import D
from yujing.cases import services as cs
from yujing.documents.contexts import targets_for_case
from yujing.documents.registry import FORMS
from yujing.documents.selectors import case_slots
from yujing.documents.services import generate

OWN = with_measure(SHOU, "admonition", letter_forms='["jingjie_letter"]') + """
[letters.jingjie_letter]
title = "警示诫勉函"
article = "第二十三条"
content_label = "存在的问题"
requirements = true
"""


def paragraphs(document) -> list[str]:
    with document.docx.open("rb") as handle:
        doc = Docx(io.BytesIO(handle.read()))
    return [p.text for p in doc.paragraphs if p.text.strip()]


def test_the_built_in_letter_forms_are_as_before():
    letters = {k: (f.title, f.numbered, f.scope, f.cites, f.required, f.layout) for k, f in FORMS.items()
               if f.letter is not None}
    person, issued = ("target_name", "预警对象姓名"), ("issued_on", "发出日期")
    assert letters == {
        "inquiry_letter": ("询问函", True, "case", (("letters", "inquiry_letter"),),
                           (person, ("letter_content", "询问的问题"), issued), "inquiry_letter"),
        "admonition_notice": ("警示诫勉通知书", True, "case", (("letters", "admonition_notice"), ("section", "register")),
                              (person, ("letter_content", "指出的问题"), ("requirements", "整改要求"), issued),
                              "admonition_notice"),
        "correction_notice": ("责令纠错通知书", True, "case", (("letters", "correction_notice"), ("section", "register")),
                              (person, ("letter_content", "错误事实"), ("requirements", "整改要求"), issued),
                              "correction_notice"),
        "discipline_opinion": ("纪律检查(行政监察)意见书", True, "case", (("letters", "discipline_opinion"),),
                               (person, ("letter_content", "意见"), issued), "discipline_opinion"),
        "discipline_recommendation": ("纪律检查(行政监察)建议书", True, "case",
                                      (("letters", "discipline_recommendation"),),
                                      (person, ("letter_content", "建议"), issued), "discipline_recommendation")}
    assert [k for k, f in FORMS.items() if f.letter is None] == [
        "clue_transfer", "target_approval", "talk_notice", "talk_record", "warning_register", "extension_approval",
        "extension_notice", "revisit_register", "notice", "outcome_report", "feedback_letter"]


def test_a_shou_case_s_letter_is_the_registry_s_form(full_case):
    (target,) = [t for t in targets_for_case(full_case) if t.form.letter is not None]
    form, builtin = target.form, FORMS["correction_notice"]
    assert (form.key, form.title, form.numbered, form.scope, form.cites, form.required, form.layout) == (
        builtin.key, builtin.title, builtin.numbered, builtin.scope, builtin.cites, builtin.required, builtin.layout)
    assert (target.label, target.article) == ("责令纠错通知书", "第二十四条、第二十五条")


def _admonition(use_policy, approved, users, text, *, kind, content="收受管理服务对象礼金2000元。"):
    use_policy(text)
    case = approved("admonition", "MH0001", on="2026-03-02", approve_on="2026-03-03")
    cs.write_register(case=case, by=users["yjb"], today=D("2026-03-03"), content="一、退还礼金；\n二、作出书面检查。")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-03-04"))
    cs.issue_letter(case=case, by=users["yjb"], today=D("2026-03-05"), kind=kind, issued_on=D("2026-03-05"),
                    content=content)
    case.refresh_from_db()
    return case


def _letter_target(case):
    return next(t for t in targets_for_case(case) if t.form.letter is not None)


def test_a_policy_letter_is_generated_numbered_and_listed_like_a_built_in(use_policy, approved, users, login):
    case = _admonition(use_policy, approved, users, OWN, kind="jingjie_letter")
    target = _letter_target(case)
    assert (target.form.key, target.label, target.article, target.form.layout) == (
        "jingjie_letter", "警示诫勉函", "第二十三条、第二十五条", "letter")
    document = generate(target, by=users["yjb"], today=D("2026-03-05"), pdf=False)
    assert (document.form, document.title, document.number.text, document.version) == (
        "jingjie_letter", "警示诫勉函", "明纪预〔2026〕1号", 1)
    assert paragraphs(document) == [
        "明湖县领导干部廉洁自律预警机制工作办公室", "明纪预〔2026〕1号", "警示诫勉函", "郭庆艳同志：",
        "经县纪委书记批准，根据《领导干部廉洁自律预警机制实施办法》第八条、第二十三条的规定，现向你发出警示诫勉函。"
        "存在的问题如下：",
        "收受管理服务对象礼金2000元。", "请你按照以下要求进行整改：", "一、退还礼金；", "二、作出书面检查。",
        "请你自收到本警示诫勉函之日起10日内，将整改情况书面报告报送县预警办。"
        "在整改期限内，你不得评选评优，暂缓提拔使用。",
        "联系人：方晓春    联系电话：—", "明湖县领导干部廉洁自律预警机制工作办公室", "2026年3月5日", "（印章）"]
    again = generate(_letter_target(case), by=users["yjb"], today=D("2026-03-06"), pdf=False)
    assert (again.number_id, again.version) == (document.number_id, 2)  # the number stays, a new version
    (slot,) = [s for s in case_slots(case) if s.target.form.key == "jingjie_letter"]
    assert (slot.anchor, [d.version for d in slot.versions]) == (f"doc-jingjie_letter-case-{case.pk}", [2, 1])
    response = login("yjb").get(f"/documents/{again.pk}/docx/")
    assert response.status_code == 200
    assert "%E8%AD%A6%E7%A4%BA%E8%AF%AB%E5%8B%89%E5%87%BD" in response["Content-Disposition"]  # 警示诫勉函


def test_a_letter_without_its_numbering_and_without_requirements(use_policy, approved, users):
    text = OWN.replace("requirements = true", "requirements = false\nnumbered = false")
    case = _admonition(use_policy, approved, users, text, kind="jingjie_letter")
    target = _letter_target(case)
    assert (target.form.numbered, target.article) == (False, "第二十三条")
    document = generate(target, by=users["yjb"], today=D("2026-03-05"), pdf=False)
    assert document.number is None
    text = paragraphs(document)
    assert text[:3] == ["明湖县领导干部廉洁自律预警机制工作办公室", "警示诫勉函", "郭庆艳同志："]
    # no requirements, no restriction sentence
    assert text[5] == "请你自收到本警示诫勉函之日起10日内，将整改情况书面报告报送县预警办。"
    assert "请你按照以下要求进行整改：" not in text


def test_a_letter_that_states_requirements_needs_them(use_policy, approved, users):
    use_policy(OWN)
    case = approved("admonition", "MH0001", on="2026-03-02", approve_on="2026-03-03")
    from yujing.cases.models import Letter

    Letter.objects.create(case=case, kind="jingjie_letter", issued_on=D("2026-03-05"), content="问题",
                          recorded_by=users["yjb"])
    with pytest.raises(ValidationError) as refused:
        generate(_letter_target(case), by=users["yjb"], today=D("2026-03-05"), pdf=False)
    assert refused.value.messages == ["缺少「整改要求」，无法生成警示诫勉函"]


def test_a_policy_letter_in_a_built_in_layout_takes_its_own_title(use_policy, approved, users):
    text = OWN.replace('content_label = "存在的问题"\n', 'template = "admonition_notice"\n')
    case = _admonition(use_policy, approved, users, text, kind="jingjie_letter")
    document = generate(_letter_target(case), by=users["yjb"], today=D("2026-03-05"), pdf=False)
    text = paragraphs(document)
    assert text[2:5] == ["警示诫勉函", "郭庆艳同志：", "经了解核实，你在廉洁自律方面存在以下问题："]
    assert text[-4] == ("请你自收到本通知书之日起10日内，将个人整改情况以书面形式报送县预警办。"
                        "在整改期限内，你不得评选评优，暂缓提拔使用。")


def test_a_built_in_letter_renamed_by_the_policy(use_policy, approved, users):
    text = SHOU.replace('admonition_notice = { article = "第二十三条" }',
                        'admonition_notice = { article = "第二十三条", title = "警示通知书" }')
    case = _admonition(use_policy, approved, users, text, kind="admonition_notice")
    target = _letter_target(case)
    document = generate(target, by=users["yjb"], today=D("2026-03-05"), pdf=False)
    assert (target.label, document.title, paragraphs(document)[2]) == ("警示通知书", "警示通知书", "警示通知书")


def test_shou_s_notices_keep_their_heading_and_restriction_sentence(use_policy, approved, users):
    case = _admonition(use_policy, approved, users, SHOU, kind="admonition_notice")
    text = paragraphs(generate(_letter_target(case), by=users["yjb"], today=D("2026-03-05"), pdf=False))
    assert text[2] == "警示诫勉通知书"
    assert text[-4] == ("请你自收到本通知书之日起10日内，将个人整改情况以书面形式报送县预警办。"
                        "在整改期限内，你不得评选评优，暂缓提拔使用。")


RESTRICTIONS = ('[{ scope = "promotion", label = "不得提拔或者重用", from = "talk", until = "6m", article = "第十条" }, '
                '{ scope = "excellent", label = "当年年度考核不得评为优秀等次", from = "delivery", until = "closing", '
                'article = "第十一条" }]')


def test_another_policy_s_restrictions_in_the_notice(use_policy, approved, users):
    text = with_measure(SHOU, "admonition", restrictions=RESTRICTIONS)
    case = _admonition(use_policy, approved, users, text, kind="admonition_notice")
    text = paragraphs(generate(_letter_target(case), by=users["yjb"], today=D("2026-03-05"), pdf=False))
    assert text[-4] == ("请你自收到本通知书之日起10日内，将个人整改情况以书面形式报送县预警办。"
                        "你不得提拔或者重用（自谈话之日起6个月）；在整改期限内，你当年年度考核不得评为优秀等次。")


def test_no_restriction_no_sentence(use_policy, approved, users):
    text = with_measure(SHOU, "admonition", restricted="false", restrictions="[]")
    case = _admonition(use_policy, approved, users, text, kind="admonition_notice")
    text = paragraphs(generate(_letter_target(case), by=users["yjb"], today=D("2026-03-05"), pdf=False))
    assert text[-4] == "请你自收到本通知书之日起10日内，将个人整改情况以书面形式报送县预警办。"


CLOSING = "整改期限满错误没有得到纠正的，将按有关规定"


@pytest.mark.parametrize(("escalations", "closing"), [
    # Shou's: 转组织处理 when the deadline passed uncorrected, 立案查处 on filing conditions
    (None, CLOSING + "转组织处理或立案查处。"),
    ('["case_filing"]', CLOSING + "立案查处。"),
    ('["admonition", "case_filing"]', CLOSING + "转警示诫勉或立案查处。"),
    ("[]", ""),  # nothing follows: no closing words
])
def test_a_correction_notice_closes_with_its_measure_s_escalations(use_policy, open_case, users, escalations, closing):
    """The correction layout's 整改期限满……将按有关规定… names what the case's measure escalates to (except on a
    renewed complaint), not Shou's words; Shou reads as before."""
    values = {"restricted": "false", "restrictions": "[]"}
    if escalations is not None:
        values |= {"escalations": escalations, "escalate_when": "{}" if escalations != '["admonition", "case_filing"]'
                   else '{ admonition = "deadline_passed_uncorrected" }'}
    use_policy(with_measure(SHOU, "correction", **values))
    office, secretary = users["yjb"], users["shuji"]
    case = open_case("correction", "MH0002", on="2026-03-02")
    cs.record_verification(case=case, by=office, today=D("2026-03-02"), method="preliminary", done_on=D("2026-03-02"),
                           findings="初核属实", conclusion="true")
    cs.decide(case=case, by=secretary, today=D("2026-03-03"), approve=True, opinion="同意")
    cs.report_to_chief(case=case, by=office, today=D("2026-03-03"), reported_on=D("2026-03-03"), note="拟责令纠错")
    cs.write_register(case=case, by=office, today=D("2026-03-03"), content="收回出借资金。")
    cs.approve_register(case=case, by=secretary, today=D("2026-03-04"))
    cs.issue_letter(case=case, by=office, today=D("2026-03-05"), kind="correction_notice", issued_on=D("2026-03-05"),
                    content="违规出借财政资金。")
    case.refresh_from_db()
    text = paragraphs(generate(_letter_target(case), by=office, today=D("2026-03-05"), pdf=False))
    assert text[-4] == "请你自收到本通知书之日起1个月内整改到位，并将整改报告以书面形式报送县预警办。" + closing
