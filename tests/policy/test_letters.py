"""A policy's own letter forms (``[letters.<key>]``): what the loader refuses, naming the dotted key; how a letter
is completed from the built-in defaults; its title wherever a letter is named (the policy page, the API's enum,
the letter form, next steps and refusals), read from the case's own policy version."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from tests.cases.conftest import SHOU, with_measure
from tests.dates import D
from yujing.cases.measures import letter_label, letter_labels
from yujing.cases.models import Letter
from yujing.policy.schema import LetterForm, PolicyError, parse_policy

CARDS = Path(__file__).resolve().parents[2] / "src" / "yujing" / "policy" / "policies" / "cards.toml"
SHOU_TITLES = {"inquiry_letter": "询问函", "admonition_notice": "警示诫勉通知书", "correction_notice": "责令纠错通知书",
               "discipline_opinion": "纪律检查(行政监察)意见书", "discipline_recommendation": "纪律检查(行政监察)建议书"}
# Shou with a letter of its own for 警示诫勉 (the generic layout, the register's requirements)
OWN = with_measure(SHOU, "admonition", letter_forms='["jingjie_letter", "discipline_opinion"]') + """
[letters.jingjie_letter]
title = "警示诫勉函"
article = "第二十三条"
requirements = true
"""


def _refusal(text: str) -> list[str]:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "县策略.toml")
    head, *lines = str(info.value).splitlines()
    assert head == "策略文件 县策略.toml 有误："
    return [line.strip() for line in lines]


def test_an_unknown_template_is_refused():
    assert _refusal(OWN.replace('title = "警示诫勉函"', 'title = "警示诫勉函"\ntemplate = "card"')) == [
        "letters.jingjie_letter.template: 未知的文书版式“card”；可用：inquiry_letter（询问函）、admonition_notice（警示诫勉通知书）、"
        "correction_notice（责令纠错通知书）、discipline_opinion（纪律检查(行政监察)意见书）、"
        "discipline_recommendation（纪律检查(行政监察)建议书）、letter（通用文书版式）"]


def test_a_new_letter_without_a_title_is_refused():
    assert _refusal(OWN.replace('title = "警示诫勉函"\n', "")) == [
        "letters.jingjie_letter.title: 新的文书须写明 title（文书名称，如“警诫卡”）"]


def test_a_letter_neither_built_in_nor_defined_is_refused():
    text = with_measure(SHOU, "admonition", letter_forms='["jingjie_letter"]')
    assert _refusal(text) == [
        "measures.admonition.letter_forms: 文书 jingjie_letter 既不是内置文书，也未在 [letters.jingjie_letter] 中定义；"
        "可用：inquiry_letter、admonition_notice、correction_notice、discipline_opinion、discipline_recommendation"]
    # a letter the policy defines is offered in the list
    assert _refusal(OWN.replace('"jingjie_letter", "discipline_opinion"', '"jingjie_leter"')) == [
        "measures.admonition.letter_forms: 文书 jingjie_leter 既不是内置文书，也未在 [letters.jingjie_leter] 中定义；"
        "可用：inquiry_letter、admonition_notice、correction_notice、discipline_opinion、discipline_recommendation、"
        "jingjie_letter"]


def test_a_letter_key_is_a_code_and_not_another_form():
    assert _refusal(OWN.replace("jingjie_letter", "Jingjie")) == [
        "letters.Jingjie: 文书键 Jingjie 不合规：只能用小写英文字母、数字和下划线，以字母开头，不超过32个字符（文书名称写在 title）"]
    assert _refusal(OWN.replace("jingjie_letter", "j" * 33)) == [
        f"letters.{'j' * 33}: 文书键 {'j' * 33} 不合规：只能用小写英文字母、数字和下划线，以字母开头，不超过32个字符"
        "（文书名称写在 title）"]
    assert parse_policy(OWN.replace("jingjie_letter", "j" * 32)).letter("j" * 32).title == "警示诫勉函"
    assert _refusal(OWN.replace("jingjie_letter", "talk_notice")) == [
        "letters.talk_notice: talk_notice 已是本系统文书“谈话通知书”的代码，请换一个文书键"]


def test_shou_s_letters_are_the_five_built_in_ones_unchanged():
    policy = parse_policy(SHOU)
    assert {k: policy.letter(k) for k in SHOU_TITLES} == {
        "inquiry_letter": LetterForm("inquiry_letter", "询问函", "第二十二条", "inquiry_letter", "询问的问题", False, True),
        "admonition_notice": LetterForm("admonition_notice", "警示诫勉通知书", "第二十三条", "admonition_notice",
                                        "指出的问题", True, True),
        "correction_notice": LetterForm("correction_notice", "责令纠错通知书", "第二十四条", "correction_notice",
                                        "错误事实", True, True),
        "discipline_opinion": LetterForm("discipline_opinion", "纪律检查(行政监察)意见书", "第二十三条",
                                         "discipline_opinion", "意见", False, True),
        "discipline_recommendation": LetterForm("discipline_recommendation", "纪律检查(行政监察)建议书", "第二十四条",
                                                "discipline_recommendation", "建议", False, True)}
    assert policy.letter("jingjie_letter") is None
    assert {k: letter_label(policy, k) for k in SHOU_TITLES} == SHOU_TITLES


def test_a_new_letter_is_completed_from_its_layout():
    policy = parse_policy(OWN)
    assert policy.letter("jingjie_letter") == LetterForm("jingjie_letter", "警示诫勉函", "第二十三条", "letter",
                                                         "告知的问题", True, True)
    on_notice = parse_policy(OWN.replace("requirements = true", 'template = "admonition_notice"\nnumbered = false'))
    # a built-in layout gives its content label and requirements
    assert on_notice.letter("jingjie_letter") == LetterForm("jingjie_letter", "警示诫勉函", "第二十三条",
                                                            "admonition_notice", "指出的问题", True, False)
    renamed = parse_policy(SHOU.replace('inquiry_letter = { article = "第二十二条" }',
                                        'inquiry_letter = { article = "第二十二条", title = "函询通知书" }'))
    assert renamed.letter("inquiry_letter") == LetterForm("inquiry_letter", "函询通知书", "第二十二条", "inquiry_letter",
                                                          "询问的问题", False, True)


def test_the_cards_name_their_own_letters():
    policy = parse_policy(CARDS.read_text(encoding="utf-8"))
    assert [policy.measure(k).letter_forms for k in policy.measures] == [[], ["inquiry_card"], ["warning_card"]]
    assert policy.letter("inquiry_card") == LetterForm("inquiry_card", "函询卡", "第八条", "letter", "函询的问题",
                                                       False, True)
    assert policy.letter("warning_card") == LetterForm("warning_card", "警诫卡", "第十三条", "letter", "指出的问题",
                                                       True, True)
    assert letter_labels(policy, ["warning_card", "inquiry_letter", "nothing"]) == ["警诫卡", "询问函", "nothing"]


def test_the_policy_page_names_the_letters(use_policy, login):
    from tests.policy.test_page import _cells

    page = login("yjb").get("/policy/").content.decode()
    assert _cells(page, "实施方式") == [
        "书面或谈话；文书：询问函 第二十二至二十四条",
        "书面或谈话；文书：警示诫勉通知书、纪律检查(行政监察)意见书 第二十二至二十四条",
        "书面或谈话；文书：责令纠错通知书、纪律检查(行政监察)建议书 第二十二至二十四条"]
    use_policy(CARDS)
    page = login("yjb").get("/policy/").content.decode()
    assert _cells(page, "实施方式") == ["谈话", "书面；文书：函询卡", "谈话；文书：警诫卡"]


def test_the_openapi_document_names_the_policy_s_letters(db, use_policy):
    use_policy(CARDS)
    kind = Client().get("/api/openapi.json").json()["components"]["schemas"]["LetterIn"]["properties"]["kind"]
    assert kind["enum"] == ["inquiry_card", "warning_card"]
    assert kind["description"] == "文书：inquiry_card 函询卡、warning_card 警诫卡；须为本措施的 letter_forms"


def test_shou_s_openapi_letters_read_as_before(db):
    kind = Client().get("/api/openapi.json").json()["components"]["schemas"]["LetterIn"]["properties"]["kind"]
    assert kind["description"] == (
        "文书：inquiry_letter 询问函、admonition_notice 警示诫勉通知书、discipline_opinion 纪律检查(行政监察)意见书、"
        "correction_notice 责令纠错通知书、discipline_recommendation 纪律检查(行政监察)建议书；须为本措施的 letter_forms")


def _admonition_approved(use_policy, approved, users, text):
    """An admonition case under ``text``, approved on 2026-03-03 and its requirements approved on 2026-03-04."""
    from yujing.cases import services as cs

    use_policy(text)
    case = approved("admonition", "MH0001", on="2026-03-02", approve_on="2026-03-03")
    cs.write_register(case=case, by=users["yjb"], today=D("2026-03-03"), content="退还礼金")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-03-04"))
    case.refresh_from_db()
    return case


def test_a_case_issues_the_policy_s_letter_by_its_name(use_policy, approved, users):
    from django.core.exceptions import ValidationError

    from yujing.cases import services as cs
    from yujing.cases.forms import LetterForm as IssueForm
    from yujing.cases.selectors import next_steps

    case = _admonition_approved(use_policy, approved, users, OWN)
    assert [(s.action, s.label) for s in next_steps(case) if s.action == "issue_letter"] == [
        ("issue_letter", "书面预警：发出预警文书")]
    form = IssueForm(case=case)
    assert form.fields["kind"].choices == [("jingjie_letter", "警示诫勉函"), ("discipline_opinion", "纪律检查(行政监察)意见书")]
    assert form.fields["content"].label == "告知的问题和要求"  # the letters state no common content label
    with pytest.raises(ValidationError) as refused:
        cs.issue_letter(case=case, by=users["yjb"], today=D("2026-03-05"), kind="admonition_notice",
                        issued_on=D("2026-03-05"), content="警示")
    assert refused.value.message_dict == {"kind": ["警示诫勉应使用警示诫勉函、纪律检查(行政监察)意见书"]}
    letter = cs.issue_letter(case=case, by=users["yjb"], today=D("2026-03-05"), kind="jingjie_letter",
                             issued_on=D("2026-03-05"), content="警示")
    assert (letter.kind, letter.get_kind_display()) == ("jingjie_letter", "警示诫勉函")
    # the case keeps its version's letter title when the policy in force changes
    use_policy(OWN.replace('title = "警示诫勉函"', 'title = "诫勉函"'))
    letter.refresh_from_db()
    assert letter.get_kind_display() == "警示诫勉函"


def test_the_letter_form_takes_the_content_label_the_policy_states(use_policy, approved, users):
    from yujing.cases.forms import LetterForm as IssueForm

    text = with_measure(OWN, "admonition", letter_forms='["jingjie_letter"]').replace(
        "requirements = true", 'requirements = true\ncontent_label = "存在的问题"')
    case = _admonition_approved(use_policy, approved, users, text)
    form = IssueForm(case=case)
    assert (form.fields["kind"].choices, form.fields["content"].label) == ([("jingjie_letter", "警示诫勉函")], "存在的问题")


def test_the_table_takes_any_letter_key_of_the_right_form(open_case, users):
    case = open_case("inquiry", "MH0003", on="2026-03-02")
    Letter.objects.create(case=case, kind="a" * 32, issued_on=D("2026-03-02"), content="x", recorded_by=users["yjb"])
    for bad in ("Inquiry_card", "1card", "_card", "card-x", "card\n"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Letter.objects.create(case=case, kind=bad, issued_on=D("2026-03-02"), content="x", recorded_by=users["yjb"])
