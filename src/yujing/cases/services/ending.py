"""Lifting and escalation, and what ending a case sets off (第二十八至三十一条, 第十四条)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yujing.audit.services import Origin
from yujing.policy.schema import OUTCOMES

from ..models import Ending, Status, Verification, WarningCase
from ._common import (
    Step,
    begin,
    bracketed,
    case_policy,
    cited,
    deciders,
    measure_rules,
    raise_if,
    require_role,
    target_label,
    verifications_for,
)
from .proposal import propose_case, refuse_renewal
from .response import required_recipients

TRUE_FINDINGS = {Verification.Conclusion.TRUE, Verification.Conclusion.PARTLY_TRUE}

def filing_required(case: WarningCase) -> str:
    return "构成立案条件的，才能立案查处：须先记录了解、初核或调查，认定已构成立案条件" + cited(case, "filing")


def filing_met(case: WarningCase) -> str:
    return "经核查已构成立案条件，应当立案查处，不得以预警代之" + cited(case, "warning_instead")


def _targets(case: WarningCase, condition: str) -> str:
    """转警示诫勉或责令纠错: the escalations of the case's measure open under ``condition``, as one phrase."""
    rules = measure_rules(case)
    names = [target_label(case, t).removeprefix("转") for t in rules.escalations if rules.condition(t) == condition]
    return "转" + "或".join(names)


def _refusal(case: WarningCase, condition: str) -> str:
    """Why an escalation under ``condition`` is not yet open, citing the measure's escalation article."""
    rules = measure_rules(case)
    article = rules.escalation_article or rules.article
    if condition == "renewed_complaint":
        return f"{rules.label}后群众仍有反映、经调查属实的，才能{_targets(case, condition)}（{article}）"
    if condition == "rounds_exhausted":
        rounds = rules.rounds
        return (f"已进行{rounds.max if rounds else 1}轮整改仍未达到要求的，才能{_targets(case, condition)}"
                f"（{article}）")
    if condition == "rectification_failed":
        return f"整改不力（逾期未报告整改或回访未达到要求）的，才能{_targets(case, condition)}（{article}）"
    return f"整改期限届满、错误没有得到纠正的，才能{_targets(case, condition)}（{article}）"


def lift_blockers(case: WarningCase) -> list[str]:
    """What still stands between a responded case and lifting; empty when it may be lifted."""
    rules = measure_rules(case)
    policy = case_policy(case).rules
    blockers = []
    if verifications_for(case).filter(meets_filing=True).exists():
        blockers.append(filing_met(case))
    policy = case_policy(case).rules
    register = case.registers.first()
    if register is None:
        blockers.append("尚未填写预警工作登记表" + bracketed(policy.register_.article))
    elif rules.requirements_approval and register.approved_on is None:
        blockers.append("整改要求尚未经领导批准" + bracketed(policy.register_.article))
    if rules.revisit_required:
        from .rounds import round_revisits

        revisit = round_revisits(case).order_by("-done_on", "-id").first()
        if revisit is None:
            blockers.append("尚未回访" + bracketed(policy.revisit.article))
        elif not revisit.meets_requirement:
            blockers.append("回访认为未达到整改要求")
    from .limits import limit_blockers

    blockers += limit_blockers(case)
    sent = set(case.notices.values_list("recipient", flat=True))
    from ..models import Notice

    missing = [Notice.Recipient(r).label for r in required_recipients(case) if r not in sent]
    if missing:
        blockers.append(f"尚未书面通报{'、'.join(missing)}{cited(case, 'notices')}")
    return blockers


@transaction.atomic
def lift(*, case: WarningCase, by: Any, today: date, basis: str, origin: Origin | None = None) -> Ending:
    """对达到整改要求的，填写预警工作回访登记表，提出意见，报纪检监察机关领导批准后解除预警 (第三十条)."""
    step = begin(case, action="lift", by=by, perm="case.decide", origin=origin)
    case = step.case
    require_role(by, deciders(case, case_policy(case).rules.lifting.approvers), case, "解除预警")
    if not basis.strip():
        raise ValidationError({"basis": ["请填写解除预警的意见"]})
    blockers = lift_blockers(case)
    if blockers:
        raise ValidationError("不能解除预警：" + "；".join(blockers))
    ending = Ending.objects.create(case=case, recorded_by=by, kind=Ending.Kind.LIFTED, decided_on=today,
                                   basis=basis.strip())
    _close(step, today, Ending.Kind.LIFTED, basis)
    return ending


def escalation_kinds(case: WarningCase) -> list[str]:
    """The escalations the case's policy names for its measure; a lifted inquiry leads on only to the
    ones of 第二十八条 (or to case filing when the renewed complaint meets its conditions)."""
    rules = measure_rules(case)
    kinds = list(rules.escalations)
    if case.status == Status.LIFTED:
        kinds = [k for k in kinds if rules.condition(k) in ("renewed_complaint", "filing_conditions")]
    return kinds


def escalation_blockers(case: WarningCase, kind: str, today: date) -> list[str]:
    """Why ``kind`` is not (yet) a lawful escalation of this case; empty when it is."""
    if kind not in escalation_kinds(case):
        return [f"{case.get_measure_display()}不能{target_label(case, kind)}"]
    verified = verifications_for(case)
    condition = measure_rules(case).condition(kind)
    if condition == "filing_conditions":
        # 构成立案条件，按有关规定立案查处 (第二十九条): from any open state, but only on a recorded finding
        return [] if verified.filter(meets_filing=True).exists() else [filing_required(case)]
    if kind in case_policy(case).measures and verified.filter(meets_filing=True).exists():
        return [filing_met(case)]
    if case.implemented_on is None:
        return ["预警尚未实施"]
    if condition == "renewed_complaint":
        # 谈话后如群众仍有反映，经调查问题属实的，可转警示诫勉、责令纠错 (第二十八条); after the lifting, the
        # latest finding on the renewed complaint decides (a 不属实 finding leads nowhere)
        if case.status == Status.LIFTED:
            latest = case.verifications.filter(done_on__gte=case.closed_on).order_by("-done_on", "-id").first()
            return [] if latest and latest.conclusion in TRUE_FINDINGS else [_refusal(case, condition)]
        renewed = case.verifications.filter(done_on__gte=case.implemented_on, conclusion__in=TRUE_FINDINGS)
        return [] if renewed.exists() else [_refusal(case, condition)]
    from .rounds import current_round, round_revisits

    if condition == "rounds_exhausted":
        # the last round the policy allows has failed too: the next level (e.g. 转组织处理)
        rounds = measure_rules(case).rounds
        failed = (case.response_due and today > case.response_due and case.responded_on is None) or \
            round_revisits(case).filter(meets_requirement=False).exists()
        return [] if rounds and current_round(case) >= rounds.max and failed else [_refusal(case, condition)]
    if condition == "rectification_failed":
        # 如整改不力、错误蔓延的，转责令纠错或组织处理 (第二十九条)
        failed = (case.response_due and today > case.response_due and case.responded_on is None) or \
            round_revisits(case).filter(meets_requirement=False).exists()
        return [] if failed else [_refusal(case, condition)]
    if condition == "deadline_passed_uncorrected":
        # 整改期限满，错误没有得到纠正的，转组织处理或立案查处 (第三十一条)
        expired = case.response_due and today > case.response_due
        not_corrected = case.responded_on is None or round_revisits(case).filter(meets_requirement=False).exists()
        return [] if expired and not_corrected else [_refusal(case, condition)]
    return []  # after_implementation


@transaction.atomic
def escalate(*, case: WarningCase, by: Any, today: date, kind: str, basis: str, facts: str = "",
             origin: Origin | None = None) -> Ending:
    """Escalate: to admonition or correction (a new case, linked, proposed for approval), to
    organisational handling, or to case filing. The old case ends here."""
    step = begin(case, action="escalate", by=by, perm="case.decide", origin=origin)
    case = step.case
    renewed = case.status == Status.LIFTED
    if renewed:
        refuse_renewal(case)
    rules = case_policy(case).rules
    require_role(by, deciders(case, list(dict.fromkeys([*rules.lifting.approvers, *measure_rules(case).approvers]))),
                 case, "升级处理")
    errors: dict[str, list[str]] = {}
    if kind == Ending.Kind.LIFTED or (kind not in case_policy(case).measures and kind not in OUTCOMES):
        errors["kind"] = ["请选择升级方式"]
    if not basis.strip():
        errors["basis"] = ["请填写升级理由"]
    raise_if(errors)
    blockers = escalation_blockers(case, kind, today)
    if blockers:
        raise ValidationError({"kind": blockers})
    new_case = None
    if kind in case_policy(case).measures:
        new_case = propose_case(
            clues=list(case.clues.all()), target=case.target, measure=kind, facts=facts.strip() or case.facts,
            unit_in_charge=case.unit_in_charge, by=by, today=today, origin=origin, escalated_from=case,
        )
    ending = Ending.objects.create(case=case, recorded_by=by, kind=kind, decided_on=today, basis=basis.strip(),
                                   new_case=new_case)
    case.escalation = kind
    if renewed:
        # the lifting stands (its Ending and closing date stay); the renewed complaint leads on (第二十八条)
        step.finish(fields=("escalation",), kind=kind, new_case=new_case.pk if new_case else None, renewed=True)
        return ending
    _close(step, today, kind, basis, new_case=new_case.pk if new_case else None)
    return ending


def _close(step: Step, today: date, kind: str, basis: str, **data: Any) -> None:
    from yujing.cadres.services import add_integrity_record

    case = step.case
    case.closed_on = today
    fields = ["closed_on"] + (["escalation"] if case.escalation else [])
    if measure_rules(case).integrity_record:
        add_integrity_record(
            cadre=case.target, recorded_on=today, title=f"{case.get_measure_display()}结果：{target_label(case, kind)}（{case.number}）",
            content=basis.strip(), source_ref=case.number, by=step.by, secrecy=case.secrecy, origin=step.origin,
        )
    step.finish(fields=tuple(fields), kind=kind, **data)
    feed_back_if_done(case, step.by, today, kind, step.origin)


OUTCOME_WORDS = {Ending.Kind.LIFTED: "已解除预警", "rejected": "经审核不予预警", "withdrawn": "经审核不予预警"}


def feed_back_if_done(case: WarningCase, by: Any, today: date, kind: str, origin: Origin | None) -> None:
    """Tell the sources of the case's clues, through the clues app, once their warnings have ended."""
    from yujing.clues.services import feed_back_when_warning_ends

    for clue in case.clues.all():
        feed_back_when_warning_ends(clue=clue, outcome=OUTCOME_WORDS.get(kind, "已按规定转入下一步处理"), by=by,
                                    today=today, origin=origin)
