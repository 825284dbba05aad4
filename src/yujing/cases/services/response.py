"""Responses, extensions, revisits and notices (第二十七至三十一条)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yujing.audit.services import Origin
from yujing.cadres.models import IntegrityRecord
from yujing.core.dates import cn_date
from yujing.orgs.models import Unit
from yujing.orgs.selectors import county_of
from yujing.policy import words
from yujing.policy.periods import Period

from ..models import Extension, Notice, Response, ResponseSignoff, Revisit, Status, WarningCase
from ._common import (
    begin,
    bracketed,
    cited,
    deciders,
    due,
    earliest,
    measure_rules,
    not_before,
    raise_if,
    require_role,
    start_limits,
)


@transaction.atomic
def record_response(*, case: WarningCase, by: Any, today: date, received_on: date, content: str,
                    origin: Origin | None = None) -> Response:
    """The written explanation or rectification report arrived. A late one is accepted and marked late
    (DESIGN.md §2), never refused."""
    step = begin(case, action="record_response", by=by, origin=origin)
    case = step.case
    errors: dict[str, list[str]] = {}
    if not content.strip():
        errors["content"] = ["请填写答复或整改报告的主要内容"]
    not_before(errors, "received_on", received_on, *earliest(case, "record_response"), today)
    raise_if(errors)
    if measure_rules(case).signoff and unsigned(case) is not None:
        raise ValidationError("已收到的答复尚待签署，签署完毕后才能再收")
    response = Response.objects.create(case=case, recorded_by=by, received_on=received_on, content=content.strip(),
                                       due_on=case.response_due)
    if measure_rules(case).signoff:
        # received, but it counts only once signed off (the last level moves the case on; lateness is on receipt)
        step.finish(move=False, received_on=received_on, late=response.late, awaiting_signoff=True)
        return response
    case.responded_on = received_on
    start_limits(step, "response", received_on)
    step.finish(fields=("responded_on",), received_on=received_on, late=response.late)
    return response


def unsigned(case: WarningCase) -> Response | None:
    """The answer received and still waiting for a level of its sign-off, if any."""
    rules = measure_rules(case)
    if rules.signoff is None or case.responded_on is not None:
        return None
    response = case.responses.order_by("-id").first()
    if response is None or response.sent_back_on:
        return None
    return response if response.signoffs.count() < len(rules.signoff.levels) else None


@transaction.atomic
def sign_off(*, case: WarningCase, by: Any, today: date, signer_name: str, signed_on: date,
             origin: Origin | None = None) -> ResponseSignoff:
    """Record the next level of the answer's sign-off (阅签); the last level makes the answer received."""
    step = begin(case, action="sign_off", by=by, origin=origin)
    case = step.case
    rules = measure_rules(case)
    response = unsigned(case)
    if rules.signoff is None or response is None:
        raise ValidationError("没有待签署的答复")
    done = list(response.signoffs.order_by("level"))
    level = len(done) + 1
    errors: dict[str, list[str]] = {}
    if not signer_name.strip():
        errors["signer_name"] = [f"请填写签署人（{rules.signoff.levels[level - 1].label}）"]
    not_before(errors, "signed_on", signed_on, done[-1].signed_on if done else response.received_on,
               "上一级签署日期" if done else "收到答复的日期", today)
    raise_if(errors)
    signed = ResponseSignoff.objects.create(case=case, recorded_by=by, response=response, level=level,
                                            signer_name=signer_name.strip(), signed_on=signed_on)
    if level < len(rules.signoff.levels):
        step.finish(move=False, level=level, signed_on=signed_on)
        return signed
    case.responded_on, case.status = response.received_on, Status.RESPONDED
    start_limits(step, "response", response.received_on)
    step.finish(fields=("responded_on",), move=False, level=level, signed_on=signed_on, received_on=response.received_on)
    return signed


@transaction.atomic
def send_back(*, case: WarningCase, by: Any, today: date, sent_back_on: date, reason: str,
              origin: Origin | None = None) -> Response:
    """An answer found inadequate goes back to the target to be done again (退回重报): a new period runs
    from the day it is sent back, at most the policy's ``redo.max`` times; the answer stays on file."""
    step = begin(case, action="send_back", by=by, origin=origin)
    case = step.case
    rules = measure_rules(case)
    if rules.redo is None:
        raise ValidationError(f"{rules.label}的答复不能退回重报")
    response = case.responses.order_by("-received_on", "-id").first()
    sent = case.responses.filter(sent_back_on__isnull=False).count()
    if sent >= rules.redo.max:
        raise ValidationError(f"已退回{sent}次，不能再退回（{rules.redo.article}）")
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["请写明退回的理由（哪些问题说明不清）"]
    not_before(errors, "sent_back_on", sent_back_on, response.received_on if response else None, "收到答复的日期", today)
    raise_if(errors)
    response.sent_back_on, response.sent_back_by, response.sent_back_reason = sent_back_on, by, reason.strip()
    response.save(update_fields=["sent_back_on", "sent_back_by", "sent_back_reason"])
    deadline = due(case, sent_back_on, rules.redo.period)
    case.response_start, case.response_due, case.response_provisional = sent_back_on, deadline.date, deadline.provisional
    case.responded_on = None
    step.finish(fields=("response_start", "response_due", "response_provisional", "responded_on"),
                sent_back_on=sent_back_on, response_due=deadline.date, round=sent + 1)
    return response


def extension_cap(case: WarningCase, *, start: date | None = None) -> date | None:
    """The latest date an extension may reach: the response period plus the cap, both counted from the
    original start (01-31 + (1 + 1) months = 03-31, not one month after a clamped 02-28). ``start``
    previews a start not yet recorded (the 送达 date being typed)."""
    rules = measure_rules(case)
    start = start or case.response_start
    if rules.extension is None or start is None:
        return None
    period, cap = rules.response.period, rules.extension.cap
    if period.unit == cap.unit:
        return due(case, start, Period(period.count + cap.count, period.unit)).date
    first = due(case, start, period).nominal
    return due(case, first, cap).date


def requested_until_problem(case: WarningCase, requested_until: date | None, *, today: date,
                            cap: date) -> str | None:
    """Why ``requested_until`` cannot be asked for (第三十条, 第三十一条), or None."""
    if today > case.response_due:
        return "整改期限已届满，不能再申请延期" + cited(case, "deadline_passed")
    if requested_until is None or requested_until <= case.response_due:
        return f"申请延至的日期须晚于现在的期限（{cn_date(case.response_due)}）"
    if requested_until > cap:
        label = measure_rules(case).extension.cap.label
        return (f"延长整改期限累计不得超过{label}，最迟只能延至{cn_date(cap)}"
                + bracketed(measure_rules(case).extension.article))
    return None


@transaction.atomic
def request_extension(*, case: WarningCase, by: Any, today: date, reason: str, requested_until: date,
                      origin: Origin | None = None) -> Extension:
    """特殊情况需延期的，向预警办说明情况后，由预警办填写延期整改审批表 (第三十条)."""
    step = begin(case, action="request_extension", by=by, origin=origin)
    case = step.case
    cap = extension_cap(case)
    if cap is None:
        raise ValidationError(f"{case.get_measure_display()}不能延期")
    if case.extensions.filter(outcome=Extension.Outcome.PENDING).exists():
        raise ValidationError("已有待审批的延期申请")
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["请说明延期理由"]
    problem = requested_until_problem(case, requested_until, today=today, cap=cap)
    if problem:
        errors["requested_until"] = [problem]
    raise_if(errors)
    extension = Extension.objects.create(case=case, recorded_by=by, reason=reason.strip(), requested_on=today,
                                         requested_until=requested_until, previous_due=case.response_due)
    step.finish(requested_until=requested_until, cap=cap)
    return extension


@transaction.atomic
def decide_extension(*, case: WarningCase, by: Any, today: date, approve: bool, note: str = "",
                     origin: Origin | None = None) -> Extension:
    """报相关领导批准后，发出延期整改通知书 (第三十条). An extension decided after the deadline has passed
    is refused: the case then follows 第三十一条."""
    step = begin(case, action="decide_extension", by=by, perm="case.decide", origin=origin)
    case = step.case
    rules = measure_rules(case)
    if rules.extension is None:
        raise ValidationError(f"{case.get_measure_display()}不能延期")
    require_role(by, deciders(case, rules.extension.approvers), case, "延期整改")
    extension = case.extensions.filter(outcome=Extension.Outcome.PENDING).first()
    if extension is None:
        raise ValidationError("没有待审批的延期申请")
    if not approve and not note.strip():
        raise ValidationError({"note": ["不予批准须说明理由"]})
    if approve:
        if today > case.response_due:
            raise ValidationError("整改期限已届满，不能再批准延期" + cited(case, "deadline_passed"))
        cap = extension_cap(case)
        if extension.requested_until > cap:
            raise ValidationError(f"延长整改期限累计不得超过{rules.extension.cap.label}{bracketed(rules.extension.article)}")
        extension.outcome, extension.new_due = Extension.Outcome.APPROVED, extension.requested_until
        # the approved date is a date, not a period counted on the calendar: it is never 暂定
        case.response_due, case.response_provisional = extension.requested_until, False
    else:
        extension.outcome = Extension.Outcome.REFUSED
    extension.decided_by, extension.decided_on, extension.decision_note = by, today, note.strip()
    extension.save(update_fields=["outcome", "new_due", "decided_by", "decided_on", "decision_note"])
    step.finish(fields=("response_due", "response_provisional"), approved=approve, response_due=case.response_due)
    return extension


@transaction.atomic
def record_revisit(*, case: WarningCase, by: Any, today: date, methods: list[str], done_on: date, findings: str,
                   meets_requirement: bool, other_method: str = "", origin: Origin | None = None) -> Revisit:
    """回访 (第三十条): "通过听取汇报、查阅资料、召开座谈会等形式" — one or more of them; "等" admits another
    means, which is then named."""
    step = begin(case, action="revisit", by=by, origin=origin)
    case = step.case
    errors: dict[str, list[str]] = {}
    chosen = [m for m in Revisit.Method.values if m in set(methods or [])]  # the article's order, each once
    unknown = [m for m in methods or [] if m not in Revisit.Method.values]
    if unknown:
        errors["methods"] = [f"回访形式“{'、'.join(map(str, unknown))}”不在听取汇报、查阅资料、召开座谈会、其他之列"]
    elif not chosen:
        errors["methods"] = ["请至少选择一种回访形式：听取汇报、查阅资料、召开座谈会或其他" + cited(case, "revisit_means")]
    other = other_method.strip() if Revisit.Method.OTHER in chosen else ""
    if Revisit.Method.OTHER in chosen and not other:
        errors["other_method"] = ["选择“其他”时请说明回访形式"]
    if not findings.strip():
        errors["findings"] = ["请填写回访情况"]
    not_before(errors, "done_on", done_on, case.response_start, "整改起算日", today)
    raise_if(errors)
    revisit = Revisit.objects.create(case=case, recorded_by=by, methods=chosen, other_method=other, done_on=done_on,
                                     findings=findings.strip(), meets_requirement=meets_requirement)
    step.finish(methods=chosen, meets_requirement=meets_requirement)
    return revisit


def recipient_unit(case: WarningCase, recipient: str) -> Unit:
    if recipient == Notice.Recipient.UNIT_PARTY_ORG:
        return case.target.unit
    county = county_of(case.unit_in_charge)
    kind = {Notice.Recipient.ORGANIZATION_DEPT: Unit.Kind.ORGANIZATION_DEPT,
            Notice.Recipient.PERSONNEL_DEPT: Unit.Kind.PERSONNEL_DEPT}[recipient]
    unit = Unit.objects.filter(kind=kind, path__startswith=county.path if county else "~", is_active=True).first()
    if unit is None:
        raise ValidationError(f"{words.of_case(case).here()}没有设置{Notice.Recipient(recipient).label}")
    return unit


def allowed_recipients(case: WarningCase) -> list[str]:
    """第三十一条: corrections to the organisation and personnel departments and the unit; inquiry and
    admonition to the unit when needed."""
    rules = measure_rules(case)
    recipients = []
    if rules.notify_departments:
        recipients += [Notice.Recipient.ORGANIZATION_DEPT, Notice.Recipient.PERSONNEL_DEPT]
    if rules.notify_unit != "never":
        recipients.append(Notice.Recipient.UNIT_PARTY_ORG)
    return recipients


def required_recipients(case: WarningCase) -> list[str]:
    rules = measure_rules(case)
    required = []
    if rules.notify_departments:
        required += [Notice.Recipient.ORGANIZATION_DEPT, Notice.Recipient.PERSONNEL_DEPT]
    if rules.notify_unit == "required":
        required.append(Notice.Recipient.UNIT_PARTY_ORG)
    return required


@transaction.atomic
def send_notice(*, case: WarningCase, by: Any, today: date, recipient: str, sent_on: date, content: str,
                origin: Origin | None = None) -> Notice:
    """书面通报 (第三十一条); the receiving body sees it. A correction is also written into the cadre's
    integrity file (个人廉政档案) with the first notice."""
    step = begin(case, action="notify", by=by, origin=origin)
    case = step.case
    if recipient not in allowed_recipients(case):
        raise ValidationError({"recipient": [f"{case.get_measure_display()}不向{Notice.Recipient(recipient).label}通报"
                                             if recipient in Notice.Recipient.values else "请选择通报对象"]})
    if case.notices.filter(recipient=recipient).exists():
        raise ValidationError({"recipient": ["已向该对象通报"]})
    errors: dict[str, list[str]] = {}
    if not content.strip():
        errors["content"] = ["请填写通报内容"]
    not_before(errors, "sent_on", sent_on, case.implemented_on, "实施日期", today)
    raise_if(errors)
    notice = Notice.objects.create(case=case, recorded_by=by, recipient=recipient,
                                   recipient_unit=recipient_unit(case, recipient), sent_on=sent_on,
                                   content=content.strip())
    if measure_rules(case).integrity_record and not IntegrityRecord.objects.filter(source_ref=case.number).exists():
        from yujing.cadres.services import add_integrity_record

        add_integrity_record(cadre=case.target, recorded_on=sent_on, title=f"{case.get_measure_display()}（{case.number}）",
                             content=case.facts, source_ref=case.number, by=by, secrecy=case.secrecy,
                             origin=origin)
    step.finish(recipient=recipient, unit=notice.recipient_unit_id, sent_on=sent_on)
    return notice


