"""Reading cases: lists, the case file with its timeline and next step, restrictions, notices.
Every query starts from :func:`yujing.orgs.access.restrict`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from yujing.cadres.models import Cadre
from yujing.core.dates import cn_date, cn_datetime, office_day
from yujing.orgs import access
from yujing.policy import words
from yujing.sorting import Sorting

from . import measures, workflow
from .models import CLOSED, ChiefReport, Extension, Minutes, Notice, Status, Verification, WarningCase
from .services import _common as common
from .services import rounds as cs_rounds
from .services.again import again_label, again_refusal, further_letter, letters_decided
from .services.ending import escalation_blockers, escalation_kinds, lift_blockers
from .services.implementation import chief_roles
from .services.outcome import outcome_report_due, outcome_report_pending
from .services.proposal import approvers, current_step, step_label

STEP_RELATIONS = ("verifications", "decisions", "chiefreports", "talks", "letters", "registers", "responses",
                  "extensions", "revisits", "notices", "endings")


def visible_cases(user: Any) -> QuerySet[WarningCase]:
    return access.restrict(WarningCase.objects.all(), user, "case.view", "case.view_reported", "case.view_deciding")


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    measure: str = ""
    status: str = ""
    unit_id: int | None = None
    target_id: int | None = None
    proposed_from: date | None = None
    proposed_to: date | None = None
    open_only: bool = False


# the ledger's sortable columns (?sort=key or -key); the default is the newest proposal first
CASE_SORT = Sorting(WarningCase, default=("-proposed_on", "-id"), shown_as="-proposed", columns={
    "number": ("number",), "target": ("target__name",), "measure": ("measure",), "delivery": ("delivery",),
    "unit": ("unit_in_charge__path",), "status": ("status",), "proposed": ("proposed_on",),
    "approved": ("approved_on",), "implementation_due": ("implementation_due",), "response_due": ("response_due",),
    "closed": ("closed_on",),
})


def case_list(*, user: Any, filters: CaseFilters | None = None, sort: str = "") -> QuerySet[WarningCase]:
    """The ledger's rows; ``sort`` is a key of :data:`CASE_SORT` (anything else: the default order)."""
    f = filters or CaseFilters()
    qs = visible_cases(user)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(target__name__contains=f.q))
    if f.measure:
        qs = qs.filter(measure=f.measure)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unit_id:
        qs = qs.filter(unit_in_charge_id=f.unit_id)
    if f.target_id:
        qs = qs.filter(target_id=f.target_id)
    if f.proposed_from:
        qs = qs.filter(proposed_on__gte=f.proposed_from)
    if f.proposed_to:
        qs = qs.filter(proposed_on__lte=f.proposed_to)
    if f.open_only:
        qs = qs.exclude(status__in=CLOSED)
    return qs.select_related("target__unit", "unit_in_charge").order_by(*CASE_SORT.order_by(sort))


def case_get(*, user: Any, pk: int) -> WarningCase:
    qs = WarningCase.objects.select_related(
        "target__unit", "target__managed_by", "unit_in_charge", "policy_version", "proposed_by", "escalated_from",
    ).prefetch_related(
        "clues", "verifications__recorded_by", "decisions__recorded_by", "decisions__minutes", "chiefreports__chief",
        "talks__chief", "talks__delegated_by", "letters", "registers__approved_by", "responses__sent_back_by", "responses__signoffs", "extensions__decided_by", "revisits", "caselimits", "caserounds", "letterrounds__recorded_by",
        "notices__recipient_unit", "endings__new_case", "escalations", "escalated_from__verifications__recorded_by",
    )
    return access.get_visible_or_404(qs, user, pk=pk)


def minutes_get(*, user: Any, pk: int) -> Minutes:
    """The minutes of a committee decision, for someone who may see its case (jurisdiction and 密级)."""
    qs = Minutes.objects.select_related("decision__case__unit_in_charge")
    return access.get_object_or_deny(qs, user, "case.view", pk=pk)


# the kinds of step on the case page's timeline: its marker (one character, so the kind does not rest on colour) and name
ENTRY_KINDS = {
    "proposal": ("议", "预警建议"), "verification": ("查", "核查"), "approval": ("批", "审批"), "report": ("报", "报告"),
    "talk": ("谈", "谈话"), "register": ("登", "登记"), "letter": ("函", "文书"), "deadline": ("限", "期限"),
    "response": ("答", "答复整改"), "revisit": ("访", "回访"), "notice": ("通", "通报"), "ending": ("结", "办结"),
}


@dataclass(frozen=True)
class Entry:
    on: date
    title: str
    detail: str
    article: str = ""
    late: bool = False
    kind: str = ""  # a key of ENTRY_KINDS

    @property
    def marker(self) -> str:
        return ENTRY_KINDS.get(self.kind, ("·", ""))[0]

    @property
    def kind_label(self) -> str:
        return ENTRY_KINDS.get(self.kind, ("", "其他"))[1]


def _then(text: str, more: str) -> str:
    """``text`` closed as a sentence, then ``more`` (no "。，" where two pieces meet)."""
    text = text.rstrip()
    if text and more and text[-1] not in "。！？；.!?;":
        text += "。"
    return text + more


def _verification_detail(v: Verification) -> str:
    filing = f"认定已构成立案条件（{v.recorded_by}记录）。" if v.meets_filing else ""
    return f"结论：{v.get_conclusion_display()}。{filing}{v.findings}"


def timeline(case: WarningCase) -> list[Entry]:
    """Every step of the case file in date order (一案一例, 第二十六条); uses prefetched rows only."""
    case_words = words.of_case(case)
    policy = common.case_policy(case).rules
    rules = common.measure_rules(case)
    e: list[Entry] = [Entry(case.proposed_on, "提出预警建议", f"{case.get_measure_display()}：{case.facts}",
                            case_words.cite("proposal"), kind="proposal")]
    for v in case.verifications.all():
        e.append(Entry(v.done_on, f"{v.get_method_display()}", _verification_detail(v), rules.verification_article,
                       kind="verification"))
    if case.escalated_from:  # the verification that led here counts for this case too (第十六条, 第二十八条)
        for v in case.escalated_from.verifications.all():
            e.append(Entry(v.done_on, f"{v.get_method_display()}（记录于 {case.escalated_from.number}）",
                           _verification_detail(v), rules.verification_article, kind="verification"))
    for d in case.decisions.all():
        who = (f"{case_words.body('committee')}研究确定" + (f"（{d.meeting}）" if d.meeting else "") if d.by_committee
               else case_words.role(d.role))
        minutes = f"\n会议纪要：{d.minutes_file.original_name}" if d.minutes_file else ""
        chain = step_label(case, d.step)
        e.append(Entry(d.decided_on, f"审批{f'（{chain}）' if chain else ''}：{d.get_outcome_display()}", f"{who}，{d.recorded_by}。{d.opinion}{minutes}",
                       rules.approval_article, kind="approval"))
    for r in case.chiefreports.all():
        seen = "，已阅知" if r.seen_at else ""
        if r.kind == ChiefReport.Kind.OUTCOME:
            due = outcome_report_due(case)
            e.append(Entry(r.reported_on, f"向{case_words.body('unit_chief')}汇报结果", f"{r.chief or ''}{seen}。{r.note}",
                           policy.outcome_report.article, late=bool(due and r.reported_on > due), kind="report"))
        else:
            e.append(Entry(r.reported_on, f"报告{case_words.body('chief')}", f"{r.chief or ''}{seen}。{r.note}",
                           case_words.cite("chief_report"), kind="report"))
    for t in case.talks.all():
        talkers = "、".join([str(t.chief), *t.talkers])
        if t.delegated:
            # 委托 (第二十条) is a step of its own: who delegated, to whom, when
            e.append(Entry(t.delegated_on, "委托所在单位主要负责人实施谈话",
                           f"{t.delegated_by.title}{t.delegated_by}委托{t.chief}（{t.chief.title}）实施预警谈话",
                           case_words.cite("delegation"), kind="talk"))
        if t.notice_sent_on:
            e.append(Entry(t.notice_sent_on, "书面通知谈话",
                           f"{cn_datetime(t.scheduled_at)}，{t.place}；谈话人：{talkers}（主谈：{t.chief}）" + (f"；{t.basis}" if t.basis else ""), policy.talk.article,
                           kind="talk"))
        if t.held_on:
            signed = f"{cn_date(t.signed_on)}对象核实签字。" if t.signed_on else "谈话记录尚待对象核实签字。"
            e.append(Entry(t.held_on, "实施预警谈话", _then(t.record[:120], signed), policy.talk.article,
                           late=bool(case.implementation_due and t.held_on > case.implementation_due), kind="talk"))
    for r in case.registers.all():
        approved = f"{r.approved_by}于{cn_date(r.approved_on)}批准。" if r.approved_on else ""
        e.append(Entry(r.approved_on or office_day(r.recorded_at), "预警工作登记表", _then(r.content, approved), policy.register_.article,
                       kind="register"))
    further = list(case.letterrounds.all())  # letter n + 1 is due on the n-th further letter's limit (``again``)
    for n, letter in enumerate(case.letters.all()):
        limit = further[n - 1].due if 0 < n <= len(further) else case.implementation_due
        late = case.delivery == "letter" and bool(limit and letter.issued_on > limit)
        e.append(Entry(letter.issued_on, f"发出{letter.get_kind_display()}", letter.content[:120], case_words.cite("deliveries"),
                       late=late, kind="letter"))
        if letter.received_on:
            e.append(Entry(letter.received_on, "送达", f"{letter.get_kind_display()}送达预警对象", case_words.cite("receipt"),
                           kind="letter"))
    extension = rules.extension.article if rules.extension else ""
    for x in case.extensions.all():
        e.append(Entry(x.requested_on, "申请延期整改", f"申请延至{cn_date(x.requested_until)}：{x.reason}", extension,
                       kind="deadline"))
        if x.decided_on:
            e.append(Entry(x.decided_on, f"延期整改：{x.get_outcome_display()}", f"{x.decided_by}。{x.decision_note}",
                           extension, kind="deadline"))
    redo = common.measure_rules(case).redo
    rules_signoff = common.measure_rules(case).signoff
    for r in case.responses.all():
        e.append(Entry(r.received_on, "收到书面答复或整改报告", r.content[:120], case_words.cite("response"), late=r.late,
                       kind="response"))
        for s in r.signoffs.all():
            label = rules_signoff.levels[s.level - 1].label if rules_signoff and s.level <= len(rules_signoff.levels) else ""
            e.append(Entry(s.signed_on, f"答复签署（{label or f'第{s.level}级'}）", s.signer_name,
                           rules_signoff.article if rules_signoff else "", kind="response"))
        if r.sent_back_on:
            e.append(Entry(r.sent_back_on, "退回重新说明", f"{r.sent_back_by}：{r.sent_back_reason}",
                           redo.article if redo else "", kind="response"))
    for v in case.revisits.all():
        e.append(Entry(v.done_on, f"回访（{v.methods_display}）",
                       f"{'达到' if v.meets_requirement else '未达到'}整改要求。{v.findings}", policy.revisit.article,
                       kind="revisit"))
    for r in case.caserounds.all():
        e.append(Entry(r.started_on, f"开始第{r.number}轮整改", f"{r.reason}（期限{cn_date(r.due)}）",
                       rules.rounds.article if rules.rounds else "", kind="deadline"))
    for r in case.letterrounds.all():
        e.append(Entry(r.decided_on, f"{again_label(case)}（第{r.number}次发函）",
                       f"{r.recorded_by}决定：{r.reason}（发函期限{cn_date(r.due)}）",
                       rules.again.article if rules.again else "", kind="letter"))
    for x in case.caselimits.all():
        rule = rules.limit(x.key)
        article = rule.article if rule else ""
        when = f"不早于{cn_date(x.due)}" if x.not_before else f"期限{cn_date(x.due)}"
        e.append(Entry(x.start, f"{x.label}开始计算", when, article, kind="deadline"))
        if x.done_on:
            e.append(Entry(x.done_on, x.label, x.note[:120], article, late=not x.not_before and x.done_on > x.due,
                           kind="deadline"))
    for n in case.notices.all():
        e.append(Entry(n.sent_on, f"书面通报{n.get_recipient_display()}", f"{n.recipient_unit.name}", case_words.cite("notices"), kind="notice"))
    for end in case.endings.all():
        detail = end.basis + (f"（新预警事项 {end.new_case.number}）" if end.new_case else "")
        e.append(Entry(end.decided_on, end.get_kind_display(), detail, case_words.cite("ending"), kind="ending"))
    return sorted(e, key=lambda entry: entry.on)


@dataclass(frozen=True)
class NextStep:
    action: str
    label: str
    who: str
    due: date | None = None
    note: str = ""
    provisional: bool = False  # the due date is 暂定 (its year's holiday notice is not entered yet)


def _names(case: WarningCase, roles: list[str]) -> str:
    """What the case's policy calls ``roles``, joined."""
    return words.of_case(case).roles(roles)


def delivery_to_choose(case: WarningCase) -> bool:
    """An approved case whose measure may be carried out by a talk or by a letter (第二十二至二十四条), neither
    begun yet: its next steps are alternatives."""
    return case.status == Status.APPROVED and not case.delivery and len(common.measure_rules(case).deliveries) > 1


def next_steps(case: WarningCase) -> list[NextStep]:
    """What must happen next, who must do it and by when — from the transition table and the policy; the
    measure's further limits (``limits``) still open come last."""
    steps = _next_steps(case)
    if case.status in CLOSED:
        return steps
    office = common.office(case)
    for x in case.caselimits.all():
        if x.done_on is None:
            steps.append(NextStep("record_limit", x.label, office, None if x.not_before else x.due,
                                  f"不早于{cn_date(x.due)}" if x.not_before else "", provisional=x.provisional))
    return steps


def _next_steps(case: WarningCase) -> list[NextStep]:
    office = common.office(case)
    case_words = words.of_case(case)
    policy = common.case_policy(case).rules
    if case.status in CLOSED:
        if outcome_report_pending(case):  # 责令纠错情况应及时…向党委(党组)主要领导汇报 (第三十一条)
            return [NextStep("report_outcome", f"向{case_words.body('unit_chief')}汇报结果", office,
                             outcome_report_due(case),
                             "书面汇报解除预警或升级处理的结果" + common.bracketed(policy.outcome_report.article))]
        return []
    rules = common.measure_rules(case)
    steps: list[NextStep] = []
    if case.status == Status.PROPOSED:
        waiting = common.awaits_verification(case)
        if waiting:
            articles = "、".join(filter(None, [rules.verification_article, case_words.cite("verifiable_clue")]))
            steps.append(NextStep("verify", "了解、初核或调查", office, note="审批前须核查" + common.bracketed(articles)))
        roles, committee_only = approvers(case)
        chain = step_label(case, current_step(case))
        steps.append(NextStep("approve", ("审批（待核查）" if waiting else "审批") + (f"（{chain}）" if chain else ""),
                              _names(case, roles) + ("（常委会研究确定）" if committee_only else ""),
                              note=f"待核查：{common.verification_refusal(rules, common.case_policy(case))}" if waiting else ""))
        return steps
    if case.status == Status.APPROVED and (further := further_letter(case)) is not None:
        # a further letter decided (``again``): the new letter is due on its own limit from the decision
        period = rules.again.period if rules.again and rules.again.period else policy.implementation.period
        return [NextStep("issue_letter", f"{again_label(case)}：发出第{further.number}次函", office, further.due,
                         f"决定之日起{period.label}内发出" + common.bracketed(rules.again.article if rules.again else ""),
                         provisional=further.provisional)]
    if case.status == Status.APPROVED:
        if rules.report_to_party_chief and not case.chief_report(ChiefReport.Kind.IMPLEMENTATION):
            steps.append(NextStep("report_chief", f"报告{case_words.body('chief')}", office, case.implementation_due,
                                  "实施前报告" + case_words.cited("chief_report")))
        if rules.requirements_approval and "letter" in rules.deliveries and not case.talks.all():
            register = next(iter(case.registers.all()), None)
            if register is None:
                steps.append(NextStep("write_register", "书面预警：先填写预警工作登记表（整改要求）", office, case.implementation_due))
            elif register.approved_on is None:
                steps.append(NextStep("approve_register", "批准整改要求",
                                      _names(case, common.deciders(case, policy.register_.approvers)), case.implementation_due))
        talk = next(iter(case.talks.all()), None)
        if "talk" not in rules.deliveries:  # a measure by letter only (函询): no talk is offered
            pass
        elif talk is None:
            steps.append(NextStep("plan_talk", "谈话预警：制定谈话方案", f"{office}；主谈人：{_names(case, chief_roles(case))}",
                                  case.implementation_due))
        elif talk is not None and talk.notice_sent_on is None:
            steps.append(NextStep("notify_talk", "书面通知谈话对象", office, case.implementation_due))
        elif talk is not None:
            steps.append(NextStep("hold_talk", "实施谈话并由对象核实签字", str(talk.chief), case.implementation_due))
        if "letter" in rules.deliveries:  # a talk-only measure (诫勉谈话) sends no letter
            steps.append(NextStep("issue_letter", "书面预警：发出预警文书", office, case.implementation_due,
                                  f"批准之日起{policy.implementation.period.label}内组织实施"
                                  + common.bracketed(policy.implementation.article)))
        return _flag(steps, case.implementation_provisional)
    if case.status == Status.IMPLEMENTED:
        letter = next(iter(case.letters.all()), None)
        if letter is None:
            register = next(iter(case.registers.all()), None)
            if register is None:
                steps.append(NextStep("write_register", "填写预警工作登记表（整改要求）", office))
            elif register.approved_on is None:
                steps.append(NextStep("approve_register", "批准整改要求",
                                      _names(case, common.deciders(case, policy.register_.approvers))))
            else:
                steps.append(NextStep("issue_letter", f"发出{'、'.join(measures.letter_labels(case, rules.letter_forms))}", office))
        else:
            steps.append(NextStep("record_receipt", "记录送达日期", office, note="答复或整改期限自送达之日起算"))
        return steps
    if case.status == Status.AWAITING_RESPONSE:
        extended = any(x.outcome == Extension.Outcome.APPROVED for x in case.extensions.all())
        redone = rules.redo is not None and any(r.sent_back_on for r in case.responses.all())
        pending = rules.signoff and next((r for r in reversed(case.responses.all())
                                          if not r.sent_back_on and len(r.signoffs.all()) < len(rules.signoff.levels)),
                                         None)
        if pending:
            level = rules.signoff.levels[len(pending.signoffs.all())]
            steps.append(NextStep("sign_off", f"答复签署：{level.label}", level.label, None,
                                  f"签署后答复才算收到（{rules.signoff.article}）"))
        elif redone:
            steps.append(NextStep("record_response", f"收到{rules.redo.label}", "预警对象", case.response_due,
                                  f"退回后{rules.redo.period.label}内（{rules.redo.article}）"))
        else:
            steps.append(NextStep("record_response", f"收到{rules.response.label}", "预警对象", case.response_due,
                                  "经批准延期" + common.bracketed(rules.extension.article if rules.extension else "")
                                  if extended
                                  else f"{rules.response.period.label}内（{rules.response.article}）"))
        pending = [x for x in case.extensions.all() if x.outcome == Extension.Outcome.PENDING]
        if pending:
            steps.append(NextStep("decide_extension", "审批延期整改",
                                  _names(case, common.deciders(case, rules.extension.approvers)), case.response_due))
        for recipient in common_required(case):
            steps.append(NextStep("notify", f"书面通报{Notice.Recipient(recipient).label}", office))
        return _flag(steps, case.response_provisional)
    if case.status == Status.RESPONDED:
        for recipient in common_required(case):
            steps.append(NextStep("notify", f"书面通报{Notice.Recipient(recipient).label}", office))
        if rules.revisit_required and not any(v.meets_requirement for v in case.revisits.all()):
            steps.append(NextStep("revisit", "回访", office,
                                  note="听取汇报、查阅资料或召开座谈会" + case_words.cited("revisit_means")))
        if rules.rounds and not cs_rounds.new_round_refusal(case):
            steps.append(NextStep("new_round", f"{rules.rounds.label}（第{cs_rounds.current_round(case) + 1}轮）",
                                  _names(case, common.deciders(case, policy.lifting.approvers)), note=rules.rounds.article))
        if rules.again and not again_refusal(case):
            steps.append(NextStep("again", f"{rules.again.label}（第{letters_decided(case) + 1}次发函）",
                                  _names(case, common.deciders(case, policy.lifting.approvers)),
                                  note=rules.again.article))
        register = next(iter(case.registers.all()), None)
        if register is None:
            steps.append(NextStep("write_register", "填写预警工作登记表（承诺情况）", office))
        steps.append(NextStep("lift", "解除预警或升级处理", _names(case, common.deciders(case, policy.lifting.approvers))))
    return steps


def _flag(steps: list[NextStep], provisional: bool) -> list[NextStep]:
    """Every step due on the case's stored limit carries that limit's 暂定 mark."""
    return [replace(s, provisional=provisional) if s.due else s for s in steps]


def common_required(case: WarningCase) -> list[str]:
    from .services.response import required_recipients

    sent = {n.recipient for n in case.notices.all()}
    return [r for r in required_recipients(case) if r not in sent]


def blockers(case: WarningCase, today: date) -> dict[str, list[str]]:
    """Why lifting or each escalation cannot be done yet (shown beside those forms)."""
    result: dict[str, list[str]] = {"lift": lift_blockers(case) if case.status == Status.RESPONDED else []}
    if case.status in workflow.TRANSITIONS["escalate"].sources:
        for kind in escalation_kinds(case):
            result[f"escalate:{kind}"] = escalation_blockers(case, kind, today)
    return result


# --- restrictions (第三十一条) ---------------------------------------------------------------------


def restrictions(*, cadre_ids: list[int], today: date) -> dict[int, list[Any]]:
    """Who is restricted today: one :class:`~yujing.cases.restrictions.Restriction` per rule of the case's
    measure in force (Shou: admonition and correction targets 不得评选评优、暂缓提拔使用 from receipt of the
    notice until the case ends; after a missed deadline, until the escalation is recorded). Derived from the
    data for any day — never a stored flag."""
    from .restrictions import in_force

    return in_force(cadre_ids=cadre_ids, today=today)


def restriction_lookup(*, user: Any, cadre_ids: list[int], today: date) -> dict[int, list[Any]]:
    """Restrictions of cadres the user may look up (organisation and personnel departments, 第三十一条)."""
    from .restrictions import for_reader

    allowed = access.restrict(Cadre.objects.filter(pk__in=cadre_ids), user, "restriction.query")
    return for_reader(restrictions(cadre_ids=list(allowed.values_list("pk", flat=True)), today=today), user)


# --- what bodies receive ------------------------------------------------------------------------


def notices_for(*, user: Any) -> QuerySet[Notice]:
    """Notices addressed to a unit the user holds a role in (第三十一条: 通报 to the departments and the unit), of
    cases whose 密级 the user's roles in that unit are cleared for (a notice of a case above it is not shown)."""
    from django.db.models import Q

    scope = Q(pk__in=[])
    for unit_id in sorted({g.unit_id for g in access.grants(user)}):
        scope |= Q(recipient_unit_id=unit_id, case__secrecy__in=sorted(access.cleared_for(user, unit_id=unit_id)))
    return Notice.objects.filter(scope).select_related(
        "case__target__unit", "recipient_unit").order_by("-sent_on", "-id")


def chief_reports_for(*, user: Any) -> QuerySet[ChiefReport]:
    cases = access.restrict(WarningCase.objects.all(), user, "case.view_reported")
    return ChiefReport.objects.filter(case__in=cases).select_related("case__target__unit").order_by("-reported_on")


def integrity_cases(*, user: Any, cadre: Cadre) -> list[WarningCase]:
    """Every case about the cadre that the user may see, with its result (个人廉政档案)."""
    return list(visible_cases(user).filter(target=cadre).select_related("unit_in_charge").order_by("proposed_on", "id"))


__all__ = ["workflow"]
