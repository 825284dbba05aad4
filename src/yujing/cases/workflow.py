"""The transition table of a warning case: which action may happen in which state, and where it
leads. It drives the services (every action is checked here), the case page's "next step", the
transition tests, the hypothesis state machine and the state diagram in docs/workflow.md."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

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
    label: str
    sources: frozenset[Status]
    target: Status | None  # None: the step is recorded, the state does not change
    article: str
    keeps: frozenset[Status] = frozenset()  # sources in which the step is recorded but the state stays


TRANSITIONS: dict[str, Transition] = {
    "verify": Transition("记录了解、初核或调查", OPEN | RENEWABLE, None, "第十六、二十八条"),
    "refer": Transition("提交县纪委常委会研究", frozenset({S.PROPOSED}), None, "第十七条"),
    "approve": Transition("审批同意", frozenset({S.PROPOSED}), S.APPROVED, "第十七条"),
    "reject": Transition("不予批准", frozenset({S.PROPOSED}), S.REJECTED, "第十七条"),
    "withdraw": Transition("撤回建议", frozenset({S.PROPOSED}), S.WITHDRAWN, "第十五条"),
    "report_chief": Transition("报告县委主要领导", frozenset({S.APPROVED}), None, "第十七条"),
    "plan_talk": Transition("制定谈话方案", frozenset({S.APPROVED}), None, "第二十二条"),
    "notify_talk": Transition("书面通知谈话对象", frozenset({S.APPROVED}), None, "第二十二条"),
    "hold_talk": Transition("实施预警谈话", frozenset({S.APPROVED}), S.IMPLEMENTED, "第二十二条"),
    "write_register": Transition("填写预警工作登记表", AFTER_APPROVAL, None, "第二十五条"),
    "approve_register": Transition("批准整改要求", AFTER_APPROVAL, None, "第二十五条"),
    "issue_letter": Transition("发出预警文书", frozenset({S.APPROVED, S.IMPLEMENTED}), S.IMPLEMENTED, "第二十二至二十四条"),
    "record_receipt": Transition("记录送达", frozenset({S.IMPLEMENTED}), S.AWAITING_RESPONSE, "第二十八至三十条"),
    "record_response": Transition("收到书面答复或整改报告", frozenset({S.AWAITING_RESPONSE}), S.RESPONDED,
                                  "第二十七至三十条"),
    # the answer signed off level by level before it counts (the policy's ``signoff``); the last level makes it received
    "sign_off": Transition("答复签署", frozenset({S.AWAITING_RESPONSE}), None, "见本措施的签署规定"),
    # an answer found inadequate is sent back for redo, with a new period (the policy's ``redo``)
    "send_back": Transition("退回重新说明", frozenset({S.RESPONDED}), S.AWAITING_RESPONSE, "见本措施的退回重报规定"),
    # another rectification round after a failed revisit (the policy's ``rounds``): a new period runs
    "new_round": Transition("开始再次整改", frozenset({S.AWAITING_RESPONSE, S.RESPONDED}), S.AWAITING_RESPONSE,
                            "见本措施的整改轮次规定"),
    "request_extension": Transition("申请延期整改", frozenset({S.AWAITING_RESPONSE}), None, "第三十条"),
    "decide_extension": Transition("审批延期整改", frozenset({S.AWAITING_RESPONSE}), None, "第三十条"),
    "revisit": Transition("回访", frozenset({S.AWAITING_RESPONSE, S.RESPONDED}), None, "第三十条"),
    # a further time limit of the measure (the policy's ``limits``) met: recorded, the state stays
    "record_limit": Transition("记录期限事项", frozenset({S.APPROVED, S.IMPLEMENTED, S.AWAITING_RESPONSE, S.RESPONDED}),
                               None, "见本措施的期限"),
    "notify": Transition("书面通报", frozenset({S.IMPLEMENTED, S.AWAITING_RESPONSE, S.RESPONDED}), None, "第三十一条"),
    "lift": Transition("解除预警", frozenset({S.RESPONDED}), S.LIFTED, "第三十条"),
    # to case filing from any open state once the filing conditions are found (构成立案条件，按有关规定立案查处);
    # the other escalations only after implementation, and from a lifted inquiry only on a renewed
    # complaint found true, which leaves it lifted — escalation_blockers() says which
    "escalate": Transition("升级处理", OPEN | RENEWABLE, S.ESCALATED, "第二十八、二十九、三十一条", keeps=RENEWABLE),
    # after the case has ended: 责令纠错情况应及时…向党委(党组)主要领导汇报 (第三十一条) — recorded, the
    # state does not change (with a lifted inquiry's renewed complaint, RENEWABLE, the only steps of a closed case)
    "report_outcome": Transition("向党委(党组)主要领导汇报结果", frozenset({S.LIFTED, S.ESCALATED}), None, "第三十一条"),
}
# the records a closed case still takes besides a renewed complaint: none moves its state
AFTER_CLOSING = frozenset({"report_outcome"})


class WorkflowError(ValidationError):
    """An action out of order: nothing is changed."""


def check(status: str, action: str) -> Transition:
    transition = TRANSITIONS[action]
    if status not in transition.sources:
        raise WorkflowError(f"预警事项当前为“{Status(status).label}”，不能{transition.label}")
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
    lines = ["stateDiagram-v2", "    [*] --> proposed: 筛选时提出建议（第十五条）",
             "    approved --> awaiting_response: 谈话函询的谈话（无后续通知书，第二十八条）"]
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
