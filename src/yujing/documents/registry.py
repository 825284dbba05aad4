"""The standard forms (统一规范的文书, 第二十一条): what each is called, whether it carries a document
number, where the policy states the articles it rests on, and the fields it needs. The DOCX template of each lives in ``docx/<key>.docx`` (built by
``manage.py build_doc_templates``; an administrator may replace any of them — see
``YUJING_DOC_TEMPLATES``).

A letter is a form of the case's policy (``case_letter_form``): one of the five built-in letters, or one its
``[letters.<key>]`` defines, with its own title and the layout it names (a built-in letter's, or the generic
``docx/letter.docx``). ``FORMS`` holds the built-in letters as they are without a policy's changes."""

from __future__ import annotations

from dataclasses import dataclass

from yujing.policy.schema import BUILTIN_LETTERS, LetterForm


@dataclass(frozen=True)
class Form:
    key: str
    title: str
    numbered: bool  # outgoing documents get a 文号 from the issuer's yearly sequence
    scope: str  # what it is generated for: case, clue, talk, extension, notice, chief_report, feedback
    # where the articles it rests on are written in the policy (see ``article``): ("citations", key),
    # ("letters", form) for a letter's ``[letters.<form>] article``, ("section", name) for a fixed section's
    # article, ("measure", key) for one of the case's measure's articles
    cites: tuple[tuple[str, str], ...]
    required: tuple[tuple[str, str], ...] = ()  # (context key, Chinese name) that must not be empty
    template: str = ""  # the DOCX layout (docx/<template>.docx) when it is not the form's own key
    letter: LetterForm | None = None  # a letter form: as the case's policy has it

    @property
    def layout(self) -> str:
        """The name of the DOCX template the form is rendered with."""
        return self.template or self.key


def letter_form(letter: LetterForm) -> Form:
    """The form of a letter as a policy has it ([letters.<key>] over the built-in defaults): its title, layout,
    numbering, articles (its own and, when it states the requirements, the register's) and required fields."""
    requirements = (("requirements", "整改要求"),) if letter.requirements else ()
    return Form(letter.key, letter.title, letter.numbered, "case",
                (("letters", letter.key), *((("section", "register"),) if letter.requirements else ())),
                (("target_name", "预警对象姓名"), ("letter_content", letter.content_label), *requirements,
                 ("issued_on", "发出日期")),
                template=letter.template, letter=letter)


def _builtin(key: str) -> Form:
    defaults = BUILTIN_LETTERS[key]
    return letter_form(LetterForm(key, defaults.title, "", key, defaults.content_label, defaults.requirements, True))


# ``{measure}`` is the case's measure in the document and "预警" in the form's name on the card;
# ``{measure_label}`` is the case's measure in both.
FORMS: dict[str, Form] = {f.key: f for f in (
    Form("clue_transfer", "预警线索移送表", False, "clue", (("citations", "transfer"),),
         (("from_unit", "移送单位"), ("transferred_on", "移送日期"), ("summary", "问题摘要"))),
    Form("target_approval", "预警对象审批表", False, "case", (("measure", "approval_article"),),
         (("target_name", "预警对象姓名"), ("measure", "预警措施"), ("facts", "主要问题"))),
    _builtin("inquiry_letter"),
    Form("talk_notice", "谈话通知书", True, "talk", (("section", "talk"),),
         (("target_name", "预警对象姓名"), ("talk_time", "谈话时间"), ("talk_place", "谈话地点"))),
    Form("talk_record", "预警谈话记录", False, "talk", (("section", "talk"),),
         (("talk_date", "谈话日期"), ("talk_record", "谈话记录"), ("chief_talker", "主谈人"))),
    _builtin("admonition_notice"),
    _builtin("correction_notice"),
    _builtin("discipline_opinion"),
    _builtin("discipline_recommendation"),
    Form("warning_register", "预警工作登记表", False, "case", (("section", "register"),),
         (("target_name", "预警对象姓名"), ("register_content", "承诺情况或整改要求"))),
    Form("extension_approval", "延期整改审批表", False, "extension", (("measure", "extension"),),
         (("target_name", "预警对象姓名"), ("extension_reason", "延期理由"), ("requested_until", "申请延至"))),
    Form("extension_notice", "延期整改通知书", True, "extension", (("measure", "extension"),),
         (("target_name", "预警对象姓名"), ("new_due", "批准延至"), ("decided_on", "批准日期"))),
    Form("revisit_register", "预警工作回访登记表", False, "revisit", (("section", "lifting"),),
         (("target_name", "预警对象姓名"), ("revisit_date", "回访日期"), ("revisit_findings", "回访情况"))),
    Form("notice", "关于{target_name}同志{measure}情况的通报", True, "notice", (("citations", "notices"),),
         (("target_name", "预警对象姓名"), ("recipient_name", "通报对象"), ("notice_content", "通报内容"))),
    Form("outcome_report", "关于{target_name}同志{measure_label}结果的报告", True, "chief_report",
         (("section", "outcome_report"),),
         (("target_name", "预警对象姓名"), ("report_content", "汇报内容"), ("outcome_text", "结果"),
          ("reported_on", "汇报日期"))),
    Form("feedback_letter", "预警线索办理情况反馈函", True, "feedback", (("citations", "feedback"),),
         (("recipient_name", "反馈对象"), ("feedback_content", "反馈内容"), ("clue_number", "线索编号"))),
)}



def case_letter_form(case, kind: str) -> Form:
    """The form of a letter of ``case``: the letter ``kind`` as the case's policy version has it (else as the
    policy in force has it; else the generic layout under the key itself — reading a case never fails)."""
    from yujing.cases.services._common import case_policy
    from yujing.policy.loader import get_policy
    from yujing.policy.schema import LetterRules

    letter = case_policy(case).letter(kind) or get_policy().letter(kind) or LetterRules(title=kind).form(kind)
    return letter_form(letter)

_SECTIONS = {"register": "register_"}  # a section whose attribute is not its TOML name


def section_article(policy, name: str) -> str:
    """The ``article`` of a fixed section (``[talk]``, ``[register]``, ``[outcome_report]`` …)."""
    section = getattr(policy.rules, _SECTIONS.get(name, name), None)
    return getattr(section, "article", "") or ""


def letter_article(policy, form: str) -> str:
    """A letter form's own article (``[letters.<form>] article``), "" when the policy states none."""
    letter = policy.rules.letters.get(form)
    return letter.article if letter else ""


def measure_article(rules, key: str) -> str:
    """One of a measure's articles: ``extension`` is its extension's, any other key names the article itself."""
    if rules is None:
        return ""
    if key == "extension":
        return rules.extension.article if rules.extension else ""
    return getattr(rules, key, "") or ""


def article(form: Form, case=None) -> str:
    """The articles ``form`` rests on, from the case's policy version (or the policy in force for a clue's
    forms); "" when the policy states none."""
    from yujing.policy import words

    if case is not None:
        from yujing.cases.services._common import case_policy, measure_rules

        policy, rules = case_policy(case), measure_rules(case)
    else:
        from yujing.policy.loader import get_policy

        policy, rules = get_policy(), None
    found = []
    for kind, key in form.cites:
        if kind == "citations":
            found.append(words.cite(policy, key))
        elif kind == "letters":
            found.append(letter_article(policy, key))
        elif kind == "section":
            found.append(section_article(policy, key))
        else:
            found.append(measure_article(rules, key))
    return "、".join(dict.fromkeys(a for a in found if a))
