"""The policy page's rows for the measures' own rules (issue 17): every key a measure may have, in Chinese,
grouped by measure, each with its article. A key a measure does not use shows —."""

from __future__ import annotations

from dataclasses import dataclass

from .schema import CONDITIONS, EVENTS, OUTCOMES, Measure, Policy
from .words import cite, role_titles, unit_kind

DELIVERY = {"letter": "书面", "talk": "谈话"}
UNTIL = {"closing": "至预警办结", "year_end": "至当年12月31日", "term_end": "至本届任期届满"}
SIGNERS = {"unit_principal": "所在单位党组织主要负责人", "managing_principal": "主管单位主要负责人",
           "leader_in_charge": "分管领导"}


@dataclass(frozen=True)
class Cell:
    text: str
    article: str = ""


@dataclass(frozen=True)
class Row:
    title: str
    cells: list[Cell]


def _letters(policy: Policy, m: Measure) -> str:
    from yujing.cases.measures import letter_labels

    return "、".join(letter_labels(policy, m.letter_forms))


def _target(policy: Policy, key: str) -> str:
    return f"转{policy.measures[key].label}" if key in policy.measures else OUTCOMES.get(key, key)


def rows(policy: Policy) -> list[Row]:
    """The measures' rows after the fixed ones of the page (审批, 组织实施, 答复, 延期, 回访 …)."""
    measures = list(policy.measures.items())

    def row(title: str, cell) -> Row:
        return Row(title, [cell(k, m) for k, m in measures])

    def delivery(k: str, m: Measure) -> Cell:
        text = "或".join(DELIVERY[d] for d in m.deliveries)
        return Cell(text + (f"；文书：{_letters(policy, m)}" if m.letter_forms else ""), cite(policy, "deliveries"))

    def requirements(k: str, m: Measure) -> Cell:
        if m.requirements_approval:
            return Cell("登记表写明整改要求，经" + role_titles(policy, policy.rules.register_.approvers, "或")
                        + "批准后才发出通知书", policy.rules.register_.article)
        return Cell("登记表记录本人的承诺情况，不需批准", policy.rules.register_.article)

    def after_talk(k: str, m: Measure) -> Cell:
        if "talk" not in m.deliveries:
            return Cell("—")
        if not m.answered:
            return Cell("谈话后不要求书面答复")
        if m.talk_followed_by_letter:
            return Cell("谈话后发出通知书，答复或整改期限自送达之日起算")
        return Cell("谈话后不再发函，答复期限自谈话之日起算", m.response.article)

    def chain(k: str, m: Measure) -> Cell:
        if not m.then:
            return Cell("—")
        steps = [role_titles(policy, m.approvers, "或")] + [
            (s.label + "：" if s.label else "") + role_titles(policy, s.roles, "或") for s in m.then]
        return Cell("逐级审批：" + " → ".join(steps), m.approval_article)

    def by_manager(k: str, m: Measure) -> Cell:
        if not m.by_manager:
            return Cell("—")
        return Cell("；".join(f"{unit_kind(policy, kind)}管理的干部由{role_titles(policy, b.approvers, '或')}审批"
                             + (f"，再经{'、'.join(role_titles(policy, s.roles, '或') for s in b.then)}" if b.then else "")
                             for kind, b in m.by_manager.items()), m.approval_article)

    def limits(k: str, m: Measure) -> Cell:
        if not m.limits:
            return Cell("—")
        return Cell("；".join(f"{x.label}：{EVENTS[x.start].removesuffix('之日')}之日起"
                             + (f"满{x.period.label}后（不得早于）" if x.kind == "not_before" else f"{x.period.label}内")
                             + f"（{x.article}）" for x in m.limits))

    def redo(k: str, m: Measure) -> Cell:
        if m.redo is None:
            return Cell("—")
        return Cell(f"说明不清的可退回，{m.redo.period.label}内{m.redo.label}，最多{m.redo.max}次", m.redo.article)

    def signoff(k: str, m: Measure) -> Cell:
        if m.signoff is None:
            return Cell("—")
        return Cell("答复须经" + " → ".join(level.label for level in m.signoff.levels) + "签署后才算收到", m.signoff.article)

    def rounds(k: str, m: Measure) -> Cell:
        if m.rounds is None:
            return Cell("—")
        period = (m.rounds.period or (m.response.period if m.answered else None))
        return Cell(f"回访未达到整改要求的，可{m.rounds.label}" + (f"（{period.label}）" if period else "")
                    + f"，共不超过{m.rounds.max}轮", m.rounds.article)

    def again(k: str, m: Measure) -> Cell:
        if m.again is None:
            return Cell("—")
        period = m.again.period or policy.rules.implementation.period
        return Cell(f"收到答复后，可{m.again.label}（决定之日起{period.label}内发出新的函，送达后重新计算答复期限），"
                    f"共不超过{m.again.max}次发函", m.again.article)

    def restrictions(k: str, m: Measure) -> Cell:
        if not m.restrictions:
            return Cell("否")
        return Cell("；".join(f"{r.label}（{EVENTS[r.start].removesuffix('之日')}之日起，"
                             + (UNTIL[r.until] if r.until in UNTIL else r.period.label) + f"，{r.article}）"  # noqa: SIM401
                             for r in m.restrictions))

    def escalations(k: str, m: Measure) -> Cell:
        if not m.escalations:
            return Cell("—")
        return Cell("；".join(f"{_target(policy, t)}：{CONDITIONS[m.condition(t)]}" for t in m.escalations),
                    m.escalation_article or m.article)

    return [
        row("实施方式", delivery), row("登记表与整改要求", requirements), row("谈话之后", after_talk),
        row("逐级审批", chain), row("按干部管理权限审批", by_manager), row("其他期限", limits),
        row("退回重报", redo), row("答复签署", signoff), row("再次整改", rounds), row("再次函询", again),
        row("限制（不得评优、提拔等）", restrictions), row("升级处理", escalations),
    ]
