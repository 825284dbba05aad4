"""The transition table of a warning case: which action may happen in which state, and where it
leads. It drives the services (every action is checked here), the case page's "next step", the
transition tests, the hypothesis state machine and the state diagram in docs/workflow.md."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from yujing.policy.loader import get_policy
from yujing.policy.schema import Policy
from yujing.policy.words import Words, cite, cited

from .models import Status

S = Status
AFTER_APPROVAL = frozenset({S.APPROVED, S.IMPLEMENTED, S.AWAITING_RESPONSE, S.RESPONDED})
OPEN = frozenset({S.PROPOSED}) | AFTER_APPROVAL
# 谈话后如群众仍有反映，经调查问题属实的，可转警示诫勉、责令纠错 (第二十八条): a lifted inquiry stays lifted,
# but a renewed complaint may still be verified on it and lead on to a new, linked case; the services
# allow this for inquiries only (ending.escalation_blockers, proposal.record_verification)
RENEWABLE = frozenset({S.LIFTED})


@dataclass(frozen=True)
class Transition:
    """One step of the table. ``text`` is its name with the bodies it names in braces (``{committee}``, a
    ``BODIES`` key), so each county's words show; ``cites`` says where its article comes from — a measure's
    key (``measure:approval_article``, ``measure:response.article``), a fixed section's ``article``
    (``section:talk``), a ``[citations]`` key (``cite:notices``), or a plain phrase."""

    text: str
    sources: frozenset[Status]
    target: Status | None  # None: the step is recorded, the state does not change
    cites: tuple[str, ...]
    keeps: frozenset[Status] = frozenset()  # sources in which the step is recorded but the state stays

    def label_in(self, policy: Policy) -> str:
        """The step's name in ``policy``'s words."""
        return self.text.format_map(Words(policy).bodies)

    def article_in(self, policy: Policy, measure: str | None = None) -> str:
        """The article ``policy`` cites for the step — of ``measure``, or of every measure (each once) —
        or "" when it states none."""
        found: list[str] = []
        for ref in self.cites:
            for article in _articles(policy, ref, measure):
                if article and article not in found:
                    found.append(article)
        return "、".join(found)

    @property
    def label(self) -> str:
        """The name in the words of the policy in force (the API and the docs, built at import)."""
        return self.label_in(get_policy())

    @property
    def article(self) -> str:
        return self.article_in(get_policy())


def _articles(policy: Policy, ref: str, measure: str | None) -> list[str]:
    kind, _, key = ref.partition(":")
    if not key:
        return [ref]  # a plain phrase ("见本措施的期限")
    if kind == "cite":
        return [cite(policy, key)]
    if kind == "section":
        return [getattr(policy.rules, "register_" if key == "register" else key).article]
    found = []
    for name in [measure] if measure else list(policy.measures):
        value: object = policy.measure(name)
        for part in key.split("."):
            value = getattr(value, part, None)
        if isinstance(value, str):
            found.append(value)
    return found


TRANSITIONS: dict[str, Transition] = {
    "verify": Transition("记录了解、初核或调查", OPEN | RENEWABLE, None, ("measure:verification_article",)),
    "refer": Transition("提交{committee}研究", frozenset({S.PROPOSED}), None, ("measure:approval_article",)),
    "approve": Transition("审批同意", frozenset({S.PROPOSED}), S.APPROVED, ("measure:approval_article",)),
    "reject": Transition("不予批准", frozenset({S.PROPOSED}), S.REJECTED, ("measure:approval_article",)),
    "withdraw": Transition("撤回建议", frozenset({S.PROPOSED}), S.WITHDRAWN, ("cite:proposal",)),
    "report_chief": Transition("报告{chief}", frozenset({S.APPROVED}), None, ("cite:chief_report",)),
    "plan_talk": Transition("制定谈话方案", frozenset({S.APPROVED}), None, ("section:talk",)),
    "notify_talk": Transition("书面通知谈话对象", frozenset({S.APPROVED}), None, ("section:talk",)),
    "hold_talk": Transition("实施预警谈话", frozenset({S.APPROVED}), S.IMPLEMENTED, ("section:talk",)),
    "write_register": Transition("填写预警工作登记表", AFTER_APPROVAL, None, ("section:register",)),
    "approve_register": Transition("批准整改要求", AFTER_APPROVAL, None, ("section:register",)),
    "issue_letter": Transition("发出预警文书", frozenset({S.APPROVED, S.IMPLEMENTED}), S.IMPLEMENTED, ("cite:deliveries",)),
    "record_receipt": Transition("记录送达", frozenset({S.IMPLEMENTED}), S.AWAITING_RESPONSE, ("cite:receipt",)),
    "record_response": Transition("收到书面答复或整改报告", frozenset({S.AWAITING_RESPONSE}), S.RESPONDED,
                                  ("cite:response",)),
    # the answer signed off level by level before it counts (the policy's ``signoff``); the last level makes it received
    "sign_off": Transition("答复签署", frozenset({S.AWAITING_RESPONSE}), None, ("见本措施的签署规定",)),
    # an answer found inadequate is sent back for redo, with a new period (the policy's ``redo``)
    "send_back": Transition("退回重新说明", frozenset({S.RESPONDED}), S.AWAITING_RESPONSE, ("见本措施的退回重报规定",)),
    # another rectification round after a failed revisit (the policy's ``rounds``): a new period runs
    "new_round": Transition("开始再次整改", frozenset({S.AWAITING_RESPONSE, S.RESPONDED}), S.AWAITING_RESPONSE,
                            ("见本措施的整改轮次规定",)),
    # a further letter with new questions once the current one is answered (the policy's ``again``): back to
    # where the letter is due; the new letter is issued and delivered anew and has its own response period
    "again": Transition("再次函询", frozenset({S.RESPONDED}), S.APPROVED, ("见本措施的再次函询规定",)),
    "request_extension": Transition("申请延期整改", frozenset({S.AWAITING_RESPONSE}), None, ("measure:extension.article",)),
    "decide_extension": Transition("审批延期整改", frozenset({S.AWAITING_RESPONSE}), None, ("measure:extension.article",)),
    "revisit": Transition("回访", frozenset({S.AWAITING_RESPONSE, S.RESPONDED}), None, ("section:revisit",)),
    # a further time limit of the measure (the policy's ``limits``) met: recorded, the state stays
    "record_limit": Transition("记录期限事项", frozenset({S.APPROVED, S.IMPLEMENTED, S.AWAITING_RESPONSE, S.RESPONDED}),
                               None, ("见本措施的期限",)),
    "notify": Transition("书面通报", frozenset({S.IMPLEMENTED, S.AWAITING_RESPONSE, S.RESPONDED}), None, ("cite:notices",)),
    "lift": Transition("解除预警", frozenset({S.RESPONDED}), S.LIFTED, ("section:lifting",)),
    # to case filing from any open state once the filing conditions are found (构成立案条件，按有关规定立案查处);
    # the other escalations only after implementation, and from a lifted inquiry only on a renewed
    # complaint found true, which leaves it lifted — escalation_blockers() says which
    "escalate": Transition("升级处理", OPEN | RENEWABLE, S.ESCALATED, ("measure:escalation_article",),
                           keeps=RENEWABLE),
    # after the case has ended: 责令纠错情况应及时…向党委(党组)主要领导汇报 (第三十一条) — recorded, the
    # state does not change (with a lifted inquiry's renewed complaint, RENEWABLE, the only steps of a closed case)
    "report_outcome": Transition("向{unit_chief}汇报结果", frozenset({S.LIFTED, S.ESCALATED}), None,
                                 ("section:outcome_report",)),
}
# the records a closed case still takes besides a renewed complaint: none moves its state
AFTER_CLOSING = frozenset({"report_outcome"})


class WorkflowError(ValidationError):
    """An action out of order: nothing is changed."""


def check(status: str, action: str, policy: Policy | None = None) -> Transition:
    """The step ``action`` from ``status``, or a clear error in the words of ``policy`` (the case's)."""
    transition = TRANSITIONS[action]
    if status not in transition.sources:
        label = transition.label_in(policy) if policy else transition.label
        raise WorkflowError(f"预警事项当前为“{Status(status).label}”，不能{label}")
    return transition


def allowed(status: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if status in t.sources]


def target(action: str, status: str) -> Status:
    """The state ``action`` leaves a case in that is now in ``status``."""
    transition = TRANSITIONS[action]
    if transition.target is None or status in transition.keeps:
        return Status(status)
    return transition.target


def diagram() -> str:
    """The state diagram as Mermaid text (docs/workflow.md is generated from it)."""
    policy = get_policy()
    lines = ["stateDiagram-v2", f"    [*] --> proposed: 筛选时提出建议{cited(policy, 'proposal')}"]
    for m in policy.measures.values():  # a talk no notice follows: the answer is awaited from the talk on
        if m.answered and not m.talk_followed_by_letter and "talk" in m.deliveries:
            lines.append(f"    approved --> awaiting_response: {m.label}的谈话（无后续通知书，{m.response.article}）")
    for t in TRANSITIONS.values():
        if t.target is None:
            continue
        for source in sorted(t.sources):
            if source in t.keeps:
                lines.append(f"    {source} --> {source}: {t.label}（另立新预警事项，本事项状态不变）")
            else:
                lines.append(f"    {source} --> {t.target}: {t.label}")
    for status in sorted(S.values):
        lines.append(f"    {status}: {S(status).label}")
    for closed in (S.LIFTED, S.ESCALATED, S.REJECTED, S.WITHDRAWN):
        lines.append(f"    {closed} --> [*]")
    return "\n".join(lines)


DOCS_HEADER = "```mermaid\n"


def write_docs(path: str = "docs/workflow.md") -> None:
    """Replace the diagram in docs/workflow.md with the one from this table."""
    from pathlib import Path

    file = Path(path)
    text = file.read_text(encoding="utf-8")
    start = text.index(DOCS_HEADER) + len(DOCS_HEADER)
    end = text.index("\n```", start)
    file.write_text(text[:start] + diagram() + text[end:], encoding="utf-8")
