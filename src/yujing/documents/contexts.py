"""What each form is filled with, taken from the case data — nothing is typed twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from yujing.core.dates import cn_date, cn_datetime, cn_month, office_day
from yujing.policy import words
from yujing.policy.schema import BUILTIN_LETTERS

from .registry import FORMS, Form, article, case_letter_form, letter_article, section_article

SIGN_LINE = "____________"
DATE_BLANK = "年    月    日"


cn = cn_date


def split(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class Target:
    """One document that can be generated: a form for a subject (the case, a talk, an extension …)."""

    form: Form
    subject: Any
    case: Any = None
    clue: Any = None
    letter: Any = None  # the letter a letter form is generated for
    key: str = ""  # the subject key when it is not ``<scope>:<pk>`` (a further letter: ``letter:<pk>``)

    @property
    def subject_key(self) -> str:
        return self.key or f"{self.form.scope}:{self.subject.pk}"

    @property
    def label(self) -> str:
        suffix = {
            # the talk's day in Shanghai (scheduled_at is stored in UTC: a 07:30 talk is the day before there)
            "talk": lambda s: f"（{cn_date(office_day(s.scheduled_at))}谈话）",
            "extension": lambda s: f"（申请延至{cn_date(s.requested_until)}）",
            "notice": lambda s: f"（致{s.recipient_unit.display_name}）",
            "chief_report": lambda s: f"（{cn_date(s.reported_on)}汇报）",
            "feedback": lambda s: f"（致{s.to_unit.display_name if s.to_unit else '来源'}）",
            "revisit": lambda s: f"（{cn_date(s.done_on)}回访）",
        }.get(self.form.scope)
        measure = self.case.get_measure_display() if self.case is not None else "预警"
        title = (self.form.title.replace("{target_name}", "××").replace("{measure_label}", measure)
                 .replace("{measure}", "预警"))
        if self.key and self.letter is not None:  # a further letter of the same kind: which one
            return f"{title}（{cn_date(self.letter.issued_on)}发出）"
        return title + (suffix(self.subject) if suffix else "")

    @property
    def article(self) -> str:
        """The articles the form rests on, from the case's policy version (the policy in force for a clue)."""
        return article(self.form, self.case)

    @property
    def documents_article(self) -> str:
        """The article on standard forms (``[citations] documents``), from the same policy."""
        return (words.of_case(self.case) if self.case is not None else words.in_force()).cite("documents")


def targets_for_case(case) -> list[Target]:
    """Every form this case can produce now, in the order of the workflow."""
    from yujing.cases.models import Extension

    result = [Target(FORMS["target_approval"], case, case=case)]
    result += [Target(FORMS["talk_notice"], t, case=case) for t in case.talks.all() if t.notice_sent_on]
    result += [Target(FORMS["talk_record"], t, case=case) for t in case.talks.all() if t.held_on]
    result += [Target(FORMS["warning_register"], case, case=case) for _ in case.registers.all()[:1]]
    # one document per letter: the first letter of each kind is the case's (subject case:<id>, as before); a
    # further letter of the same kind (``again``, 再次函询) is a document of its own, with its own 文号
    seen: set[str] = set()
    for letter in case.letters.all():
        first = letter.kind not in seen
        seen.add(letter.kind)
        result.append(Target(case_letter_form(case, letter.kind), case, case=case, letter=letter,
                             key="" if first else f"letter:{letter.pk}"))
    for extension in case.extensions.all():
        result.append(Target(FORMS["extension_approval"], extension, case=case))
        if extension.outcome == Extension.Outcome.APPROVED:
            result.append(Target(FORMS["extension_notice"], extension, case=case))
    result += [Target(FORMS["revisit_register"], r, case=case) for r in case.revisits.all()]
    result += [Target(FORMS["notice"], n, case=case) for n in case.notices.all()]
    result += [Target(FORMS["outcome_report"], r, case=case) for r in case.chiefreports.all() if r.kind == "outcome"]
    return result


def targets_for_clue(clue) -> list[Target]:
    result = []
    if getattr(clue, "transfer", None) is not None:
        result.append(Target(FORMS["clue_transfer"], clue, clue=clue))
    result += [Target(FORMS["feedback_letter"], f, clue=clue) for f in clue.feedback.all() if f.to_unit_id]
    return result


def _joined_titles(titles: list[str]) -> str:
    """Titles joined by 或, each after the first without the words it shares at the start with the first
    (县纪委分管副书记或书记)."""
    out = titles[:1]
    for title in titles[1:]:
        shared = 0
        while shared < min(len(title), len(titles[0])) - 1 and title[shared] == titles[0][shared]:
            shared += 1
        out.append(title[shared:])
    return "或".join(out)


def _cite_prefix(article: str) -> str:
    """A note's opening "第二十五条：", or nothing when the policy states no article."""
    return f"{article}：" if article else ""


def _decider_rules(case, measure) -> Any:
    """Who decides ``measure`` for this case's cadre: its approvers and ``then``, or — for a county case whose
    cadre is managed by a kind of unit the measure names in ``by_manager`` (干部管理权限) — that rule."""
    from yujing.cases.services._common import is_county_level

    if not measure.by_manager or not is_county_level(case):
        return measure
    kind = case.target.managed_by.kind if case.target.managed_by_id else ""
    return measure.by_manager.get(kind, measure)


def _steps(case_words: words.Words, rules) -> list[str]:
    """The titles of each step of an approval (the step's roles joined by 或), in order; empty steps left out."""
    steps = [_joined_titles([case_words.role(r) for r in roles]) for roles in (rules.approvers, *(s.roles for s in rules.then))]
    return [step for step in steps if step]


def _in_turn(titles: list[str]) -> str:
    """Who approved, as the letters say "经……批准": one title (县纪委书记); two steps "A审核，B"; more
    "A、B逐级审核，C" — the last is the one who approves."""
    if len(titles) <= 1:
        return "".join(titles)
    return "、".join(titles[:-1]) + ("审核" if len(titles) == 2 else "逐级审核") + "，" + titles[-1]


def approval_note(case) -> str:
    """The approval form's note: each measure's approval tier from the case's policy version (its approvers —
    for this cadre's managing body where the measure decides by 干部管理权限 — and the steps of a sequential
    approval, 由A、B、C逐级审批; the standing committee; the report to the chief) and the approval articles.
    Where the case also goes to the chief, the committee is named in the same clause (审批或……研究确定，
    并报……), else as a further step (审批，必要时提交……研究确定)."""
    from yujing.cases.services._common import case_policy

    policy = case_policy(case)
    case_words = words.Words(policy)
    committee = case_words.body("committee")
    clauses = []
    for measure in policy.measures.values():
        rules = _decider_rules(case, measure)
        steps = _steps(case_words, rules)
        who = "、".join(steps)
        verb = "逐级审批" if len(steps) > 1 else "审批"
        if not who and rules.standing_committee == "never":
            continue  # nobody named to approve it: the note has nothing to say
        if rules.standing_committee == "required" or not who:
            clause = f"{measure.label}由{committee}研究确定"
        elif rules.standing_committee == "optional" and measure.report_to_party_chief:
            clause = f"{measure.label}由{who}{verb}或{committee}研究确定"
        elif rules.standing_committee == "optional":
            clause = f"{measure.label}由{who}{verb}，必要时提交{committee}研究确定"
        else:
            clause = f"{measure.label}由{who}{verb}"
        if measure.report_to_party_chief:
            clause += f"，并报{case_words.body('chief')}同志"
        clauses.append(clause)
    articles = "、".join(dict.fromkeys(m.approval_article for m in policy.measures.values() if m.approval_article))
    return "注：" + "；".join(clauses) + (f"（{articles}）" if articles else "") + "。"


def _words_context(case_words: words.Words) -> dict[str, str]:
    return {"regulation": case_words.body("regulation"), "office": case_words.body("office"),
            "chief": case_words.body("chief"), "commission_leaders": case_words.body("commission_leaders")}


def _approver_desc(case) -> str:
    """Who approved the case, for "经{approver_desc}批准": the titles (from the policy's [roles], never a
    person's name) of the steps actually decided, in turn (县纪委书记; A审核，B; A、B逐级审核，C), the committee
    as 常委会研究; empty before any approval (a letter goes out only after one)."""
    case_words = words.of_case(case)
    approved = sorted((d for d in case.decisions.all() if d.outcome == "approved"), key=lambda d: (d.step, d.pk))
    return _in_turn([f"{case_words.body('committee')}研究" if d.by_committee else case_words.role(d.role)
                     for d in approved])


def _case_context(case) -> dict[str, Any]:
    from yujing.cases.services._common import case_policy, measure_rules

    target = case.target
    rules = measure_rules(case)
    register = next(iter(case.registers.all()), None)
    response = next(iter(case.responses.all()), None)
    ending = next(iter(case.endings.all()), None)
    policy = case_policy(case)
    return {
        **_words_context(words.Words(policy)),
        "register_cite": _cite_prefix(section_article(policy, "register")),
        "issuer_name": case.unit_in_charge.name,
        "issuer_short": case.unit_in_charge.display_name,
        "unit_name": case.unit_in_charge.name,
        "case_number": case.number,
        "addressee": f"{target.name}同志",
        "target_name": target.name,
        "gender": target.get_gender_display() or "—",
        "birth_month": cn_month(target.birth_month) or "—",
        "target_unit": target.unit.name,
        "target_position": target.position,
        "principal_note": "（主要负责人）" if target.is_principal else "",
        "managed_by": target.managed_by.name,
        "measure": case.get_measure_display(),
        "measure_article": rules.article,
        "delivery": case.get_delivery_display() or "—",
        "facts": case.facts,
        "response_period": rules.response.period.label if rules.answered else "",
        "approver_desc": _approver_desc(case),
        "proposed_on": cn(case.proposed_on),
        "approved_on": cn(case.approved_on) or "—",
        "implemented_on": cn(case.implemented_on) or "—",
        "response_due": cn(case.response_due) or "—",
        "clue_sources": "；".join(f"{c.number}（{c.get_channel_display()}）" for c in case.clues.all()),
        "register_content": register.content if register else "",
        "requirement_lines": split(register.content) if register else [],
        "register_approval": (f"{register.approved_by}，{cn(register.approved_on)}" if register and register.approved_on
                              else "—"),
        "response_text": (f"{cn(response.received_on)}收到；{response.content}" + ("（逾期）" if response.late else "")
                          if response else "—"),
        "outcome_text": (f"{ending.get_kind_display()}（{cn(ending.decided_on)}）：{ending.basis}" if ending
                         else case.get_status_display()),
        "sign_line": SIGN_LINE,
        "date_blank": DATE_BLANK,
        "remark": "",
    }


def build(target: Target, *, by, today: date) -> dict[str, Any]:
    """The context for ``target``'s template; missing required values stay empty (checked by the
    service, which names the field)."""
    ctx: dict[str, Any] = {"date_cn": cn(today), "sign_line": SIGN_LINE, "date_blank": DATE_BLANK,
                           "contact_person": by.get_full_name(), "contact_phone": by.phone or "—",
                           "form_article": target.article}
    if target.case is None:
        ctx.update(_words_context(words.in_force()))
    key, subject = target.form.key, target.subject
    if target.case is not None:
        ctx.update(_case_context(target.case))
    case = target.case
    if key == "target_approval":
        verifications = list(case.verifications.all())
        decisions = list(case.decisions.all())
        decision = decisions[0] if decisions else None
        report = case.chief_report("implementation")
        ctx.update(
            verification_text="\n".join(f"{v.get_method_display()}（{cn(v.done_on)}）：{v.findings} 结论：{v.get_conclusion_display()}"
                                        for v in verifications) or "（未经了解、初核或调查）",
            proposal_text=f"建议对{case.target.name}同志实施{case.get_measure_display()}。",
            decision_text="\n".join(
                (f"第{d.step}步：" if len(decisions) > 1 or d.step > 1 else "")
                + f"{d.get_outcome_display()}。{d.opinion}" + (f"（{d.meeting}研究确定）" if d.by_committee else "")
                + f" {d.recorded_by}，{cn(d.decided_on)}" for d in decisions) if decision else "",
            chief_report_text=(f"{cn(report.reported_on)}报告{report.chief or ctx['chief']}" if report else "—"),
            approval_note=approval_note(case),
        )
    elif target.form.letter is not None:
        ctx.update(_letter_context(case, target, ctx))
    elif key == "talk_notice":
        ctx.update(talk_time=cn_datetime(subject.scheduled_at), talk_place=subject.place,
                   date_cn=cn(subject.notice_sent_on))
    elif key == "talk_record":
        # a delegated talk (第二十条) or a county leader as chief talker (第二十二条) says so beside the name
        basis = f"，{subject.basis}" if subject.basis else ""
        ctx.update(talk_date=cn(subject.held_on), talk_place=subject.place, chief_talker=f"{subject.chief}{basis}",
                   talk_basis=subject.basis,
                   talkers="、".join([str(subject.chief), *subject.talkers]), recorder=str(subject.recorded_by),
                   talk_record=subject.record, record_lines=split(subject.record),
                   signed_text=cn(subject.signed_on) if subject.signed_on else DATE_BLANK)
    elif key in ("extension_approval", "extension_notice"):
        from yujing.cases.services import extension_cap
        from yujing.cases.services._common import measure_rules

        cap = extension_cap(case)
        rules = measure_rules(case)
        extension_article = rules.extension.article if rules.extension else ""
        ctx.update(extension_article=extension_article, extension_cite=_cite_prefix(extension_article),extension_reason=subject.reason, requested_on=cn(subject.requested_on),
                   requested_until=cn(subject.requested_until), previous_due=cn(subject.previous_due),
                   new_due=cn(subject.new_due), decided_on=cn(subject.decided_on),
                   decider=str(subject.decided_by or ""), cap_date=cn(cap),
                   extension_cap=measure_rules(case).extension.cap.label if measure_rules(case).extension else "",
                   decision_text=(f"{subject.get_outcome_display()}。{subject.decision_note} {subject.decided_by}，"
                                  f"{cn(subject.decided_on)}") if subject.decided_on else "",
                   date_cn=cn(subject.decided_on or today))
    elif key == "revisit_register":
        from yujing.cases.services._common import case_policy

        ending = next(iter(case.endings.all()), None)
        ctx.update(lifting_cite=_cite_prefix(section_article(case_policy(case), "lifting")), revisit_method=subject.methods_display, revisit_date=cn(subject.done_on),
                   revisit_findings=subject.findings, meets_text="达到" if subject.meets_requirement else "未达到",
                   office_opinion="建议解除预警。" if subject.meets_requirement else "未达到整改要求，建议按规定处理。",
                   lifting_text=(f"{ending.get_kind_display()}。{ending.basis} {ending.recorded_by}，{cn(ending.decided_on)}"
                                 if ending else ""))
    elif key == "notice":
        from yujing.cases.restrictions import notice_sentence

        ctx.update(addressee=subject.recipient_unit.name, recipient_name=subject.recipient_unit.name,
                   notice_content=subject.content, notice_lines=split(subject.content), date_cn=cn(subject.sent_on),
                   notice_title=FORMS["notice"].title.format(target_name=case.target.name,
                                                            measure=case.get_measure_display()),
                   restriction_sentence=notice_sentence(case))
    elif key == "outcome_report":
        # 向党委(党组)主要领导汇报 (第三十一条): to the county party chief, or the unit's party committee leader
        from yujing.cases.services._common import case_policy, is_county_level, measure_rules

        ending = next(iter(case.endings.all()), None)
        policy = case_policy(case)
        addressee = (f"{ctx['chief']}同志" if is_county_level(case)
                     else f"{case.unit_in_charge.name}党委（党组）主要负责同志")
        ctx.update(addressee=addressee, outcome_report_article=section_article(policy, "outcome_report"), report_content=subject.note, report_lines=split(subject.note),
                   reported_on=cn(subject.reported_on), date_cn=cn(subject.reported_on),
                   report_title=FORMS["outcome_report"].title.format(target_name=case.target.name,
                                                                    measure_label=case.get_measure_display()),
                   outcome_sentence=(f"{cn(ending.decided_on)}，经{ending.recorded_by}批准，{ending.get_kind_display()}。"
                                     if ending else ""),
                   record_sentence=("结果已存入其个人廉政档案。" if measure_rules(case).integrity_record else ""))
    elif key == "feedback_letter":
        clue = target.clue
        ctx.update(issuer_name=clue.handling_unit.name, issuer_short=clue.handling_unit.display_name,
                   addressee=subject.to_unit.name if subject.to_unit else "", recipient_name=subject.to_unit.name
                   if subject.to_unit else "", clue_number=clue.number, received_on=cn(clue.received_on),
                   feedback_content=subject.content, feedback_lines=split(subject.content), date_cn=cn(subject.sent_on))
    elif key == "clue_transfer":
        clue, transfer = target.clue, target.clue.transfer
        ctx.update(transfer_cite=_cite_prefix(words.in_force().cite("transfer")),from_unit=transfer.from_unit.name, transferred_on=cn(transfer.transferred_on), clue_number=clue.number,
                   concerned_text="；".join(f"{c.name}（{c.unit_text}{c.position_text}）" for c in clue.concerned.all()),
                   summary=clue.summary, detail=clue.detail, found_how=transfer.found_how or "—",
                   unit_opinion=transfer.unit_opinion or "—", contact_person=transfer.contact_person,
                   contact_phone=transfer.contact_phone, to_unit=clue.handling_unit.name)
    return ctx


def _letter_context(case, target: Target, ctx: dict[str, Any]) -> dict[str, Any]:
    """A letter's words: its title, content and articles from the case's policy; the requirements and the
    sentence on the measure's restrictions when the letter states the requirements ([letters.<key>])."""
    from yujing.cases.measures import kind_label
    from yujing.cases.restrictions import letter_clause
    from yujing.cases.services._common import case_policy, measure_rules

    form = target.form
    letter = target.letter or next(letter for letter in case.letters.all() if letter.kind == form.key)
    rules = measure_rules(case)
    own = letter_article(case_policy(case), form.key)
    states = form.letter.requirements
    layout = BUILTIN_LETTERS.get(form.layout)
    return {
        # a built-in layout keeps its own heading unless the letter is called otherwise
        "letter_title": form.title, "letter_heading": form.title if layout and layout.title != form.title else "",
        "content_label": form.letter.content_label,
        "letter_article": own, "letter_articles": "、".join(dict.fromkeys(a for a in (ctx["measure_article"], own) if a)),
        "letter_content": letter.content, "letter_lines": split(letter.content), "issued_on": cn(letter.issued_on),
        "date_cn": cn(letter.issued_on), "requirements": ctx["register_content"] if states else "",
        "states_requirements": states, "response_label": rules.response.label if rules.answered else "",
        "restriction_clause": letter_clause(case) if states else "",
        # what follows when the error is not corrected: the measure's escalations (Shou's 责令纠错: 转组织处理或立案查处),
        # those open on a renewed complaint aside
        "escalation_clause": "或".join(kind_label(case, t) for t in rules.escalations
                                      if rules.condition(t) != "renewed_complaint"),
    }


def missing(target: Target, context: dict[str, Any]) -> list[str]:
    return [name for key, name in target.form.required if context.get(key) in (None, "", [], "—")]
