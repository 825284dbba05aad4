"""The policy file format (TOML) and its validation.

A policy carries every number and tier of the regulation (DESIGN.md §2). It is validated in full
at start-up; a wrong policy stops start-up with a message naming the key, e.g.
``measures.correction.response.period: 期间“1x”格式不对…``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
    model_validator,
)

from yujing.clues.channels import Channel
from yujing.orgs.roles import CANNOT_ACT, CLUE_READERS, ROLE_NAMES, Role

from .periods import Period, PeriodError, Roll

DEFAULT_POLICY = Path(__file__).resolve().parent / "policies" / "shou.toml"

# The measure keys of a policy written before ``[policy] measures`` existed (format 1): a stored text that
# does not declare its measures is read with these keys, completed from ``policies/legacy_v1.toml``.
LEGACY_MEASURES = ("inquiry", "admonition", "correction")
LEGACY_POLICY = Path(__file__).resolve().parent / "policies" / "legacy_v1.toml"
# A measure key is a code, not a word: lower-case ASCII, at most 20 characters (the case tables hold it in
# a column of 20); the measure's Chinese name is its ``label``.
MEASURE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
# What a measure may escalate to besides another measure of the policy (第二十九条、第三十一条)
OUTCOMES = {"organisational": "转组织处理", "case_filing": "立案查处"}
# When an escalation is open (``escalate_when``): a closed list, each a rule the workflow checks.
CONDITIONS = {
    "after_implementation": "预警实施之后",
    "renewed_complaint": "实施后（或解除后）群众仍有反映、经核查属实",
    "rectification_failed": "整改不力：逾期未报告整改，或回访未达到整改要求",
    "deadline_passed_uncorrected": "整改期限届满、错误没有得到纠正",
    "filing_conditions": "经核查已构成立案条件",
    "rounds_exhausted": "各轮整改均未达到要求（已进行本措施规定的最后一轮整改）",
}
DELIVERIES = ("letter", "talk")


@dataclass(frozen=True)
class LetterDefaults:
    """What a letter layout states unless its ``[letters.<key>]`` says otherwise."""

    title: str
    content_label: str  # what the letter's content is called on the form, the page and the document
    requirements: bool  # it states the approved rectification requirements of the register


# The built-in letter forms: each its own DOCX layout (documents/docx/<key>.docx), usable by any policy under
# its key (``letter_forms``) or as the ``template`` of a letter the policy defines.
BUILTIN_LETTERS = {
    "inquiry_letter": LetterDefaults("询问函", "询问的问题", False),
    "admonition_notice": LetterDefaults("警示诫勉通知书", "指出的问题", True),
    "correction_notice": LetterDefaults("责令纠错通知书", "错误事实", True),
    "discipline_opinion": LetterDefaults("纪律检查(行政监察)意见书", "意见", False),
    "discipline_recommendation": LetterDefaults("纪律检查(行政监察)建议书", "建议", False),
}
# the generic layout of a letter a policy defines (发文机关标志, title, content, requirements, period, 署名)
GENERIC_LETTER = "letter"
GENERIC_DEFAULTS = LetterDefaults("", "告知的问题", False)
LETTER_TEMPLATES = {**{k: v.title for k, v in BUILTIN_LETTERS.items()}, GENERIC_LETTER: "通用文书版式"}
# a letter key is a code like a measure key, at most 32 characters (the letters table holds it in a column of 32)
LETTER_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class LetterForm:
    """A letter form as a policy has it: ``[letters.<key>]`` over the built-in defaults of its key or layout."""

    key: str
    title: str
    article: str
    template: str
    content_label: str
    requirements: bool
    numbered: bool


# The events a time limit may be counted from: a closed list, so that a misspelt ``from`` is refused at
# start-up instead of silently counting from something else.
EVENTS = {
    "received": "线索登记之日",
    "approval": "批准之日",
    "delivery": "送达之日",
    "talk": "谈话之日",
    "implemented": "实施之日",
    "response": "收到书面答复或整改报告之日",
    "closing": "解除预警或升级处理之日",
    "quarter_end": "季度末",
}
# the events a measure's own time limits (``limits``) may count from: those of a case, up to its answer
LIMIT_EVENTS = ("approval", "implemented", "talk", "delivery", "response")
# The event each fixed time limit is counted from by the workflow; a file naming another event states a
# rule the workflow would not follow, so it is refused rather than ignored.
SECTION_EVENTS = {
    "screening": "received",
    "implementation": "approval",
    "quarterly_report": "quarter_end",
    "revisit": "response",
    "outcome_report": "closing",
}
# A period longer than this is a typing error (7y for 7d, 120m for 12m), not a rule.
MAX_PERIOD_DAYS = 3660
_APPROX_DAYS = {"d": 1, "wd": 7 / 5, "m": 366 / 12, "y": 366}


def _period(value: object) -> Period:
    if isinstance(value, Period):
        return value
    if not isinstance(value, str):
        raise ValueError("期间应写作字符串，如 \"7d\"、\"1m\"、\"5wd\"")
    try:
        period = Period.parse(value)
    except PeriodError as exc:
        raise ValueError(str(exc)) from exc
    if period.count * _APPROX_DAYS[period.unit.value] > MAX_PERIOD_DAYS:
        raise ValueError(f"期间“{value}”（{period.label}）超过10年，不合理：请检查数字和单位（d 日、wd 工作日、m 月、y 年）")
    return period


# read from "7d"; written back the same way (GET /api/policy returns the rules as the file states them)
PeriodField = Annotated[Period, BeforeValidator(_period), PlainSerializer(str, return_type=str)]


def _roles(values: list[str]) -> list[str]:
    unknown = [v for v in values if v not in ROLE_NAMES]
    if unknown:
        raise ValueError(f"未知角色 {', '.join(unknown)}；可用角色：{', '.join(sorted(ROLE_NAMES))}")
    if not values:
        raise ValueError("至少需要一个角色")
    idle = [v for v in values if v in CANNOT_ACT]
    if idle:
        raise ValueError("；".join(f"角色 {v}（{Role(v).label}）{CANNOT_ACT[v]}，不能审批或办理" for v in idle))
    return values


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Meta(Strict):
    id: str = Field(min_length=1)
    name: str
    issuer: str
    basis: str = ""
    version: str = Field(min_length=1)
    article: str = ""
    # the measures of this rule set, from the lightest to the heaviest (the position is the measure's level);
    # each has its table [measures.<key>]. Absent only in texts written before it existed (format 1).
    measures: list[str] | None = None

    @field_validator("measures")
    @classmethod
    def _keys(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return value
        if not value:
            raise ValueError("至少需要一项预警措施")
        bad = [k for k in value if not isinstance(k, str) or not MEASURE_KEY.match(k)]
        if bad:
            raise ValueError(f"措施键 {', '.join(map(str, bad))} 不合规：只能用小写英文字母、数字和下划线，"
                             "以字母开头，不超过20个字符（中文名称写在 label）")
        twice = sorted({k for k in value if value.count(k) > 1})
        if twice:
            raise ValueError(f"措施 {', '.join(twice)} 重复列出")
        return value


class CalendarRules(Strict):
    roll: Roll = Roll.REST_DAY


class Numbering(Strict):
    format: str = "{prefix}〔{year}〕{seq}号"

    @field_validator("format")
    @classmethod
    def _has_fields(cls, value: str) -> str:
        for name in ("{prefix}", "{year}", "{seq}"):
            if name not in value:
                raise ValueError(f"文号格式必须含有 {name}")
        return value


class TimeLimit(Strict):
    period: PeriodField
    start: str = Field(alias="from")
    article: str

    @field_validator("start")
    @classmethod
    def _known_event(cls, value: str) -> str:
        if value not in EVENTS:
            known = "、".join(f"{k}（{v}）" for k, v in EVENTS.items())
            raise ValueError(f"未知的起算事件“{value}”；可用：{known}")
        return value


class Oversight(Strict):
    due_soon_days: int = Field(ge=0, le=60)
    severely_late_days: int = Field(ge=1, le=365)
    remind_days: int = Field(default=7, ge=0, le=60)


class TalkRules(Strict):
    min_talkers: int = Field(ge=1, le=10)
    chief_for_principal: list[str]
    chief_for_others: list[str]
    # 第二十二条 "必要时…请县委、县政府有关领导主谈": the roles such a leader holds, allowed as chief talker
    # for a principal target only with a recorded reason; empty = the county does not use the exception.
    county_leaders: list[str] = Field(default_factory=list)
    # 第二十条 "也可以委托所在单位主要负责人实施": who may delegate the talk with another member of a leadership
    # team to the principal of the cadre's own unit; empty = no delegation.
    delegators: list[str] = Field(default_factory=list)
    # the kinds of unit whose 党政主要负责人 are "principal" targets, talked to by chief_for_principal
    # (第二十二条 乡镇和县直单位党政主要负责人); empty = nobody is
    principal_units: list[str] = Field(default_factory=list)
    article: str

    _check_principal = field_validator("chief_for_principal", "chief_for_others")(_roles)
    _check_units = field_validator("principal_units")(lambda v: list(_unit_kinds(dict.fromkeys(v))))

    @field_validator("county_leaders", "delegators")
    @classmethod
    def _known(cls, values: list[str]) -> list[str]:
        return _roles(values) if values else values


class LetterRules(Strict):
    """``[letters.<key>]``: a letter form — a built-in one (BUILTIN_LETTERS) restated, or the policy's own. ``article``
    is what it rests on besides its measure's own article (Shou 第二十二至二十四条; none cited when empty);
    ``title`` the document's title (required for a new key); ``template`` its layout (a built-in letter key, or
    ``letter``, the generic layout; a built-in key defaults to its own, a new one to ``letter``); ``content_label``
    what its content is called; ``requirements`` whether it states the approved rectification requirements (and
    the restrictions of the measure); ``numbered`` whether it takes a 文号. Unset values come from the key's built-in
    defaults, else from the template's."""

    title: str | None = Field(default=None, min_length=1, max_length=50)
    article: str = ""
    template: str | None = None
    content_label: str | None = Field(default=None, min_length=1, max_length=30)
    requirements: bool | None = None
    numbered: bool = True

    @field_validator("template")
    @classmethod
    def _known_template(cls, value: str | None) -> str | None:
        if value is not None and value not in LETTER_TEMPLATES:
            known = "、".join(f"{k}（{v}）" for k, v in LETTER_TEMPLATES.items())
            raise ValueError(f"未知的文书版式“{value}”；可用：{known}")
        return value

    def form(self, key: str) -> LetterForm:
        """The letter ``key`` as this table states it, completed from the built-in defaults."""
        builtin = BUILTIN_LETTERS.get(key)
        template = self.template or (key if builtin else GENERIC_LETTER)
        layout = BUILTIN_LETTERS.get(template, GENERIC_DEFAULTS)
        return LetterForm(
            key=key, title=self.title or (builtin.title if builtin else ""), article=self.article, template=template,
            content_label=self.content_label or (builtin or layout).content_label,
            requirements=self.requirements if self.requirements is not None else (builtin or layout).requirements,
            numbered=self.numbered)


class RoleRule(Strict):
    article: str
    roles: list[str] = Field(default_factory=list)
    approvers: list[str] = Field(default_factory=list)
    implementers: list[str] = Field(default_factory=list)

    @field_validator("approvers", "implementers")
    @classmethod
    def _known(cls, values: list[str]) -> list[str]:
        return _roles(values) if values else values

    @field_validator("roles")
    @classmethod
    def _readers(cls, values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in ROLE_NAMES]
        if unknown:
            raise ValueError(f"未知角色 {', '.join(unknown)}；可用角色：{', '.join(sorted(ROLE_NAMES))}")
        blind = [v for v in values if v not in CLUE_READERS]
        if blind:
            raise ValueError("；".join(f"角色 {v}（{Role(v).label}）不能查看线索，不能知悉举报人身份" for v in blind))
        return values


class Response(Strict):
    period: PeriodField
    label: str
    article: str


class Redo(Strict):
    """A weak answer sent back to be done again (说明不清的退回重报): a new period from the day it is sent
    back, at most ``max`` times."""

    period: PeriodField
    label: str = "重新说明"
    article: str
    max: int = Field(default=1, ge=1, le=5)


class SignoffLevel(Strict):
    who: Literal["unit_principal", "managing_principal", "leader_in_charge"]
    label: str


class Signoff(Strict):
    """The answer is read and signed before it is accepted (所在单位党组织主要负责人阅签, or level by level):
    each level in turn; only the last makes the answer received."""

    levels: list[SignoffLevel] = Field(min_length=1)
    article: str


class Rounds(Strict):
    """Further rectification rounds on one case (第二轮整改): after a revisit finds the requirements not met,
    a leader may open another round, with a new period, up to ``max`` rounds in all."""

    max: int = Field(default=2, ge=2, le=5)
    label: str = "再次整改"
    article: str
    period: PeriodField | None = None  # the new round's period; the measure's response period when absent


class Again(Strict):
    """A further letter on the same case (再次函询: 对函询说明不清楚、不完整的，可以再次函询): once the answer to the
    current letter is received, a leader may decide another letter with new questions, issued and delivered
    anew, with its own response clock; up to ``max`` letters in all on the case."""

    max: int = 2
    label: str = Field(default="再次函询", min_length=1)
    article: str
    # the new letter's implementation limit, counted from the decision; the [implementation] period when absent
    period: PeriodField | None = None

    @field_validator("max")
    @classmethod
    def _letters(cls, value: int) -> int:
        if not 2 <= value <= 5:
            raise ValueError(f"为本事项共发函的次数（含第一次），应为2至5，不能是{value}")
        return value


class Extension(Strict):
    cap: PeriodField
    approvers: list[str]
    article: str

    _check = field_validator("approvers")(_roles)


class ChainStep(Strict):
    """One further step of a sequential approval (分管领导 → 主要领导 → 党委主要领导): any of ``roles`` decides it."""

    roles: list[str]
    label: str = ""

    _check = field_validator("roles")(_roles)

    @model_validator(mode="before")
    @classmethod
    def _a_list_is_its_roles(cls, data: object) -> object:
        return {"roles": data} if isinstance(data, list) else data


def _unit_kinds(value: dict) -> dict:
    from yujing.orgs.models import Unit

    unknown = sorted(set(value) - set(Unit.Kind.values))
    if unknown:
        known = "、".join(f"{k}（{v}）" for k, v in Unit.Kind.choices)
        raise ValueError(f"未知的管理单位类别 {', '.join(unknown)}；可用：{known}")
    return value


class Limit(Strict):
    """A further time limit of a measure (自查报告 within 5 working days; a 整改情况报告 due no earlier than
    6 months after the measure): started by its event, recorded when done, and, while open, in the way of
    lifting when ``blocks_lifting``. A ``not_before`` limit may not be done before its date."""

    key: str
    label: str
    period: PeriodField
    start: str = Field(alias="from")
    kind: Literal["deadline", "not_before"] = "deadline"
    article: str
    blocks_lifting: bool = True

    @field_validator("key")
    @classmethod
    def _code(cls, value: str) -> str:
        if not MEASURE_KEY.match(value):
            raise ValueError(f"期限键 {value} 不合规：只能用小写英文字母、数字和下划线，以字母开头，不超过20个字符")
        return value

    @field_validator("start")
    @classmethod
    def _event(cls, value: str) -> str:
        if value not in LIMIT_EVENTS:
            known = "、".join(f"{k}（{EVENTS[k]}）" for k in LIMIT_EVENTS)
            raise ValueError(f"期限不能自“{value}”起算；可用：{known}")
        return value


class ByManager(Strict):
    """Who decides a measure for cadres managed by one kind of unit (干部管理权限): e.g. those the
    organisation department manages are decided by it."""

    approvers: list[str]
    then: list[ChainStep] = Field(default_factory=list)
    standing_committee: Literal["never", "optional", "required"] = "never"

    _check = field_validator("approvers")(_roles)


class Measure(Strict):
    label: str
    article: str
    verification_required: bool
    verification_article: str
    approvers: list[str]
    standing_committee: Literal["never", "optional", "required"]
    report_to_party_chief: bool
    # 向党委(党组)主要领导汇报 the outcome once the case has ended (第三十一条, 责令纠错); off when not set, so
    # the policy versions older cases keep still read
    report_outcome_to_party_chief: bool = False
    approval_article: str
    deliveries: list[Literal["letter", "talk"]] = Field(min_length=1)
    # the letters and notices it sends; may be empty only for a measure implemented by talk alone
    # a built-in letter key (BUILTIN_LETTERS) or one the policy defines in [letters.<key>]
    letter_forms: list[str]
    # the written explanation or rectification report asked for, and its period; ``false``: none (a
    # measure that is a talk and nothing more, e.g. 诫勉谈话), the case awaits its closing after the talk
    response: Response | Literal[False]
    extension: Extension | None = None
    # an answer found inadequate may be sent back for redo, with a new period (退回重报)
    redo: Redo | None = None
    # another rectification round after a failed revisit (第二轮整改), up to rounds.max in all
    rounds: Rounds | None = None
    # a further letter with new questions after the answer to the current one (再次函询), up to again.max letters
    again: Again | None = None
    # the answer is signed off (阅签) level by level before it counts as received
    signoff: Signoff | None = None
    revisit_required: bool = False
    restricted: bool
    notify_unit: Literal["never", "optional", "required"]
    notify_departments: bool
    integrity_record: bool
    # another measure of this policy (checked against [policy] measures), or one of OUTCOMES
    escalations: list[str] = Field(default_factory=list)
    # 整改要求 are written in the register and approved by a leader before the letter or notice goes out (第二十五条);
    # without it the register records the target's commitment after the talk or letter, with no approval
    requirements_approval: bool = False
    # a talk is followed by a notice, and the response period runs from the notice's delivery; without it
    # the period runs from the day of the talk and no letter follows a talk (第二十八条 for 谈话函询)
    talk_followed_by_letter: bool = False
    # when each escalation is open (CONDITIONS); an escalation not named here is open once the warning has
    # been implemented, except case_filing, which always needs filing_conditions (第二十九条)
    escalate_when: dict[str, str] = Field(default_factory=dict)
    # the article cited when an escalation is refused; the measure's own article when empty
    escalation_article: str = ""
    # the steps that follow ``approvers`` in a sequential approval, each decided and recorded in turn; only
    # the last approves the case and starts the implementation period. Empty: one decision (第十七条)
    then: list[ChainStep] = Field(default_factory=list)
    # further time limits of the measure, each counted from its event (LIMIT_EVENTS)
    limits: list[Limit] = Field(default_factory=list)
    # by the kind of unit that manages the cadre (干部管理权限): who decides instead of ``approvers``/``then``
    by_manager: dict[str, ByManager] = Field(default_factory=dict)

    # what the target may not do, and for how long (第三十一条 in Shou); required when restricted = true in a
    # text that declares [policy] measures, forbidden when false
    restrictions: list[RestrictionRule] = Field(default_factory=list)

    _check_kinds = field_validator("by_manager")(_unit_kinds)

    _check = field_validator("approvers")(_roles)

    @field_validator("escalate_when")
    @classmethod
    def _conditions(cls, value: dict[str, str]) -> dict[str, str]:
        for target, condition in value.items():
            if condition not in CONDITIONS:
                known = "、".join(f"{k}（{v}）" for k, v in CONDITIONS.items())
                raise ValueError(f"{target} 的条件“{condition}”未知；可用：{known}")
        return value

    @property
    def answered(self) -> bool:
        """Whether the target answers in writing (a response period runs)."""
        return self.response is not False

    @model_validator(mode="after")
    def _rounds_follow_a_revisit(self) -> Measure:
        if self.rounds is not None and not self.revisit_required:
            raise ValueError("rounds: 再次整改在回访认为未达到整改要求之后开始，须 revisit_required = true")
        return self

    @model_validator(mode="after")
    def _again_by_letter(self) -> Measure:
        if self.again is not None and "letter" not in self.deliveries:
            raise ValueError(f"again: {self.again.label}是再发一封函，只适用于以书面方式实施的措施（deliveries 须含 letter）")
        return self

    @model_validator(mode="after")
    def _limits_apart(self) -> Measure:
        keys = [limit.key for limit in self.limits]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"limits: 期限键 {', '.join(twice)} 重复")
        if not self.answered and any(limit.start == "response" for limit in self.limits):
            raise ValueError("limits: 本措施不要求书面答复（response = false），期限不能自 response 起算")
        return self

    def limit(self, key: str) -> Limit | None:
        return next((limit for limit in self.limits if limit.key == key), None)

    @model_validator(mode="after")
    def _no_response_means_a_talk(self) -> Measure:
        if not self.letter_forms and ("letter" in self.deliveries or self.talk_followed_by_letter):
            raise ValueError("letter_forms: 不能为空（书面方式或谈话后发通知书，须写明所用文书）")
        if self.response is False:
            extra = [k for k, on in (("letter", "letter" in self.deliveries), ("extension", self.extension),
                                     ("redo", self.redo), ("rounds", self.rounds), ("signoff", self.signoff),
                                     ("talk_followed_by_letter", self.talk_followed_by_letter),
                                     ("revisit_required", self.revisit_required)) if on]
            if self.deliveries != ["talk"] or extra:
                raise ValueError("response: 为 false（不要求书面答复）时，只能以谈话方式实施（deliveries = [\"talk\"]），"
                                 "且不能有书面文书、延期、谈话后通知书和回访" + (f"：{'、'.join(extra)}" if extra else ""))
        return self

    @model_validator(mode="after")
    def _switches_agree(self) -> Measure:
        if self.talk_followed_by_letter and ("talk" not in self.deliveries or not self.letter_forms):
            raise ValueError("talk_followed_by_letter: 谈话后发通知书，须有谈话方式（deliveries 含 talk）和通知书（letter_forms）")
        for target, condition in self.escalate_when.items():
            if target not in self.escalations:
                raise ValueError(f"escalate_when.{target}: {target} 不在本措施的 escalations 中")
            if condition == "rounds_exhausted" and self.rounds is None:
                raise ValueError(f"escalate_when.{target}: rounds_exhausted 须有 rounds（本措施的整改轮次）")
            if (target == "case_filing") != (condition == "filing_conditions"):
                raise ValueError(f"escalate_when.{target}: 立案查处须以 filing_conditions（构成立案条件）为条件，"
                                 "filing_conditions 也只用于 case_filing（第二十九条）")
        return self

    def condition(self, target: str) -> str:
        """When the escalation to ``target`` is open (a CONDITIONS key)."""
        if target == "case_filing":
            return "filing_conditions"
        return self.escalate_when.get(target, "after_implementation")

    @property
    def renewable(self) -> bool:
        """A lifted case of this measure takes a renewed complaint and may still be escalated (第二十八条)."""
        return any(self.condition(t) == "renewed_complaint" for t in self.escalations)


class AssessmentRules(Strict):
    points: int = Field(default=20, ge=1, le=100)  # full points of each of the five items (第三十二条)
    article: str = "第三十二条"


class RetentionRules(Strict):
    """Archiving of closed cases (第二十二条: 预警谈话记录…统一归档; the periods are not in the regulation):
    read-only after ``archive_after_days``, kept ``keep_years``."""

    archive_after_days: int = Field(default=90, ge=0, le=3650)
    keep_years: int = Field(default=30, ge=1, le=100)


class Trigger(Strict):
    """A clue channel whose clues start a warning only when an indicator is below a threshold: appraisal
    or democratic-evaluation results (e.g. 民主测评满意率低于60%). A clue registered through ``channel``
    must then carry the indicator's value, strictly below ``below`` ("低于60%": 59.9 is, 60 is not)."""

    channel: str
    label: str = Field(min_length=1)
    indicator: str = Field(min_length=1)
    below: int | float
    unit: str = ""
    article: str = Field(min_length=1)
    # the measure such a clue is proposed for at screening; one of this policy's measures
    measure: str | None = None

    @field_validator("channel")
    @classmethod
    def _known_channel(cls, value: str) -> str:
        if value == Channel.MEMBER_UNIT:
            raise ValueError(f"{Channel.MEMBER_UNIT}（{Channel.MEMBER_UNIT.label}）的线索由移送表登记，不能设预警线")
        if value not in Channel.values:
            known = "、".join(f"{c.value}（{c.label}）" for c in Channel if c != Channel.MEMBER_UNIT)
            raise ValueError(f"未知的来源渠道“{value}”；可用：{known}")
        return value

    @field_validator("below", mode="before")
    @classmethod
    def _number(cls, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value or value in (
                float("inf"), float("-inf")):
            raise ValueError("应为数字，如 60 或 59.5")
        return value


# 限制的范围 (a closed list; the words the target is told are in each rule's label)
RESTRICTION_SCOPES = {
    "awards": "评选评优",
    "promotion": "提拔使用",
    "awards_promotion": "评选评优和提拔使用",
    "excellent": "年度考核评为优秀等次",
    "other": "其他",
}
# the events of a case a restriction may run from (a subset of EVENTS)
RESTRICTION_EVENTS = ("delivery", "talk", "approval", "implemented")
# how a restriction ends besides a period counted from its event
RESTRICTION_ENDS = {"closing": "至预警办结", "year_end": "至当年12月31日", "term_end": "至本届任期届满"}


class RestrictionRule(Strict):
    """One restriction of a measure, e.g. 不得评选评优、暂缓提拔使用 from the delivery of the notice until the
    case ends (Shou, 第三十一条), 六个月内不得提拔或者重用 (6m from the talk), 当年年度考核不得评为优秀等次
    (until 31 December), 本届任期内不得评选评优 (until the cadre's term ends: ``term_end``, the roster's
    任期届满日期; while it is not recorded the restriction still applies). ``until`` is ``closing``, ``year_end``,
    ``term_end`` or a period; a period's last day does not roll
    over rest days (a restriction's end is not a deadline anyone must meet)."""

    scope: Literal["awards", "promotion", "awards_promotion", "excellent", "other"]
    label: str = Field(min_length=1)
    start: str = Field(alias="from")
    until: str
    article: str = Field(min_length=1)

    @field_validator("start")
    @classmethod
    def _known_event(cls, value: str) -> str:
        if value not in RESTRICTION_EVENTS:
            known = "、".join(f"{k}（{EVENTS[k]}）" for k in RESTRICTION_EVENTS)
            raise ValueError(f"限制不能自“{value}”起算；可用：{known}")
        return value

    @field_validator("until")
    @classmethod
    def _known_end(cls, value: str) -> str:
        if value in RESTRICTION_ENDS:
            return value
        try:
            _period(value)
        except ValueError as exc:
            ends = "、".join(f"{k}（{v}）" for k, v in RESTRICTION_ENDS.items())
            raise ValueError(f"{exc}；或写作 {ends}") from None
        return value

    @property
    def period(self) -> Period | None:
        """The length of a restriction that runs for a period from its event (None for closing, year_end, term_end)."""
        return None if self.until in RESTRICTION_ENDS else _period(self.until)

# The words a policy gives its county (DESIGN.md §2: rules as data). Every key is optional: a text without
# them reads with neutral words (the role codes' own labels, the defaults below) and shows no article.
# [bodies]: the bodies and documents named in messages, pages and documents; the key, what it is, and its
# neutral word ("" = derived: chief and unit_chief are the titles of the [chief] roles, regulation is
# 《policy.name》).
BODIES = {
    "office": ("承办机构（县一级）", "预警工作机构"),
    "unit_office": ("承办机构（单位一级）", "单位纪检机构"),
    "committee": ("集体研究的会议", "常委会"),
    "county_leaders": ("请其主谈的领导", "有关领导"),
    "chief": ("报告对象（县一级）", ""),
    "unit_chief": ("报告对象（单位一级）", ""),
    "commission_leaders": ("批准整改要求的领导", "纪检监察机关领导"),
    # the oversight refusals' "只有县预警办和县纪委领导可以…": the locality's word before the office, and the
    # commission's leaders who supervise the warning work
    "locality": ("本级的称谓（县、市、区），写在承办机构名称前", ""),
    "supervisors": ("监督预警工作的纪委领导", "纪委领导"),
    "regulation": ("所依据的办法", ""),
}
# [citations]: the article cited for a rule that is neither a measure nor a fixed section; a key the file
# does not state cites nothing.
CITATIONS = {
    "case_clue": "属于案件线索的不能实施预警",
    "screening": "线索筛选、分流",
    "proposal": "提出预警建议",
    "verifiable_clue": "线索的可查性",
    "filing": "立案查处的条件",
    "warning_instead": "应立案而以预警代替",
    "delegation": "委托所在单位主要负责人实施",
    "deliveries": "预警的实施方式",
    "notices": "书面通报",
    "integrity_file": "存入廉政档案",
    "ledger": "预警工作台帐",
    "documents": "预警文书",
    "channels": "线索来源渠道",
    "transfer": "线索移送",
    "feedback": "向线索来源反馈",
    "joint_meeting": "联席会议",
    "liaisons": "联席会议联络员",
    "lapses": "责任追究",
    "scope": "适用范围",
    "revisit_means": "回访方式",
    "statistics": "统计报表",
    "confidentiality": "保密与查看留痕",  # words-rest: clues, audit (第三十三条(六))
    "chief_report": "实施前报告县一级报告对象",  # cases (words-cases)
    "receipt": "送达与答复整改期限的起算",  # cases (words-cases)
    "response": "书面答复或整改报告",  # cases (words-cases)
    "ending": "解除预警或升级处理",  # cases (words-cases)
    "deadline_passed": "整改期限届满后不再延期",  # cases (words-cases)
}

Word = Annotated[str, Field(min_length=1, max_length=100)]


# the units that report quarterly figures when the policy does not say (第四条 各乡镇和县直各单位)
REPORTING_UNITS = ("township", "county_unit", "organization_dept", "personnel_dept", "enforcement")


class StatisticsRules(Strict):
    """Who submits the quarterly statistics (第四条): the kinds of unit that report."""

    reporting_units: list[str] = Field(default_factory=lambda: list(REPORTING_UNITS))

    _check_units = field_validator("reporting_units")(lambda v: list(_unit_kinds(dict.fromkeys(v))))


class ChiefRules(Strict):
    """Whom a case is reported to (第十七条 报县委主要领导; 第三十一条 向党委(党组)主要领导汇报): the role
    holding it over a county case and over a unit's own case."""

    county: str = "party_chief"
    unit: str = "party_committee"

    @field_validator("county", "unit")
    @classmethod
    def _known(cls, value: str) -> str:
        return _roles([value])[0]


def _closed_table(data: dict, section: str, known: dict, what: str) -> list[str]:
    """The refusal of the keys of ``[section]`` that are not in ``known``, named by the first."""
    table = data.get(section)
    if not isinstance(table, dict):
        return []
    unknown = [key for key in table if key not in known]
    if not unknown:
        return []
    also = f"（{'、'.join(f'{section}.{k}' for k in unknown[1:])} 也是）" if unknown[1:] else ""
    listed = "、".join(f"{k}（{v[0] if isinstance(v, tuple) else v}）" for k, v in known.items())
    return [f"{section}.{unknown[0]}: 未知的{what}{also}；可用：{listed}"]


class PolicyModel(Strict):
    policy: Meta
    calendar: CalendarRules = CalendarRules()
    numbering: Numbering = Numbering()
    screening: TimeLimit
    implementation: TimeLimit
    quarterly_report: TimeLimit
    revisit: TimeLimit
    # 责令纠错情况应及时…向党委(党组)主要领导汇报 (第三十一条): from the day the case ended; the default
    # is the shipped policy's reading, for the policy versions older cases keep
    outcome_report: TimeLimit = Field(default_factory=lambda: TimeLimit.model_validate(
        {"period": "7d", "from": "closing", "article": "第三十一条"}))
    oversight: Oversight
    assessment: AssessmentRules = AssessmentRules()
    retention: RetentionRules = RetentionRules()
    talk: TalkRules
    unit_level: RoleRule
    reporter_identity: RoleRule
    lifting: RoleRule
    register_: RoleRule = Field(alias="register")
    measures: dict[str, Measure]
    # clue channels that need an indicator below a threshold (民主测评满意率低于60%); none = every clue counts
    triggers: list[Trigger] = Field(default_factory=list)
    # the county's words (policy/words.py): role titles, bodies, citations, and whom cases are reported to
    roles: dict[str, Word] = Field(default_factory=dict)
    bodies: dict[str, Word] = Field(default_factory=dict)
    # what the county calls each kind of unit (Unit.Kind value → word; policy/words.py unit_kind)
    unit_kinds: dict[str, Word] = Field(default_factory=dict)
    citations: dict[str, Word] = Field(default_factory=dict)
    chief: ChiefRules = ChiefRules()
    statistics: StatisticsRules = StatisticsRules()
    # the letter forms: the built-in ones' own articles (absent = a letter cites only its measure's article) and
    # the policy's own letters (title, layout, content, requirements, numbering)
    letters: dict[str, LetterRules] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _letters_known(self) -> PolicyModel:
        """A letter the policy defines has a code for a key, is not another form's code, and has a title; every
        letter a measure sends is built in or defined here."""
        from yujing.documents.registry import FORMS

        for key, letter in self.letters.items():
            if key in BUILTIN_LETTERS:
                continue
            if not LETTER_KEY.match(key):
                raise ValueError(f"letters.{key}: 文书键 {key} 不合规：只能用小写英文字母、数字和下划线，"
                                 "以字母开头，不超过32个字符（文书名称写在 title）")
            if key in FORMS:
                raise ValueError(f"letters.{key}: {key} 已是本系统文书“{FORMS[key].title}”的代码，请换一个文书键")
            if letter.title is None:
                raise ValueError(f"letters.{key}.title: 新的文书须写明 title（文书名称，如“警诫卡”）")
        for measure_key, measure in self.measures.items():
            for form in measure.letter_forms:
                if form not in BUILTIN_LETTERS and form not in self.letters:
                    known = "、".join([*BUILTIN_LETTERS, *(k for k in self.letters if k not in BUILTIN_LETTERS)])
                    raise ValueError(f"measures.{measure_key}.letter_forms: 文书 {form} 既不是内置文书，"
                                     f"也未在 [letters.{form}] 中定义；可用：{known}")
        return self

    def letter(self, key: str) -> LetterForm | None:
        """The letter form ``key`` of this policy (a built-in one, completed by its table), None if it has none."""
        own = self.letters.get(key)
        if own is None and key not in BUILTIN_LETTERS:
            return None
        return (own or LetterRules()).form(key)

    @model_validator(mode="before")
    @classmethod
    def _new_measures_named(cls, data: object) -> object:
        """Every measure table is one the file declares in ``[policy] measures`` (a text without that list
        may use only the format-1 keys). A table that is not declared is named as a new key, with the keys
        its table lacks, in one message (pydantic would otherwise list only the missing keys, hiding that the
        key itself is new); a declared key without a table is named next. The tables are then put in the
        declared order, lightest first."""
        measures = data.get("measures") if isinstance(data, dict) else None
        if not isinstance(measures, dict):
            return data
        meta = data.get("policy")
        declared = meta.get("measures") if isinstance(meta, dict) else None
        if declared is not None and (not isinstance(declared, list) or not declared
                                     or not all(isinstance(k, str) and MEASURE_KEY.match(k) for k in declared)
                                     or len(set(declared)) != len(declared)):
            return data  # the list itself is wrong: policy.measures says how, alone
        known = declared if declared is not None else list(LEGACY_MEASURES)
        where = ("未列入 [policy] measures：" if declared is not None
                 else "未写 [policy] measures 的策略只能使用：")
        required = [name for name, f in Measure.model_fields.items() if f.is_required()]
        problems = []
        for key in sorted(set(measures) - set(known)):
            table = measures[key] if isinstance(measures[key], dict) else {}
            missing = [name for name in required if name not in table]
            problems.append(f"未知措施 {key}（新的措施键，{where}{', '.join(known)}）"
                            + (f"，且缺少：{'、'.join(missing)}" if missing else ""))
        if problems:
            raise ValueError("measures: " + "；".join(problems))
        if declared is not None:
            absent = [k for k in declared if k not in measures]
            if absent:
                raise ValueError("；".join(f"measures.{k}: 缺少此项（[policy] measures 列出了 {k}）" for k in absent))
            data = {**data, "measures": {k: measures[k] for k in declared}}
        return data

    @model_validator(mode="after")
    def _limits_from_their_events(self) -> PolicyModel:
        for section, event in SECTION_EVENTS.items():
            limit = getattr(self, section)
            if limit.start != event:
                raise ValueError(f"{section}.from: 此期限自 {event}（{EVENTS[event]}）起算，"
                                 f"不能写作 {limit.start}（{EVENTS[limit.start]}）")
        return self

    @field_validator("measures")
    @classmethod
    def _some_measure(cls, value: dict[str, Measure]) -> dict[str, Measure]:
        if not value:
            raise ValueError("至少需要一项预警措施")
        return value

    @model_validator(mode="after")
    def _escalations_exist(self) -> PolicyModel:
        for key, measure in self.measures.items():
            for target in measure.escalations:
                if target == key:
                    raise ValueError(f"measures.{key}.escalations: 不能升级为本措施 {key}")
                if target in LEGACY_MEASURES and target not in self.measures:
                    raise ValueError(f"measures.{key}.escalations: 措施 {target} 未在本策略中定义")
                if target not in self.measures and target not in OUTCOMES:
                    outcomes = "、".join(f"{k}（{v}）" for k, v in OUTCOMES.items())
                    raise ValueError(f"measures.{key}.escalations: 未知的升级处理 {target}；"
                                     f"可选：本策略的措施（{', '.join(self.measures)}）、{outcomes}")
        for role_rule, key in ((self.unit_level, "unit_level"), (self.lifting, "lifting"), (self.register_, "register")):
            if not role_rule.approvers:
                raise ValueError(f"{key}.approvers: 至少需要一个审批角色")
        if not self.reporter_identity.roles:
            raise ValueError("reporter_identity.roles: 至少需要一个角色")
        return self

    @model_validator(mode="after")
    def _triggers_fit(self) -> PolicyModel:
        seen: dict[str, int] = {}
        for i, trigger in enumerate(self.triggers):
            if trigger.measure is not None and trigger.measure not in self.measures:
                raise ValueError(f"triggers.{i}.measure: 措施 {trigger.measure} 未在本策略中定义；"
                                 f"可选：{', '.join(self.measures)}")
            if trigger.channel in seen:
                raise ValueError(f"triggers.{i}.channel: 来源渠道 {trigger.channel} 已有预警线"
                                 f"（triggers.{seen[trigger.channel]}），同一渠道只能设一条")
            seen[trigger.channel] = i
        return self

    def trigger(self, channel: str) -> Trigger | None:
        """The trigger of clues from ``channel``, or None when every clue from it counts."""
        return next((t for t in self.triggers if t.channel == channel), None)

    @model_validator(mode="after")
    def _restrictions_match_restricted(self) -> PolicyModel:
        """In a text that declares its measures, ``restricted`` and ``restrictions`` say the same thing (a text
        of format 1 is completed from legacy_v1.toml, which supplies the restriction of its restricted keys)."""
        if self.policy.measures is None:
            return self
        for key, measure in self.measures.items():
            if measure.restricted and not measure.restrictions:
                raise ValueError(f"measures.{key}.restrictions: restricted = true 的措施须写明至少一项限制"
                                 "（scope、label、from、until、article）")
            if not measure.restricted and measure.restrictions:
                raise ValueError(f"measures.{key}.restrictions: restricted = false 的措施不能有限制"
                                 "（删去此项，或改为 restricted = true）")
        return self

    @model_validator(mode="before")
    @classmethod
    def _words_known(cls, data: object) -> object:
        """[roles], [bodies], [unit_kinds] and [citations] take only their closed keys; an unknown one is
        named with its dotted key and what may be written instead, all in one message."""
        if not isinstance(data, dict):
            return data
        from yujing.orgs.models import Unit

        problems = [*_closed_table(data, "roles", {r.value: r.label for r in Role}, "角色代码"),
                    *_closed_table(data, "bodies", BODIES, "机构称谓"),
                    *_closed_table(data, "unit_kinds", dict(Unit.Kind.choices), "单位类别"),
                    *_closed_table(data, "citations", CITATIONS, "引用条款")]
        if problems:
            raise ValueError("；".join(problems))
        return data


class PolicyError(Exception):
    """A policy file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Policy:
    """A loaded, validated policy and the exact text it came from."""

    rules: PolicyModel
    text: str
    source: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def measures(self) -> dict[str, Measure]:
        return self.rules.measures

    def decider_roles(self) -> frozenset[str]:
        """Every role this policy names as deciding some step: approvers (and their chains, by manager),
        the standing committee where a measure may go to it, extension, lifting, register and unit approvers."""
        roles: set[str] = set()
        for m in self.rules.measures.values():
            for body in (m, *m.by_manager.values()):
                roles.update(body.approvers)
                roles.update(r for step in body.then for r in step.roles)
                if body.standing_committee != "never":
                    roles.add(Role.STANDING_COMMITTEE)
            if m.extension:
                roles.update(m.extension.approvers)
        for rule in (self.rules.lifting, self.rules.register_, self.rules.unit_level):
            roles.update(rule.approvers)
        return frozenset(roles)

    def named_roles(self) -> frozenset[str]:
        """Every role this policy names for some step: its deciders, the talkers (chief talkers, county
        leaders, delegators), the unit's implementers, who may learn a reporter's identity and whom cases are
        reported to. A role named nowhere has no part in this rule (the demo creates no user for it)."""
        rules = self.rules
        talk = rules.talk
        return frozenset({*self.decider_roles(), *talk.chief_for_principal, *talk.chief_for_others,
                          *talk.county_leaders, *talk.delegators, *rules.unit_level.implementers,
                          *rules.reporter_identity.roles, rules.chief.county, rules.chief.unit})

    def measures_decided_by(self, roles: set[str] | frozenset[str]) -> list[str]:
        """The measure keys whose approval (any step, any manager's rule) one of ``roles`` decides."""
        return [k for k, m in self.rules.measures.items()
                if any(roles & ({*b.approvers} | {r for s in b.then for r in s.roles}) for b in (m, *m.by_manager.values()))]

    def letter(self, key: str) -> LetterForm | None:
        """The letter form ``key`` of this policy ([letters.<key>] over the built-in defaults), None if it has none."""
        return self.rules.letter(key)

    def measure(self, key: str) -> Measure:
        try:
            return self.rules.measures[key]
        except KeyError:
            raise PolicyError(f"策略 {self.rules.policy.id} 中没有措施“{key}”") from None


@functools.cache
def _legacy() -> dict:
    return tomllib.loads(LEGACY_POLICY.read_text(encoding="utf-8"))


def _merged(under: dict, over: dict) -> dict:
    """``over`` with every key it lacks taken from ``under``, table by table."""
    out = dict(over)
    for key, value in under.items():
        if key not in out:
            out[key] = value
        elif isinstance(value, dict) and isinstance(out[key], dict):
            out[key] = _merged(value, out[key])
    return out


def _completed(data: dict) -> dict:
    """A text that does not declare ``[policy] measures`` was written for format 1, when what a measure
    does was decided by its key in code. Such texts (the versions older cases keep) are completed from
    ``legacy_v1.toml``, which states as data what format 1 did for each of its keys; the text's own keys
    win. Only the measures the text has are completed."""
    meta = data.get("policy")
    if not isinstance(meta, dict) or "measures" in meta or not isinstance(data.get("measures"), dict):
        return data
    legacy = _legacy()
    sections = {k: v for k, v in legacy.items() if k != "measures"}
    measures = {k: _merged(legacy.get("measures", {}).get(k, {}), v) if isinstance(v, dict) else v
                for k, v in data["measures"].items()}
    return _merged(sections, {**data, "measures": measures})


def parse_policy(text: str, source: str = "<string>") -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"策略文件 {source} 不是合法的 TOML：{exc}") from exc
    data = _completed(data)
    try:
        rules = PolicyModel.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(f"策略文件 {source} 有误：\n" + "\n".join(_describe(e) for e in exc.errors())) from exc
    return Policy(rules=rules, text=text, source=source)


def load_policy(path: str | Path | None = None) -> Policy:
    path = Path(path) if path else DEFAULT_POLICY
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"无法读取策略文件 {path}：{exc.strerror}") from exc
    return parse_policy(text, str(path))


_MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识此项（拼写错误？）",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "string_type": "应为字符串",
    "list_type": "应为列表",
    "dict_type": "应为表",
    "model_type": "应为表",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "too_short": "不能为空",
    "string_too_short": "不能为空",
}


def _describe(error: dict) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "(根)"
    kind = error["type"]
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
    else:
        message = _MESSAGES.get(kind, error["msg"])
        if kind in {"literal_error", "enum"} and "expected" in error.get("ctx", {}):
            message += f"（可选：{error['ctx']['expected']}）"
    if _KEYED.match(message):
        # a check across a table names its own key, below the table's
        return f"  {key + '.' if error['loc'] else ''}{message}"
    return f"  {key}: {message}"


_KEYED = re.compile(r"^[a-z_][^\s:]*: ")
