"""Which workflow actions a user may take on a case now, and how each page form calls its service.
The services decide; this only offers the forms that can succeed (and the API reuses the table)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from yujing.orgs import access
from yujing.orgs.recusal import reason as recusal_reason
from yujing.policy import words

from . import forms as f
from . import services as cs
from . import workflow
from .models import CLOSED, ChiefReport, Extension, WarningCase
from .services._common import awaits_verification, case_policy, deciders, is_county_level, measure_rules


@dataclass(frozen=True)
class Action:
    name: str  # the workflow action (TRANSITIONS key) it checks against
    form: type[f.ActionForm]
    run: Callable[..., Any]
    done: str  # the message shown after it succeeded; ``{committee}`` and the like are the case's bodies
    button: str = "提交"

    def done_for(self, case: WarningCase) -> str:
        """The message shown after it succeeded, in the words of the case's policy."""
        return self.done.format_map(words.of_case(case).bodies)


def _decide(approve: bool):
    def run(case, by, today, d):
        upload = d.get("minutes")
        if upload is not None and not isinstance(upload, cs.MinutesFile):  # a page upload; the API sends one ready
            upload = cs.MinutesFile(upload.name, upload.read())
        return cs.decide(case=case, by=by, today=today, approve=approve, opinion=d.get("opinion", ""),
                         meeting=d.get("meeting", ""), meeting_on=d.get("meeting_on"), minutes=upload)

    return run


ACTIONS: dict[str, Action] = {
    "verify": Action("verify", f.VerifyForm, lambda c, by, t, d: cs.record_verification(
        case=c, by=by, today=t, method=d["method"], done_on=d["done_on"], findings=d["findings"],
        conclusion=d["conclusion"], meets_filing=d["meets_filing"]), "已记录核查情况。"),
    "refer": Action("refer", f.EmptyForm, lambda c, by, t, d: cs.refer_to_committee(case=c, by=by, today=t),
                    "已提交{committee}研究。", "提交常委会研究"),
    "approve": Action("approve", f.DecideForm, _decide(True), "已批准。", "批准"),
    "reject": Action("reject", f.DecideForm, _decide(False), "已决定不予批准。", "不予批准"),
    "withdraw": Action("withdraw", f.ReasonForm, lambda c, by, t, d: cs.withdraw(case=c, by=by, today=t,
                                                                                  reason=d["reason"]), "已撤回。", "撤回"),
    "report_chief": Action("report_chief", f.ChiefReportForm, lambda c, by, t, d: cs.report_to_chief(
        case=c, by=by, today=t, reported_on=d["reported_on"], note=d["note"]), "已记录向{chief}报告。"),
    "report_outcome": Action("report_outcome", f.OutcomeReportForm, lambda c, by, t, d: cs.report_outcome_to_chief(
        case=c, by=by, today=t, reported_on=d["reported_on"], note=d["note"]), "已记录向主要领导汇报结果。"),
    "plan_talk": Action("plan_talk", f.PlanTalkForm, lambda c, by, t, d: cs.plan_talk(
        case=c, by=by, today=t, outline=d["outline"], chief=d["chief"],
        other_talkers=d["other_talkers"].replace("，", ",").split(","), scheduled_at=d["scheduled_at"],
        place=d["place"], chief_reason=d.get("chief_reason") or "", delegated_by=d.get("delegated_by"),
        delegated_on=d.get("delegated_on")), "谈话方案已保存。"),
    "notify_talk": Action("notify_talk", f.NotifyTalkForm, lambda c, by, t, d: cs.notify_talk(
        case=c, by=by, today=t, sent_on=d["sent_on"]), "已记录谈话通知。"),
    "hold_talk": Action("hold_talk", f.HoldTalkForm, lambda c, by, t, d: cs.hold_talk(
        case=c, by=by, today=t, held_on=d.get("held_on"), record=d.get("record", ""), signed_on=d["signed_on"]),
        "已记录谈话。"),
    "write_register": Action("write_register", f.RegisterForm, lambda c, by, t, d: cs.write_register(
        case=c, by=by, today=t, content=d["content"]), "预警工作登记表已保存。"),
    "approve_register": Action("approve_register", f.EmptyForm, lambda c, by, t, d: cs.approve_register(
        case=c, by=by, today=t), "整改要求已批准。", "批准整改要求"),
    "issue_letter": Action("issue_letter", f.LetterForm, lambda c, by, t, d: cs.issue_letter(
        case=c, by=by, today=t, kind=d["kind"], issued_on=d["issued_on"], content=d["content"]), "已记录发出文书。"),
    "record_receipt": Action("record_receipt", f.ReceiptForm, lambda c, by, t, d: cs.record_receipt(
        case=c, by=by, today=t, received_on=d["received_on"]), "已记录送达，期限开始计算。"),
    "record_limit": Action("record_limit", f.LimitForm, lambda c, by, t, d: cs.record_limit(
        case=c, by=by, today=t, key=d["key"], done_on=d["done_on"], note=d.get("note", "")), "已记录。"),
    "sign_off": Action("sign_off", f.SignOffForm, lambda c, by, t, d: cs.sign_off(
        case=c, by=by, today=t, signer_name=d["signer_name"], signed_on=d["signed_on"]), "已记录签署。", "记录签署"),
    "new_round": Action("new_round", f.NewRoundForm, lambda c, by, t, d: cs.new_round(
        case=c, by=by, today=t, started_on=d["started_on"], reason=d["reason"]), "已开始再次整改，新的期限开始计算。",
        "开始再次整改"),
    "again": Action("again", f.AgainForm, lambda c, by, t, d: cs.again(
        case=c, by=by, today=t, decided_on=d["decided_on"], reason=d["reason"]), "已决定再次函询，请在期限内发出文书。",
        "决定再次函询"),
    "send_back": Action("send_back", f.SendBackForm, lambda c, by, t, d: cs.send_back(
        case=c, by=by, today=t, sent_back_on=d["sent_back_on"], reason=d["reason"]), "已退回，重新说明的期限开始计算。",
        "退回重新说明"),
    "record_response": Action("record_response", f.ResponseForm, lambda c, by, t, d: cs.record_response(
        case=c, by=by, today=t, received_on=d["received_on"], content=d["content"]), "已记录答复或整改报告。"),
    "request_extension": Action("request_extension", f.ExtensionRequestForm, lambda c, by, t, d: cs.request_extension(
        case=c, by=by, today=t, reason=d["reason"], requested_until=d["requested_until"]), "延期申请已提交审批。"),
    "decide_extension": Action("decide_extension", f.ExtensionDecisionForm, lambda c, by, t, d: cs.decide_extension(
        case=c, by=by, today=t, approve=d["approve"], note=d["note"]), "已审批延期申请。"),
    "revisit": Action("revisit", f.RevisitForm, lambda c, by, t, d: cs.record_revisit(
        case=c, by=by, today=t, methods=d["methods"], other_method=d.get("other_method", ""), done_on=d["done_on"],
        findings=d["findings"], meets_requirement=d["meets_requirement"]), "已记录回访。"),
    "notify": Action("notify", f.NoticeForm, lambda c, by, t, d: cs.send_notice(
        case=c, by=by, today=t, recipient=d["recipient"], sent_on=d["sent_on"], content=d["content"]), "已记录通报。"),
    "lift": Action("lift", f.LiftForm, lambda c, by, t, d: cs.lift(case=c, by=by, today=t, basis=d["basis"]),
                   "已解除预警。", "解除预警"),
    "escalate": Action("escalate", f.EscalateForm, lambda c, by, t, d: cs.escalate(
        case=c, by=by, today=t, kind=d["kind"], basis=d["basis"], facts=d["facts"]), "已升级处理。", "升级处理"),
}

DECIDING = {"refer", "approve", "reject", "approve_register", "decide_extension", "lift", "escalate", "new_round",
            "again"}


def _decider_roles(case: WarningCase, name: str) -> list[str]:
    policy = case_policy(case).rules
    rules = measure_rules(case)
    if name in ("approve", "reject"):
        return cs.approvers(case)[0]
    if name == "refer":
        return ["secretary"] if is_county_level(case) and rules.standing_committee != "never" else []
    if name == "approve_register":
        return deciders(case, policy.register_.approvers)
    if name == "decide_extension":
        return deciders(case, rules.extension.approvers) if rules.extension else []
    if name in ("lift", "new_round", "again"):
        return deciders(case, policy.lifting.approvers)
    if name == "escalate":
        return deciders(case, list(dict.fromkeys([*policy.lifting.approvers, *rules.approvers])))
    return []


def available(case: WarningCase, user: Any, today: date) -> list[str]:
    """The actions whose form this user should see now: allowed in this state by the transition table,
    relevant under the case's policy, and held by the user's role over this case."""
    if recusal_reason(user, case.target):
        return []  # 回避: a user who declared a relation to the target sees no forms at all
    manage = access.can(user, "case.manage", case)
    if case.status in CLOSED:
        # a lifted inquiry takes a renewed complaint (第二十八条); an ended correction is still reported to
        # the chief (第三十一条); nothing else happens to a closed case
        names = _renewal(case, user, today)
        if manage and not case.archived_on and cs.outcome_report_pending(case):
            names.append("report_outcome")
        return names
    rules = measure_rules(case)
    further = cs.further_letter(case)
    names = []
    for name in workflow.allowed(case.status):
        if name in ("plan_talk", "notify_talk", "hold_talk") and "talk" not in rules.deliveries:
            continue  # a measure by letter only (函询)
        if name == "issue_letter" and not rules.letter_forms:
            continue  # a talk-only measure (诫勉谈话)
        if name == "hold_talk" and not case.talks.all():
            continue
        if name in ("plan_talk", "notify_talk", "hold_talk") and further is not None:
            continue  # a further letter is decided (``again``): the case waits for that letter, not a talk
        if name == "notify_talk" and not case.talks.all():
            continue
        if name == "report_chief" and (not rules.report_to_party_chief
                                       or case.chief_report(ChiefReport.Kind.IMPLEMENTATION)):
            continue
        register = next(iter(case.registers.all()), None)
        if name == "approve_register" and (not rules.requirements_approval or register is None
                                           or register.approved_on):
            continue
        if name == "write_register" and ((register and register.approved_on)
                                         or (not rules.requirements_approval and case.status == "approved")):
            continue
        if name == "sign_off" and cs.unsigned(case) is None:
            continue
        if name == "record_response" and rules.signoff and cs.unsigned(case) is not None:
            continue
        if name == "new_round" and cs.new_round_refusal(case):
            continue
        if name == "again" and cs.again_refusal(case):
            continue
        if name == "send_back" and (rules.redo is None or sum(
                1 for r in case.responses.all() if r.sent_back_on) >= rules.redo.max):
            continue
        if name == "record_limit" and not any(x.done_on is None for x in case.caselimits.all()):
            continue
        if name == "issue_letter" and case.letters.all() and further is None:
            continue
        if name in ("request_extension", "decide_extension") and not rules.extension:
            continue
        if name == "decide_extension" and not any(x.outcome == Extension.Outcome.PENDING for x in case.extensions.all()):
            continue
        if name == "notify" and not cs.allowed_recipients(case):
            continue
        if name == "refer" and (case.referred_to_committee or cs.current_step(case) > 1):
            continue
        if name == "approve" and awaits_verification(case):
            continue  # 审定 only after 了解、初核或调查 (第十六条): the approver is shown that it waits for it
        if name in DECIDING or name in ("approve", "reject"):
            roles = _decider_roles(case, name)
            if roles and access.has_role_over(user, roles, case):
                names.append(name)
        elif manage:
            names.append(name)
    return names


def _renewal(case: WarningCase, user: Any, today: date) -> list[str]:
    """A lifted inquiry, not archived and not yet led on: a renewed complaint may be verified, and once it
    is found true, escalated to admonition or correction (第二十八条). Every other closed case: nothing."""
    if case.status not in workflow.RENEWABLE or not measure_rules(case).renewable or case.escalation or case.archived_on:
        return []
    names = ["verify"] if access.can(user, "case.manage", case) else []
    roles = _decider_roles(case, "escalate")
    if access.has_role_over(user, roles, case) and any(
            not cs.escalation_blockers(case, kind, today) for kind in cs.escalation_kinds(case)):
        names.append("escalate")
    return names
