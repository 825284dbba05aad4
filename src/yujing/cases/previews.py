"""Due-date previews for the case page's forms: as a date is typed, the time limit it will start or
must meet, computed by the same service functions that run when the form is saved (policy/previews.py).
Read-only: nothing here writes, and the checks are the services' own."""

from __future__ import annotations

from datetime import date

from yujing.policy.previews import Line, Preview, deadline, for_typed, problem

from . import services as cs
from .models import Status, WarningCase
from .services._common import case_policy, earliest, measure_rules, not_before

# action -> the date field of its form whose value the preview reads
FIELDS = {
    "approve": "meeting_on",
    "plan_talk": "scheduled_at",
    "hold_talk": "held_on",
    "issue_letter": "issued_on",
    "record_receipt": "received_on",
    "record_response": "received_on",
    "request_extension": "requested_until",
}


def preview(case: WarningCase, name: str, value: str | None, *, today: date) -> Preview:
    """What the date ``value`` typed into action ``name``'s form will mean for the case's time limits."""
    return for_typed(value, lambda on: _PREVIEWS[name](case, on, today))


def _too_early(case: WarningCase, action: str, on: date, today: date) -> str | None:
    """The service's own refusal of ``on`` as the date of ``action`` (after today, before its earliest day)."""
    errors: dict[str, list[str]] = {}
    not_before(errors, "on", on, *earliest(case, action), today)
    return errors["on"][0] if errors else None


def _implementation(case: WarningCase, on: date, what: str) -> Line | None:
    """The 7-day implementation limit (第十七条) set on approval, against the day the talk or letter
    will implement the measure."""
    if case.status != Status.APPROVED or case.implementation_due is None:
        return None
    if (further := cs.further_letter(case)) is not None:  # a further letter (``again``): its own limit
        again = measure_rules(case).again
        period = again.period if again and again.period else case_policy(case).rules.implementation.period
        article, basis = (again.article if again else ""), f"自{cs.again_label(case)}决定之日起{period.label}"
        if on > further.due:
            return Line("发函期限", further.due, article, basis,
                        f"{what}晚于期限 {(on - further.due).days} 日，将记为逾期发函", warning=True)
        return Line("发函期限", further.due, article, basis, f"{what}在期限之内")
    rule = case_policy(case).rules.implementation
    basis = f"自批准之日起{rule.period.label}"
    if on > case.implementation_due:
        return Line("组织实施期限", case.implementation_due, rule.article, basis,
                    f"{what}晚于期限 {(on - case.implementation_due).days} 日，将记为逾期实施", warning=True)
    return Line("组织实施期限", case.implementation_due, rule.article, basis, f"{what}在期限之内")


def _approve(case: WarningCase, on: date, today: date) -> Preview:
    if why := _too_early(case, "approve", on, today):
        return problem(why)
    rule = case_policy(case).rules.implementation
    return Preview([deadline("组织实施期限", cs.implementation_due(case, on), article=rule.article, start="批准",
                             note="常委会研究确定的，自会议之日起算")])


def _plan_talk(case: WarningCase, on: date, today: date) -> Preview:
    first, _ = earliest(case, "plan_talk")
    if first and on < first:
        return problem("谈话时间不能早于批准日期")
    line = _implementation(case, on, "谈话日期")
    return Preview([line] if line else [])


def _hold_talk(case: WarningCase, on: date, today: date) -> Preview:
    talk = next(iter(case.talks.all()), None)
    if talk is None or talk.held_on:
        return Preview()  # the date is not asked for: the talk was recorded, only the signature is missing
    if why := _too_early(case, "hold_talk", on, today):
        return problem(why)
    lines = [line for line in [_implementation(case, on, "谈话日期")] if line]
    rules = measure_rules(case)
    if not rules.answered:
        lines.append(Line("书面答复", None, rules.article, "不要求书面答复", "谈话记录经本人核实签字后，即可填写登记表"))
    elif not rules.talk_followed_by_letter:
        # no notice follows the talk: the answer period runs from the day of the talk (第二十八条)
        lines.append(deadline(f"{rules.response.label}期限", cs.response_due(case, on), article=rules.response.article,
                              start="谈话", note="谈话记录须经本人核实签字"))
    return Preview(lines)


def _issue_letter(case: WarningCase, on: date, today: date) -> Preview:
    if why := _too_early(case, "issue_letter", on, today):
        return problem(why)
    rules = measure_rules(case)
    lines = [line for line in [_implementation(case, on, "发出日期")] if line]
    lines.append(Line(f"{rules.response.label}期限", None, rules.response.article,
                      f"自送达之日起{rules.response.period.label}", "记录送达日期后计算"))
    return Preview(lines)


def _record_receipt(case: WarningCase, on: date, today: date) -> Preview:
    letter = next(iter(case.letters.all()), None)
    if letter is None:
        return problem("尚未发出文书，无从送达")
    if why := _too_early(case, "record_receipt", on, today):
        return problem(why)
    rules = measure_rules(case)
    lines = [deadline(f"{rules.response.label}期限", cs.response_due(case, on), article=rules.response.article,
                      start="送达")]
    cap = cs.extension_cap(case, start=on)
    if cap and rules.extension:
        lines.append(Line("延期上限", cap, rules.extension.article,
                          f"延长整改期限累计不得超过{rules.extension.cap.label}"))
    return Preview(lines)


def _record_response(case: WarningCase, on: date, today: date) -> Preview:
    if why := _too_early(case, "record_response", on, today):
        return problem(why)
    rules = measure_rules(case)
    lines = []
    if case.response_due:
        label, basis = f"{rules.response.label}期限", rules.response.article
        if on > case.response_due:
            lines.append(Line(label, case.response_due, basis, note=f"晚于期限 {(on - case.response_due).days} 日，"
                              "将记为逾期答复（仍予接收）", warning=True))
        else:
            lines.append(Line(label, case.response_due, basis, note="在期限之内"))
    if rules.revisit_required:
        rule = case_policy(case).rules.revisit
        lines.append(deadline("回访期限", cs.revisit_due(case, on), article=rule.article,
                              start=f"收到{rules.response.label}"))
    return Preview(lines)


def _request_extension(case: WarningCase, on: date, today: date) -> Preview:
    rules = measure_rules(case)
    cap = cs.extension_cap(case)
    if cap is None or rules.extension is None:
        return problem(f"{case.get_measure_display()}不能延期")
    lines = [Line("现在的期限", case.response_due, rules.response.article),
             Line("延期上限", cap, rules.extension.article, f"延长整改期限累计不得超过{rules.extension.cap.label}")]
    why = cs.requested_until_problem(case, on, today=today, cap=cap)
    if why:
        lines.append(Line("申请延至", on, note=why, warning=True))
    else:
        lines.append(Line("申请延至", on, note="在延期上限之内，可以报批"))
    return Preview(lines)


_PREVIEWS = {
    "approve": _approve,
    "plan_talk": _plan_talk,
    "hold_talk": _hold_talk,
    "issue_letter": _issue_letter,
    "record_receipt": _record_receipt,
    "record_response": _record_response,
    "request_extension": _request_extension,
}
