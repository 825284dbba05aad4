"""Implementation by talk or letter, the register, and receipt (第十八至二十五条)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yujing.audit.services import Origin
from yujing.core.dates import office_day
from yujing.orgs import access
from yujing.orgs.models import User
from yujing.orgs.recusal import reason as recusal_reason
from yujing.orgs.roles import Role
from yujing.policy import words

from .. import measures
from ..models import ChiefReport, Delivery, Letter, Register, Status, Talk, WarningCase
from ._common import (
    Step,
    begin,
    bracketed,
    case_policy,
    cited,
    deciders,
    earliest,
    is_county_level,
    measure_rules,
    not_before,
    raise_if,
    require_role,
    require_verification_before_contact,
    response_due,
    start_limits,
)
from .again import again_label, further_letter


def _principal_units(case: WarningCase) -> list[str]:
    """The kinds of unit whose principals are "principal" targets, in the case's policy ([talk] principal_units)."""
    return case_policy(case).rules.talk.principal_units


def chief_roles(case: WarningCase) -> list[str]:
    """Who may be the chief talker (第二十条, 第二十二条): the secretary for the principal of a township or
    county-level unit; otherwise a deputy secretary or the party committee; at unit level, the unit's
    implementers (第十八条)."""
    policy = case_policy(case).rules
    if not is_county_level(case):
        return list(policy.unit_level.implementers)
    target = case.target
    if target.is_principal and target.unit.kind in _principal_units(case):
        return list(policy.talk.chief_for_principal)
    return list(policy.talk.chief_for_others)


def chief_role_of(user: Any, roles: list[str], case: WarningCase) -> str | None:
    """The role in which ``user`` may be chief talker: one of ``roles`` over the case, or — for 党委谈话
    (第二十二条) — the party committee of the target's own unit."""
    role = access.has_role_over(user, roles, case)
    if role is None and Role.PARTY_COMMITTEE in roles:
        role = access.has_role_over(user, [Role.PARTY_COMMITTEE], case.target.unit)
    return role


def _principal_target(case: WarningCase) -> bool:
    target = case.target
    return is_county_level(case) and target.is_principal and target.unit.kind in _principal_units(case)


def leader_roles(case: WarningCase) -> list[str]:
    """The roles of 县委、县政府有关领导 who may, when necessary, be chief talker for a principal target
    (第二十二条), with a recorded reason; [] where the exception does not apply."""
    return list(case_policy(case).rules.talk.county_leaders) if _principal_target(case) else []


def delegator_roles(case: WarningCase) -> list[str]:
    """Who may delegate the talk to the principal of the target's own unit (第二十条: 班子其他成员…也可以
    委托所在单位主要负责人实施): only at county level and only for a target who is not a principal."""
    if not is_county_level(case) or case.target.is_principal:
        return []
    return list(case_policy(case).rules.talk.delegators)


def _delegation_errors(case: WarningCase, errors: dict[str, list[str]], *, chief: User | None,
                       delegated_by: User | None, delegated_on: date | None, scheduled_at: datetime | None,
                       today: date) -> str | None:
    """Check a delegation (第二十条) and return the delegate's role, or None (errors say why)."""
    target = case.target
    if not is_county_level(case):
        errors["delegated_by"] = ["单位确定的预警对象由本单位党委（党组）或纪委（纪检组）组织实施，无需委托"
                                  + bracketed(case_policy(case).rules.unit_level.article)]
        return None
    if target.is_principal:
        errors["delegated_by"] = [f"{target.name}属主要负责人，应由上一级党委（党组）或纪委负责人实施，"
                                  f"不能委托所在单位主要负责人{cited(case, 'delegation')}"]
        return None
    roles = delegator_roles(case)
    if not roles:
        errors["delegated_by"] = [f"{words.of_case(case).here()}策略未采用委托所在单位主要负责人实施" + cited(case, "delegation")]
        return None
    if delegated_by is None:
        errors["delegated_by"] = ["请选择委托人"]
    elif access.has_role_over(delegated_by, roles, case) is None:
        names = words.of_case(case).roles(roles)
        errors["delegated_by"] = [f"委托所在单位主要负责人实施，须由{names}作出{cited(case, 'delegation')}"]
    elif why := recusal_reason(delegated_by, target):
        errors["delegated_by"] = [f"委托人须回避：{why}"]  # who may not handle the case may not hand it on
    if delegated_on is None:
        errors["delegated_on"] = ["请填写委托日期"]
    else:
        not_before(errors, "delegated_on", delegated_on, case.approved_on, "批准日期", today)
        if scheduled_at and delegated_on > office_day(scheduled_at):
            errors.setdefault("delegated_on", []).append("委托须在谈话之前作出")
    role = access.has_role_over(chief, [Role.PARTY_COMMITTEE], target.unit) if chief else None
    if role is None:
        said = [words.of_case(case).role(Role.PARTY_COMMITTEE), words.of_case(case).cite("delegation")]
        errors["chief"] = [f"委托实施的，主谈人须为{target.unit.name}主要负责人（{'，'.join(filter(None, said))}）"]
    return role


def _require_chief_report(case: WarningCase, on: date) -> None:
    if measure_rules(case).report_to_party_chief:
        report = case.chiefreports.filter(kind=ChiefReport.Kind.IMPLEMENTATION).first()
        if report is None or report.reported_on > on:
            raise ValidationError(f"{case.get_measure_display()}须先报告{words.of_case(case).body('chief')}，再组织实施"
                                  + cited(case, "chief_report"))


@transaction.atomic
def plan_talk(
    *, case: WarningCase, by: Any, today: date, outline: str, chief: User, other_talkers: list[str],
    scheduled_at: datetime, place: str, chief_reason: str = "", delegated_by: User | None = None,
    delegated_on: date | None = None, origin: Origin | None = None,
) -> Talk:
    """谈话方案 (第二十二条): the outline, at least the policy's number of talkers, and a chief talker of
    the right rank. Re-planning a talk that has not taken place replaces the plan.

    Two exceptions the regulation allows: for a principal, a county party committee or government leader
    as chief talker, "必要时", so only with ``chief_reason`` (第二十二条); for another member of a
    leadership team, the talk delegated to the principal of the cadre's own unit — then ``chief`` is the
    one delegated to, ``delegated_by`` and ``delegated_on`` who delegated and when (第二十条)."""
    step = begin(case, action="plan_talk", by=by, origin=origin)
    case = step.case
    if Delivery.TALK not in measure_rules(case).deliveries:
        raise ValidationError(f"{case.get_measure_display()}不采用谈话方式")
    _no_talk_for_a_further_letter(case)
    errors: dict[str, list[str]] = {}
    if not outline.strip():
        errors["outline"] = ["请填写谈话提纲"]
    if not place.strip():
        errors["place"] = ["请填写谈话地点"]
    # distinct people: the chief talker counts once, however often the name is typed
    chief_names = {chief.get_full_name(), chief.username} if chief else set()
    others = [n for n in dict.fromkeys(n.strip() for n in other_talkers if n.strip()) if n not in chief_names]
    minimum = case_policy(case).rules.talk.min_talkers
    talk_article = case_policy(case).rules.talk.article
    county_leaders = words.of_case(case).body("county_leaders")
    if 1 + len(others) < minimum:
        errors["other_talkers"] = [f"谈话必须有{minimum}人以上参加{bracketed(talk_article)}"]
    roles = chief_roles(case)
    reason = chief_reason.strip()
    delegating = delegated_by is not None or delegated_on is not None
    if delegating:
        chief_role = _delegation_errors(case, errors, chief=chief, delegated_by=delegated_by,
                                        delegated_on=delegated_on, scheduled_at=scheduled_at, today=today)
        reason = ""
    else:
        chief_role = chief_role_of(chief, roles, case) if chief else None
        leaders = leader_roles(case)
        leader = access.has_role_over(chief, leaders, case) if chief and chief_role is None and leaders else None
        if leader is not None:
            chief_role = leader
            if not reason:
                errors["chief_reason"] = [f"请{county_leaders}主谈，须说明理由（"
                                          + (f"{talk_article}：" if talk_article else "")
                                          + "必要时，按照党风廉政建设责任制的要求和谁主管、谁负责的原则）"]
        else:
            reason = ""  # the reason belongs to the exception only; an ordinary chief talker needs none
    why = recusal_reason(chief, case.target, talking_as_party_committee=chief_role == Role.PARTY_COMMITTEE) \
        if chief else None
    if why:
        errors["chief"] = [f"主谈人须回避：{why}"]
    if chief_role is None and not delegating:
        names = words.of_case(case).roles(roles)
        also = f"，必要时可请{county_leaders}主谈" if leader_roles(case) else ""
        articles = "、".join(filter(None, [words.of_case(case).cite("delegation"), talk_article]))
        errors["chief"] = [f"对{case.target.name}的谈话须由{names}主谈{also}{bracketed(articles)}"]
    first, _ = earliest(case, "plan_talk")
    if scheduled_at and first and office_day(scheduled_at) < first:
        errors["scheduled_at"] = ["谈话时间不能早于批准日期"]
    raise_if(errors)
    talk = case.talks.first()
    if talk and talk.held_on:
        raise ValidationError("谈话已经进行，不能修改谈话方案")
    values = {"outline": outline.strip(), "chief": chief, "chief_role": chief_role, "place": place.strip(),
              "other_talkers": ", ".join(others), "scheduled_at": scheduled_at, "notice_sent_on": None,
              "chief_reason": reason, "delegated_by": delegated_by if delegating else None,
              "delegated_on": delegated_on if delegating else None}
    if talk:
        for key, value in values.items():
            setattr(talk, key, value)
        talk.save()
    else:
        talk = Talk.objects.create(case=case, recorded_by=by, **values)
    extra: dict[str, Any] = {}
    if reason:
        extra["chief_reason"] = reason
    if delegating:
        extra.update(delegated_by=delegated_by.pk, delegated_on=delegated_on)
    step.finish(chief=chief.pk, chief_role=chief_role, talkers=1 + len(others), scheduled_at=scheduled_at, **extra)
    return talk


@transaction.atomic
def notify_talk(*, case: WarningCase, by: Any, today: date, sent_on: date, origin: Origin | None = None) -> Talk:
    """由预警办书面通知预警对象本人 (第二十二条)."""
    step = begin(case, action="notify_talk", by=by, origin=origin)
    talk = step.case.talks.first()
    if talk is None:
        raise ValidationError("请先制定谈话方案")
    errors: dict[str, list[str]] = {}
    not_before(errors, "sent_on", sent_on, step.case.approved_on, "批准日期", today)
    if sent_on and sent_on > office_day(talk.scheduled_at):
        errors.setdefault("sent_on", []).append("通知须在谈话之前送达")
    raise_if(errors)
    talk.notice_sent_on = sent_on
    talk.save(update_fields=["notice_sent_on"])
    step.finish(sent_on=sent_on)
    return talk


@transaction.atomic
def hold_talk(
    *, case: WarningCase, by: Any, today: date, held_on: date | None = None, record: str = "",
    signed_on: date | None = None, origin: Origin | None = None,
) -> Talk:
    """Record the talk and, when the target has checked and signed the record, complete it (第二十二条:
    经预警对象本人核实签字后统一归档). Call again with only ``signed_on`` to add a signature later."""
    step = begin(case, action="hold_talk", by=by, origin=origin)
    case = step.case
    talk = case.talks.first()
    if talk is None or talk.notice_sent_on is None:
        raise ValidationError("请先制定谈话方案并书面通知预警对象")
    require_verification_before_contact(case)
    _no_talk_for_a_further_letter(case)
    errors: dict[str, list[str]] = {}
    if talk.held_on is None:
        not_before(errors, "held_on", held_on, *earliest(case, "hold_talk"), today)
        if not record.strip():
            errors["record"] = ["请填写谈话记录"]
    if signed_on is not None:
        not_before(errors, "signed_on", signed_on, talk.held_on or held_on, "谈话日期", today)
    raise_if(errors)
    if talk.held_on is None:
        _require_chief_report(case, held_on)
        talk.held_on, talk.record = held_on, record.strip()
    if signed_on is not None:
        talk.signed_on = signed_on
    talk.save(update_fields=["held_on", "record", "signed_on"])
    if not talk.done:
        step.finish(move=False, held_on=talk.held_on, signed=False)
        return talk
    _implemented(step, Delivery.TALK, talk.held_on)
    if not measure_rules(case).answered:
        # a talk and nothing more (response = false): no answer is awaited, the case waits for its closing
        case.status = Status.RESPONDED
        step.finish(fields=("delivery", "implemented_on"), move=False, held_on=talk.held_on, signed_on=talk.signed_on,
                    answered=False)
        return talk
    if not measure_rules(case).talk_followed_by_letter:
        # no notice follows the talk: the response period runs from the day of the talk (第二十八条)
        _start_response(step, talk.held_on)
        case.status = Status.AWAITING_RESPONSE
        step.finish(fields=("delivery", "implemented_on", "response_start", "response_due", "response_provisional"),
                    move=False, held_on=talk.held_on, signed_on=talk.signed_on, response_due=case.response_due)
        return talk
    step.finish(fields=("delivery", "implemented_on"), held_on=talk.held_on, signed_on=talk.signed_on)
    return talk


def _no_talk_for_a_further_letter(case: WarningCase) -> None:
    """A further letter decided (``again``) is a letter: the case is not carried out again by a talk."""
    if further_letter(case) is not None:
        raise ValidationError(f"已决定{again_label(case)}，请发出文书，不再谈话")


def _implemented(step: Step, delivery: str, on: date) -> None:
    case = step.case
    case.delivery, case.implemented_on = delivery, on
    step.data["late"] = bool(case.implementation_due and on > case.implementation_due)
    start_limits(step, "implemented", on)
    if delivery == Delivery.TALK:
        start_limits(step, "talk", on)


def _start_response(step: Step, start: date) -> None:
    case = step.case
    case.response_start = start
    deadline = response_due(case, start)
    case.response_due, case.response_provisional = deadline.date, deadline.provisional


@transaction.atomic
def write_register(*, case: WarningCase, by: Any, today: date, content: str,
                   origin: Origin | None = None) -> Register:
    """预警工作登记表 (第二十五条): the inquiry target's commitment, or the rectification requirements of
    an admonition or correction (editable until a leader approves them)."""
    step = begin(case, action="write_register", by=by, origin=origin)
    case = step.case
    if not content.strip():
        raise ValidationError({"content": ["请填写承诺情况或整改要求"]})
    rules = measure_rules(case)
    if not rules.requirements_approval and case.status == Status.APPROVED:
        raise ValidationError(f"{rules.label}对象的承诺情况在谈话或发函之后填写")
    register = case.registers.first()
    if register and register.approved_on:
        raise ValidationError("整改要求已经批准，不能修改")
    if register:
        register.content = content.strip()
        register.save(update_fields=["content"])
    else:
        register = Register.objects.create(case=case, recorded_by=by, content=content.strip())
    step.finish()
    return register


@transaction.atomic
def approve_register(*, case: WarningCase, by: Any, today: date, origin: Origin | None = None) -> Register:
    """整改要求报纪检监察机关领导批准后，发出通知书 (第二十五条)."""
    step = begin(case, action="approve_register", by=by, perm="case.decide", origin=origin)
    case = step.case
    if not measure_rules(case).requirements_approval:
        raise ValidationError(f"{measure_rules(case).label}的登记表不需批准")
    require_role(by, deciders(case, case_policy(case).rules.register_.approvers), case, "整改要求")
    register = case.registers.first()
    if register is None:
        raise ValidationError("请先填写整改要求")
    if register.approved_on:
        raise ValidationError("整改要求已经批准")
    register.approved_by, register.approved_on = by, today
    register.save(update_fields=["approved_by", "approved_on"])
    step.finish(approved_on=today)
    return register


@transaction.atomic
def issue_letter(
    *, case: WarningCase, by: Any, today: date, kind: str, issued_on: date, content: str,
    origin: Origin | None = None,
) -> Letter:
    """Issue the letter or notice (第二十二至二十五条). For an inquiry, or an admonition or correction by
    letter, this is the implementation; after a talk it is the notice that follows. An admonition or
    correction notice needs the approved rectification requirements first (第二十五条)."""
    step = begin(case, action="issue_letter", by=by, origin=origin)
    case = step.case
    rules = measure_rules(case)
    if kind not in rules.letter_forms:
        allowed = "、".join(measures.letter_labels(case, rules.letter_forms))
        measure = case.get_measure_display()
        # a card-style rule names the letter as the measure (函询卡 sends 函询卡): say 本措施, not the name twice
        raise ValidationError({"kind": [f"{'本措施' if measure == allowed else measure}应使用{allowed}"]})
    further = further_letter(case)  # a further letter decided (``again``): the case's next letter
    if case.letters.exists() and further is None:
        raise ValidationError("本预警事项已发出文书")
    after_talk = case.status == Status.IMPLEMENTED
    if after_talk and not rules.talk_followed_by_letter:
        raise ValidationError(f"{rules.label}谈话之后不再发函")
    if not after_talk and Delivery.LETTER not in rules.deliveries:
        raise ValidationError(f"{case.get_measure_display()}不采用书面方式")
    errors: dict[str, list[str]] = {}
    if not content.strip():
        errors["content"] = ["请填写告知的问题和要求"]
    not_before(errors, "issued_on", issued_on, *earliest(case, "issue_letter"), today)
    raise_if(errors)
    require_verification_before_contact(case)
    if rules.requirements_approval:
        register = case.registers.first()
        if register is None or register.approved_on is None or register.approved_on > issued_on:
            title = measures.letter_label(case, kind)
            raise ValidationError(f"整改要求须经领导批准后，才能发出{'通知书' if title.endswith('通知书') else title}"
                                  + bracketed(case_policy(case).rules.register_.article))
    if not after_talk:
        _require_chief_report(case, issued_on)
    letter = Letter.objects.create(case=case, recorded_by=by, kind=kind, issued_on=issued_on, content=content.strip())
    if after_talk:
        step.finish(move=False, kind=kind, issued_on=issued_on)
    elif further is not None:
        # the measure was implemented by the first letter; this one is judged against its own limit
        step.finish(kind=kind, issued_on=issued_on, letter=further.number, late=issued_on > further.due)
    else:
        _implemented(step, Delivery.LETTER, issued_on)
        step.finish(fields=("delivery", "implemented_on"), kind=kind, issued_on=issued_on)
    return letter


@transaction.atomic
def record_receipt(*, case: WarningCase, by: Any, today: date, received_on: date,
                   origin: Origin | None = None) -> WarningCase:
    """The target received the letter or notice (送达): the response clock starts (第二十八至三十条)."""
    step = begin(case, action="record_receipt", by=by, origin=origin)
    case = step.case
    letter = case.letters.last()  # the current letter: a further one (``again``) is delivered anew
    if letter is None:
        raise ValidationError("尚未发出文书，无从送达")
    errors: dict[str, list[str]] = {}
    not_before(errors, "received_on", received_on, *earliest(case, "record_receipt"), today)
    raise_if(errors)
    letter.received_on = received_on
    letter.save(update_fields=["received_on"])
    _start_response(step, received_on)
    start_limits(step, "delivery", received_on)
    return step.finish(fields=("response_start", "response_due", "response_provisional"), received_on=received_on,
                       response_due=case.response_due)
