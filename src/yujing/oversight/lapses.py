"""The lapses of 第三十三条, found in the data by themselves. Each is a query; nothing is stored but
the supervisors' notes (LapseNote), so a lapse can never be deleted or hidden."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse

from yujing.audit.models import Event
from yujing.cases import measures as case_measures
from yujing.cases.models import CLOSED, Ending, LetterRound, Status, Verification, WarningCase
from yujing.clues.models import Clue, Routing
from yujing.core.dates import cn_date, office_day, office_time
from yujing.orgs.models import RoleAssignment
from yujing.policy.loader import get_policy

KINDS = {
    "unscreened": ("（一）对应预警的问题压瞒不办", "线索超过筛选期限仍未筛选"),
    "late_screening": ("（二）对预警线索排查、移送故意拖延", "筛选或报送超过期限"),
    "unverified_contact": ("（三）具有可查性的线索不经核查直接谈话或发函", "谈话或发函前没有了解、初核或调查"),
    "not_implemented": ("（四）应当予以预警而不予实施", "批准后超过7日未组织实施"),
    "warning_instead": ("（五）应给予纪律处分而以预警代之", "核查认定已构成立案条件，却仍作预警处理；或预警后同一问题又立案查处（待复核）"),
    "confidentiality": ("（六）违反有关保密规定", "无权角色查看举报人身份，或在管辖范围外下载文书、导出"),
    "unescalated": ("（七）其他：逾期未答复（整改）且未作处理", "答复或整改逾期达到严重逾期天数（以上含本数），仍未转入下一步"),
}


def kinds() -> dict[str, tuple[str, str]]:
    """``KINDS`` with the implementation period of the policy in force ("批准后超过7日未组织实施")."""
    period = get_policy().rules.implementation.period
    return {**KINDS, "not_implemented": (KINDS["not_implemented"][0], f"批准后超过{period.label}未组织实施")}


@dataclass(frozen=True)
class Record:
    """One of the records a lapse sets side by side for review (the warning, and the 立案 that followed)."""

    label: str
    number: str
    measure: str
    dated: str  # what the date is
    on: date
    url: str


@dataclass(frozen=True)
class Lapse:
    kind: str
    key: str
    unit_path: str
    unit_name: str
    title: str
    evidence: str
    url: str
    since: date
    records: tuple[Record, ...] = ()
    review: bool = False  # a candidate to be reviewed, not yet a finding: not counted in the annual assessment

    @property
    def heading(self) -> str:
        return KINDS[self.kind][0]


def _clue_lapse(kind: str, row: dict, evidence: str, since: date) -> Lapse:
    return Lapse(kind, f"{kind}:clue:{row['pk']}", row["handling_unit__path"], row["handling_unit__name"],
                 f"线索 {row['number']} {row['summary']}", evidence, reverse("clues:clue_detail", args=[row["pk"]]), since)


def _case_lapse(kind: str, row: dict, evidence: str, since: date) -> Lapse:
    return Lapse(kind, f"{kind}:case:{row['pk']}", row["unit_in_charge__path"], row["unit_in_charge__name"],
                 f"预警 {row['number']} {row['target__name']}", evidence, reverse("cases:case_detail", args=[row["pk"]]),
                 since)


CLUE = ("pk", "number", "summary", "screening_due", "screened_on", "handling_unit__path", "handling_unit__name")
CASE = ("pk", "number", "target__name", "unit_in_charge__path", "unit_in_charge__name", "implementation_due",
        "implemented_on", "approved_on", "response_due")


def find(*, today: date, clues=None, cases=None, events=None) -> Iterator[Lapse]:
    clues = Clue.objects.all() if clues is None else clues
    cases = WarningCase.objects.all() if cases is None else cases
    severe = get_policy().rules.oversight.severely_late_days

    for row in clues.filter(status=Clue.Status.REGISTERED, screening_due__lt=today).values(*CLUE):
        yield _clue_lapse("unscreened", row, f"筛选期限{cn_date(row['screening_due'])}，至今已逾期 "
                                              f"{(today - row['screening_due']).days} 日", row["screening_due"])
    for row in clues.filter(screened_on__gt=F("screening_due")).values(*CLUE):
        yield _clue_lapse("late_screening", row, f"筛选期限{cn_date(row['screening_due'])}，"
                                                 f"{cn_date(row['screened_on'])}才筛选", row["screened_on"])
    routed = Routing.objects.filter(clue__in=clues, routed_on__gt=F("due_at_sender")).values(
        "pk", "routed_on", "due_at_sender", "clue__number", "clue__summary", "clue_id", "from_unit__path",
        "from_unit__name")
    for row in routed:
        yield Lapse("late_screening", f"late_screening:routing:{row['pk']}", row["from_unit__path"],
                    row["from_unit__name"], f"线索 {row['clue__number']} {row['clue__summary']}",
                    f"筛选期限{cn_date(row['due_at_sender'])}，{cn_date(row['routed_on'])}才报送",
                    reverse("clues:clue_detail", args=[row["clue_id"]]), row["routed_on"])

    # a case escalated from another stands on the verification recorded there (cases.services._common.verifications_for)
    verified_before = Verification.objects.filter(Q(case=OuterRef("pk")) | Q(case=OuterRef("escalated_from")),
                                                  done_on__lte=OuterRef("implemented_on"))
    contact = cases.filter(implemented_on__isnull=False, clues__verifiable=True).exclude(Exists(verified_before))
    for row in contact.distinct().values(*CASE):
        yield _case_lapse("unverified_contact", row, f"{cn_date(row['implemented_on'])}实施，此前没有核查记录",
                          row["implemented_on"])

    late_impl = cases.filter(implementation_due__isnull=False).filter(
        Q(implemented_on__gt=F("implementation_due"))
        | Q(status=Status.APPROVED, implemented_on__isnull=True, implementation_due__lt=today))
    for row in late_impl.values(*CASE):
        done = f"，{cn_date(row['implemented_on'])}才实施" if row["implemented_on"] else "，至今未实施"
        yield _case_lapse("not_implemented", row, f"{cn_date(row['approved_on'])}批准，实施期限"
                                                  f"{cn_date(row['implementation_due'])}{done}", row["implementation_due"])

    yield from _late_further_letters(cases, today)

    filing = cases.filter(Exists(Verification.objects.filter(case=OuterRef("pk"), meets_filing=True))).exclude(
        escalation=Ending.Kind.CASE_FILING).exclude(status__in=[Status.REJECTED, Status.WITHDRAWN])
    for row in filing.values(*CASE):
        yield _case_lapse("warning_instead", row, "核查结论认定已构成立案条件，但未立案查处", today)
    yield from _filed_after_warning(cases)

    # 逾期10日以上 includes the 10th day (民法典第一千二百五十九条): due 10 days ago or earlier
    for row in cases.filter(status=Status.AWAITING_RESPONSE, response_due__lte=today - timedelta(days=severe)).values(*CASE):
        yield _case_lapse("unescalated", row, f"期限{cn_date(row['response_due'])}，逾期 "
                                              f"{(today - row['response_due']).days} 日仍未收到，也未转入下一步",
                          row["response_due"])

    yield from _confidentiality(events)


def _late_further_letters(cases, today: date) -> Iterator[Lapse]:
    """A further letter decided on a case (the policy's ``again``, 再次函询) and issued after its limit, or not yet
    issued with its limit passed: like the first letter, a warning decided and not carried out in time (四)."""
    rounds = (LetterRound.objects.filter(case__in=cases).exclude(case__status__in=[Status.REJECTED, Status.WITHDRAWN])
              .select_related("case__target", "case__unit_in_charge").prefetch_related("case__letters")
              .order_by("case_id", "number"))
    for letter_round in rounds:
        case = letter_round.case
        letters = list(case.letters.all())
        issued = letters[letter_round.number - 1].issued_on if len(letters) >= letter_round.number else None
        if issued is None and (case.status in CLOSED or letter_round.due >= today):
            continue
        if issued is not None and issued <= letter_round.due:
            continue
        done = f"，{cn_date(issued)}才发出" if issued else "，至今未发出"
        row = {"pk": case.pk, "number": case.number, "target__name": case.target.name,
               "unit_in_charge__path": case.unit_in_charge.path, "unit_in_charge__name": case.unit_in_charge.name}
        lapse = _case_lapse("not_implemented", row, f"{cn_date(letter_round.decided_on)}决定第{letter_round.number}次"
                                                    f"发函，发函期限{cn_date(letter_round.due)}{done}", letter_round.due)
        yield dataclasses.replace(lapse, key=f"not_implemented:letter_round:{letter_round.pk}")


def _filed_after_warning(cases) -> Iterator[Lapse]:
    """(五) candidates for review: a warning carried out, and the same cadre later filed (立案查处) on the same
    facts — the filing recorded on that case or on a case sharing one of its clues (an escalation keeps the
    clues), on or after the day the warning was carried out. Both records are shown side by side."""
    filed = cases.filter(
        implemented_on__isnull=False, clues__cases__endings__kind=Ending.Kind.CASE_FILING,
        clues__cases__target=F("target"), clues__cases__endings__decided_on__gte=F("implemented_on"),
    ).values(*CASE, "measure", filing=F("clues__cases__endings__pk"), filed_on=F("clues__cases__endings__decided_on"),
             filed_case=F("clues__cases__pk"), filed_number=F("clues__cases__number"),
             filed_measure=F("clues__cases__measure")).distinct().order_by("filed_on", "pk")
    names = dict(case_measures.choices())

    def measures(key: str) -> str:
        return names.get(key, key)

    for row in filed:
        warning = Record("预警", row["number"], measures(row["measure"]), "实施日期", row["implemented_on"],
                         reverse("cases:case_detail", args=[row["pk"]]))
        filing = Record("立案查处", row["filed_number"], f"由{measures(row['filed_measure'])}转立案查处", "决定日期",
                        row["filed_on"], reverse("cases:case_detail", args=[row["filed_case"]]))
        where = "本事项" if row["filed_case"] == row["pk"] else f"同一线索的 {row['filed_number']}"
        lapse = _case_lapse("warning_instead", row, f"{cn_date(row['implemented_on'])}实施{warning.measure}，"
                                                    f"{cn_date(row['filed_on'])} {where}立案查处：请复核是否以预警代之",
                            row["filed_on"])
        yield Lapse(lapse.kind, f"warning_instead:filed:{row['pk']}:{row['filing']}", lapse.unit_path, lapse.unit_name,
                    lapse.title, lapse.evidence, lapse.url, lapse.since, (warning, filing), review=True)


def _confidentiality(events=None) -> Iterator[Lapse]:
    """Reveals of reporter identity by a role the policy does not allow, and downloads or exports of
    documents outside the actor's jurisdiction — from the audit log."""
    events = Event.objects.all() if events is None else events
    allowed = set(get_policy().rules.reporter_identity.roles)
    watched = events.filter(action__in=["clues.reporter.revealed", "documents.document.downloaded",
                                        "documents.case_file.exported", "clues.attachment.viewed"],
                            actor__isnull=False).values("pk", "at", "actor_id", "actor_name", "action", "unit_path",
                                                        "object_repr")
    scopes: dict[int, list[tuple[str, str]]] = {}
    for event in watched.iterator(chunk_size=5000):
        if event["actor_id"] not in scopes:
            scopes[event["actor_id"]] = _scopes(event["actor_id"])
        grants = scopes[event["actor_id"]]
        inside = any(event["unit_path"].startswith(scope) for _, scope in grants)
        if event["action"] == "clues.reporter.revealed":
            ok = any(role in allowed and event["unit_path"].startswith(scope) for role, scope in grants)
            problem = "无权角色查看举报人身份"
        else:
            ok = inside or not event["unit_path"]
            problem = "在管辖范围外下载或导出"
        if not ok:
            yield Lapse("confidentiality", f"confidentiality:event:{event['pk']}", event["unit_path"], "",
                        event["object_repr"], f"{office_time(event['at']):%Y-%m-%d %H:%M} {event['actor_name']}：{problem}",
                        "", office_day(event["at"]))


def _scopes(user_id: int) -> list[tuple[str, str]]:
    from yujing.orgs import access
    from yujing.orgs.models import User

    user = User.objects.get(pk=user_id)
    return [(g.role, g.scope_path) for g in access.grants(user)]


__all__ = ["KINDS", "Lapse", "Record", "RoleAssignment", "find", "kinds"]
