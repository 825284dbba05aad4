"""Proposal, verification and approval (第十五至十七条)."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy

from yujing.audit.services import Origin, record
from yujing.cadres.models import Cadre
from yujing.clues.files import FileRejected, check_upload, safe_filename
from yujing.core.dates import cn_date
from yujing.core.models import next_number
from yujing.orgs import access
from yujing.orgs.models import Unit, User
from yujing.orgs.recusal import require_not_recused
from yujing.orgs.roles import SECRECY_ORDER, Role
from yujing.orgs.selectors import county_of
from yujing.policy import words
from yujing.policy.loader import get_policy
from yujing.policy.schema import Policy
from yujing.policy.services import register_policy_version

from ..models import ChiefReport, Decision, Minutes, Status, Verification, WarningCase
from ._common import (
    begin,
    bracketed,
    case_policy,
    cited,
    earliest,
    implementation_due,
    is_county_level,
    measure_rules,
    needs_verification,
    not_before,
    raise_if,
    require_role,
    start_limits,
    target_label,
    verification_refusal,
    verifications_for,
)


# 线索处理时 … 属于案件线索的不能实施预警 (第十四条): the one wording of every refusal to start or
# approve a warning on a clue screened as a case clue
def case_clue_refusal(policy: Policy) -> str:
    return f"属于案件线索的不能实施预警{words.cited(policy, 'case_clue')}"


# the same, in the words of the policy in force (the clue services use it), rendered when shown
CASE_CLUE_REFUSAL = lazy(lambda: case_clue_refusal(get_policy()), str)()


def propose_case(
    *, clues: list[Any], target: Cadre, measure: str, facts: str, unit_in_charge: Unit, by: Any, today: date,
    origin: Origin | None = None, escalated_from: WarningCase | None = None,
) -> WarningCase:
    """Open a case proposing ``measure`` for ``target`` (第十五条); it is the approval form (审批表).
    Called inside the screening (or escalation) transaction, which has checked access.

    A case clue can never enter the warning path (第十四条): every source clue must have been
    screened to "handle here".
    """
    from yujing.clues.models import Clue

    require_not_recused(by, target)  # 回避: the screener may not propose a warning for a declared relation
    if not clues:
        raise ValidationError("预警事项必须有来源线索")
    for clue in clues:
        if clue.status == Clue.Status.CASE_CLUE:
            raise ValidationError(CASE_CLUE_REFUSAL)
        if clue.status != Clue.Status.HANDLE:
            raise ValidationError(f"线索 {clue.number} 未经筛选确定为本级处理（{clue.get_status_display()}），不能提出预警建议")
    policy = get_policy()
    if measure not in policy.measures:
        raise ValidationError(f"本地办法没有“{measure}”这项措施")
    if not facts.strip():
        raise ValidationError("请填写预警对象的主要问题")
    county = county_of(unit_in_charge)
    prefix = county.code if county else unit_in_charge.code
    seq = next_number(f"case:{prefix}", today.year)
    case = WarningCase.objects.create(
        number=f"{prefix}-YJ{today.year}-{seq:04d}", target=target, measure=measure, facts=facts.strip(),
        unit_in_charge=unit_in_charge, policy_version=register_policy_version(policy), proposed_by=by,
        proposed_on=today, escalated_from=escalated_from,
    )
    case.clues.set(clues)
    # 密级: a case is at least as secret as the most secret of its clues (or the case it escalates)
    levels = [c.secrecy for c in clues] + ([escalated_from.secrecy] if escalated_from else [])
    secrecy = max(levels, key=SECRECY_ORDER.index)
    if secrecy != case.secrecy:
        case.secrecy = secrecy
        case.save(update_fields=["secrecy"])
    record("cases.case.proposed", by=by, obj=case, unit_path=unit_in_charge.path, origin=origin,
           data={"target": target.pk, "measure": measure, "clues": [c.pk for c in clues],
                 "escalated_from": escalated_from.pk if escalated_from else None})
    return case


@transaction.atomic
def record_verification(
    *, case: WarningCase, by: Any, today: date, method: str, done_on: date, findings: str, conclusion: str,
    meets_filing: bool = False, origin: Origin | None = None,
) -> Verification:
    """了解、初核或调查 (第十六条); on a lifted inquiry, of a renewed complaint (第二十八条 "谈话后如群众仍有
    反映，经调查问题属实的，可转警示诫勉、责令纠错"). ``meets_filing``: the verifier finds the filing conditions
    met (第二十九条 "构成立案条件"), the only ground for 立案查处."""
    step = begin(case, action="verify", by=by, origin=origin)
    renewed = step.case.status == Status.LIFTED
    if renewed:
        refuse_renewal(step.case)
    errors: dict[str, list[str]] = {}
    if method not in Verification.Method.values:
        errors["method"] = ["请选择了解、初核或调查"]
    if conclusion not in Verification.Conclusion.values:
        errors["conclusion"] = ["请选择核查结论"]
    if not findings.strip():
        errors["findings"] = ["请填写核查情况"]
    if renewed:  # the renewed complaint is verified after the lifting it follows
        not_before(errors, "done_on", done_on, step.case.closed_on, "解除预警的日期", today)
    else:
        not_before(errors, "done_on", done_on, step.case.proposed_on, "提出建议的日期", today)
    raise_if(errors)
    verification = Verification.objects.create(
        case=step.case, recorded_by=by, method=method, done_on=done_on, findings=findings.strip(),
        conclusion=conclusion, meets_filing=meets_filing,
    )
    step.finish(method=method, conclusion=conclusion, meets_filing=meets_filing, done_on=done_on, renewed=renewed)
    return verification


def refuse_renewal(case: WarningCase) -> None:
    """A lifted case takes a renewed complaint only if its measure is renewable (an escalation of it opens on
    a renewed complaint, as 谈话函询's do, 第二十八条) and it has not yet led on."""
    if not measure_rules(case).renewable:
        renewable = [m for m in case_policy(case).measures.values() if m.renewable]
        if not renewable:
            raise ValidationError(f"{case.get_measure_display()}已解除预警；本办法未规定解除后群众仍有反映的再行处理")
        first = renewable[0]
        targets = [t for t in first.escalations if first.condition(t) == "renewed_complaint"]
        names = "或".join(case_policy(case).measure(t).label if t in case_policy(case).measures else t for t in targets)
        raise ValidationError(f"{case.get_measure_display()}已解除预警；只有{'或'.join(m.label for m in renewable)}"
                              f"解除后群众仍有反映的，才能再核查并转{names}（{first.escalation_article or first.article}）")
    if case.escalation:
        follow = case.escalations.order_by("id").first()
        raise ValidationError(f"本事项已{target_label(case, case.escalation)}" + (f"（{follow.number}）" if follow else "")
                              + "，群众再有反映的，在该事项中办理")


def decider_rules(case: WarningCase) -> Any:
    """Who decides a county case's measure: the measure's approvers (and ``then``), or, where the policy
    says so for the kind of unit that manages the cadre (干部管理权限), that unit kind's rule."""
    rules = measure_rules(case)
    if rules.by_manager:
        kind = case.target.managed_by.kind if case.target.managed_by_id else ""
        return rules.by_manager.get(kind, rules)
    return rules


def approval_steps(case: WarningCase) -> int:
    """How many decisions approve this case: one, or the steps of the measure's sequential approval
    (``then``) after the first; a unit's own case is decided once (第十八条)."""
    return 1 + len(decider_rules(case).then) if is_county_level(case) else 1


def current_step(case: WarningCase) -> int:
    """The step of the approval the case waits for: one after the steps already approved."""
    return 1 + sum(1 for d in case.decisions.all() if d.outcome == Decision.Outcome.APPROVED)


def step_label(case: WarningCase, step: int) -> str:
    """第2步：主要领导审批: what a step of a sequential approval is called; empty for a single decision."""
    if approval_steps(case) == 1:
        return ""
    label = decider_rules(case).then[step - 2].label if step > 1 else ""
    return f"第{step}步" + (f"：{label}" if label else "")


def approvers(case: WarningCase) -> tuple[list[str], bool]:
    """Who decides this case now, and whether only the standing committee may (第十七条, 第十八条); in a
    sequential approval, the roles of the step it waits for."""
    policy = case_policy(case)
    if not is_county_level(case):
        return list(policy.rules.unit_level.approvers), False
    rules = decider_rules(case)
    step = current_step(case)
    if step > 1:
        return list(rules.then[min(step, approval_steps(case)) - 2].roles), False
    if rules.standing_committee == "required" or case.referred_to_committee:
        return [Role.STANDING_COMMITTEE], True
    roles = list(rules.approvers)
    if rules.standing_committee == "optional":
        roles.append(Role.STANDING_COMMITTEE)
    return roles, False


def decides_at_meeting(case: WarningCase, by: Any) -> bool:
    """Whether ``by`` decides this case as the standing committee: such a decision records its meeting and
    runs from the meeting's date; anyone else decides on the day (第十七条)."""
    roles, _ = approvers(case)
    return access.has_role_over(by, roles, case) == Role.STANDING_COMMITTEE


@transaction.atomic
def refer_to_committee(*, case: WarningCase, by: Any, today: date, origin: Origin | None = None) -> WarningCase:
    """必要时提交县纪委常委会研究确定 (第十七条): the secretary refers; then only the committee decides."""
    step = begin(case, action="refer", by=by, perm="case.decide", origin=origin)
    if not is_county_level(step.case) or measure_rules(step.case).standing_committee == "never":
        raise ValidationError(f"{step.case.get_measure_display()}不提交常委会研究")
    require_role(by, [Role.SECRETARY], step.case, "提交常委会研究")
    if step.case.referred_to_committee:
        raise ValidationError("已提交常委会研究")
    if current_step(step.case) > 1:
        raise ValidationError("已进入逐级审批的下一步，不再提交常委会研究")
    step.case.referred_to_committee = True
    return step.finish(fields=("referred_to_committee",), referred_on=today)


@dataclass(frozen=True)
class MinutesFile:
    """An uploaded file of meeting minutes: its name as sent and its bytes."""

    name: str
    data: bytes


@contextlib.contextmanager
def _removed_on_error(paths: list[str]) -> Iterator[None]:
    """A stored file goes again when the service fails: the row rolls back, the file must not stay."""
    try:
        yield
    except BaseException:
        for path in paths:
            with contextlib.suppress(OSError):
                os.remove(path)
        raise


def _store_minutes(decision: Decision, upload: MinutesFile, kind: str, by: Any, paths: list[str]) -> Minutes:
    minutes = Minutes(decision=decision, original_name=safe_filename(upload.name, default="会议纪要"), kind=kind,
                      size=len(upload.data), sha256=hashlib.sha256(upload.data).hexdigest(), uploaded_by=by,
                      uploaded_at=timezone.now())
    minutes.file.save("minutes", ContentFile(upload.data), save=False)
    paths.append(minutes.file.path)
    minutes.save()
    return minutes


def decide(
    *, case: WarningCase, by: Any, today: date, approve: bool, opinion: str = "", meeting: str = "",
    meeting_on: date | None = None, minutes: MinutesFile | None = None, origin: Origin | None = None,
) -> Decision:
    """Approve or reject the approval form (第十七条). Only a user holding the policy's tier over this
    case decides; a committee decision records its meeting, and may carry the meeting's minutes (纪要)
    as a file; a rejection needs a reason. On approval the 7-day implementation clock starts (第十七条)."""
    paths: list[str] = []
    with _removed_on_error(paths), transaction.atomic():
        return _decide(case=case, by=by, today=today, approve=approve, opinion=opinion, meeting=meeting,
                       meeting_on=meeting_on, minutes=minutes, origin=origin, paths=paths)


def _decide(
    *, case: WarningCase, by: Any, today: date, approve: bool, opinion: str, meeting: str, meeting_on: date | None,
    minutes: MinutesFile | None, origin: Origin | None, paths: list[str],
) -> Decision:
    from yujing.clues.models import Clue

    step = begin(case, action="approve" if approve else "reject", by=by, perm="case.decide", origin=origin)
    case = step.case
    roles, _ = approvers(case)
    role = require_role(by, roles, case, f"{case.get_measure_display()}的审批" + (f"（{chain}）" if (chain := step_label(case, current_step(case))) else ""))
    if approve and case.clues.filter(status=Clue.Status.CASE_CLUE).exists():
        # no service screens a clue of an open case again, but a warning is never approved on a case
        # clue, however the data came to say so (第十四条)
        raise ValidationError(case_clue_refusal(case_policy(case)))
    by_committee = decides_at_meeting(case, by)
    errors: dict[str, list[str]] = {}
    if by_committee:
        if not meeting.strip():
            errors["meeting"] = ["常委会研究确定的，须填写会议（如 2026年第12次常委会）"]
        not_before(errors, "meeting_on", meeting_on, *earliest(case, "approve"), today)
    if not approve and not opinion.strip():
        errors["opinion"] = ["不予批准须说明理由"]
    kind = ""
    if minutes is not None and not by_committee:
        errors["minutes"] = ["只有常委会研究确定的决定才附会议纪要" + bracketed(measure_rules(case).approval_article)]
    elif minutes is not None:
        try:  # the same check as a clue attachment: the type by content, the size limit
            kind = check_upload(minutes.name, minutes.data).kind
        except FileRejected as exc:
            errors["minutes"] = [str(exc)]
    raise_if(errors)
    # a committee decision is taken at its meeting: that is the approval date, and the 7 days run from it
    decided_on = meeting_on if by_committee else today
    # a case escalated from another counts the verifications recorded there (第十六条: entered once)
    verified = verifications_for(case)
    if approve and verified.filter(meets_filing=True).exists():
        raise ValidationError("经核查已构成立案条件，应当立案查处，不得以预警代之" + cited(case, "warning_instead"))
    if approve and needs_verification(case) and not verified.filter(done_on__lte=decided_on).exists():
        raise ValidationError(verification_refusal(measure_rules(case), case_policy(case)))
    number, steps = current_step(case), approval_steps(case)
    if number > 1:
        # a sequential approval: each step by another person, in order, on or after the step before
        earlier = [d for d in case.decisions.all() if d.outcome == Decision.Outcome.APPROVED]
        if any(d.recorded_by_id == by.pk for d in earlier):
            raise ValidationError(f"您已审批本事项的前一步，{step_label(case, number)}须由他人审批")
        if decided_on < earlier[-1].decided_on:
            raise ValidationError(f"审批日期不能早于上一步审批的日期（{cn_date(earlier[-1].decided_on)}）")
    decision = Decision.objects.create(
        case=case, recorded_by=by, outcome=Decision.Outcome.APPROVED if approve else Decision.Outcome.REJECTED,
        decided_on=decided_on, step=number, role=role, by_committee=by_committee, meeting=meeting.strip(),
        meeting_on=meeting_on, opinion=opinion.strip(),
    )
    if minutes is not None:
        stored = _store_minutes(decision, minutes, kind, by, paths)
        step.data.update(minutes=stored.original_name, minutes_sha256=stored.sha256)
    if steps > 1:
        step.data.update(step=number, steps=steps)
    if approve and number < steps:
        # not yet approved: the case waits for the next step's decision
        step.finish(move=False, role=role, by_committee=by_committee)
        return decision
    if approve:
        deadline = implementation_due(case, decided_on)
        case.approved_on, case.implementation_due = decided_on, deadline.date
        case.implementation_provisional = deadline.provisional
        start_limits(step, "approval", decided_on)
        step.finish(fields=("approved_on", "implementation_due", "implementation_provisional"), role=role,
                    by_committee=by_committee, implementation_due=deadline.date)
    else:
        case.closed_on = decided_on
        step.finish(fields=("closed_on",), role=role, by_committee=by_committee, opinion=opinion.strip())
        from .ending import feed_back_if_done

        feed_back_if_done(case, by, today, "rejected", origin)
    return decision


@transaction.atomic
def withdraw(*, case: WarningCase, by: Any, today: date, reason: str, origin: Origin | None = None) -> WarningCase:
    step = begin(case, action="withdraw", by=by, origin=origin)
    if not reason.strip():
        raise ValidationError({"reason": ["请说明撤回理由"]})
    step.case.closed_on = today
    step.finish(fields=("closed_on",), reason=reason.strip())
    from .ending import feed_back_if_done

    feed_back_if_done(step.case, by, today, "withdrawn", origin)
    return step.case


def chief_role_at(*, county_level: bool, policy: Any = None) -> Role:
    """Whom a correction is reported to: for a county case the policy's ``[chief] county`` (Shou: the county
    party chief, 报县委主要领导同志, 第十七条); for a unit's own case ``[chief] unit`` (its party committee's
    leader, 向党委(党组)主要领导汇报, 第三十一条). The one rule, for a case (chief_role, under its own policy
    version) and for the to-do lists' set-based query (oversight/deadlines, the row's version)."""
    from yujing.policy.loader import get_policy

    chief = (policy or get_policy()).rules.chief
    return Role(chief.county if county_level else chief.unit)


def chief_role(case: WarningCase) -> Role:
    return chief_role_at(county_level=is_county_level(case), policy=case_policy(case))


def chief_of(case: WarningCase) -> User | None:
    """The person holding ``chief_role`` over the case (None when nobody holds it: the report is still recorded)."""
    from yujing.orgs.roles import ROLE_REACH, Reach

    role = chief_role(case)
    if ROLE_REACH[role] is Reach.COUNTY:
        county = county_of(case.unit_in_charge)
        return User.objects.filter(
            role_assignments__role=role, role_assignments__is_active=True,
            role_assignments__unit__path__startswith=county.path if county else "~",
        ).first()
    return User.objects.filter(role_assignments__role=role, role_assignments__is_active=True,
                               role_assignments__unit=case.unit_in_charge).first()


@transaction.atomic
def report_to_chief(
    *, case: WarningCase, by: Any, today: date, reported_on: date, note: str = "", origin: Origin | None = None,
) -> ChiefReport:
    """报县委主要领导同志后组织实施 (第十七条): recorded before implementation; the party chief sees it."""
    step = begin(case, action="report_chief", by=by, origin=origin)
    case = step.case
    if not measure_rules(case).report_to_party_chief:
        raise ValidationError(f"{case.get_measure_display()}不需报告{words.of_case(case).body('chief')}")
    if case.chief_report(ChiefReport.Kind.IMPLEMENTATION):
        raise ValidationError(f"已报告{words.of_case(case).body('chief')}")
    errors: dict[str, list[str]] = {}
    not_before(errors, "reported_on", reported_on, case.approved_on, "批准日期", today)
    raise_if(errors)
    chief = chief_of(case)
    report = ChiefReport.objects.create(case=case, kind=ChiefReport.Kind.IMPLEMENTATION, recorded_by=by,
                                        reported_on=reported_on, chief=chief, note=note.strip())
    step.finish(reported_on=reported_on, chief=chief.pk if chief else None)
    return report


@transaction.atomic
def mark_report_seen(*, report: ChiefReport, by: Any, origin: Origin | None = None) -> ChiefReport:
    """The chief the report went to has read it (阅知): it leaves their 我的待办."""
    from django.utils import timezone

    report = ChiefReport.objects.select_for_update().select_related("case__unit_in_charge").get(pk=report.pk)
    role = chief_role(report.case)
    if access.has_role_over(by, [role], report.case) is None:
        raise PermissionDenied(f"只有{words.of_case(report.case).role(role)}可以阅知")
    if report.seen_at is None:
        report.seen_at = timezone.now()
        report.save(update_fields=["seen_at"])
        record("cases.chief_report.seen", by=by, obj=report.case, unit_path=report.case.unit_in_charge.path,
               origin=origin, data={"kind": report.kind, "report": report.pk})
    return report
