"""Every open time limit and every step waiting for someone, computed from the data (DESIGN.md §2:
"overdue" is derived, never a flag a job must set — so it is right even if no job ever ran).

Each kind is one query over an index (status, due date); nothing is loaded row by row. An item knows
its unit's path and the roles that must act, so the same items serve "my work", the deadline board
and the reminders."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse

from yujing.cases.measures import version_policy
from yujing.cases.models import (
    ChiefReport,
    Extension,
    LetterRound,
    Register,
    Revisit,
    Status,
    Verification,
    WarningCase,
)
from yujing.cases.services._common import verification_needed
from yujing.cases.services.proposal import chief_role_at
from yujing.clues.models import Clue
from yujing.core.dates import cn_date
from yujing.orgs.roles import Role
from yujing.policy.holidays import package_year
from yujing.policy.loader import get_calendar, get_policy
from yujing.policy.periods import due_date
from yujing.policy.schema import Policy, parse_policy
from yujing.policy.words import cite

SCREENERS = (Role.WARNING_OFFICE, Role.DISCIPLINE_BODY)
CASE_BODY = (Role.WARNING_OFFICE, Role.DISCIPLINE_BODY, Role.PARTY_COMMITTEE)
COUNTY_KINDS = {"county", "county_committee", "discipline_commission", "warning_office"}


class Grade(StrEnum):
    WAITING = "waiting"  # no time limit (an approval, a lifting)
    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"
    LATE = "late"
    SEVERELY_LATE = "severely_late"


GRADE_LABELS = {Grade.WAITING: "待办", Grade.UPCOMING: "未到期", Grade.DUE_SOON: "即将到期", Grade.LATE: "逾期",
                Grade.SEVERELY_LATE: "严重逾期"}


@dataclass(frozen=True)
class Item:
    key: str  # stable: "clue:12:screening" — reminders are idempotent on it
    kind: str
    label: str
    title: str
    url: str
    unit_id: int
    unit_path: str
    unit_name: str
    roles: tuple[str, ...]  # who must act (within whose reach the unit lies)
    due: date | None = None
    article: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    secrecy: str = "normal"  # 密级 of the clue or case: only roles cleared for it are reminded
    provisional: bool = False  # 暂定: counted into a year whose holiday notice is not entered yet

    @property
    def due_label(self) -> str:
        """The due date as the digests write it, with （暂定） when it may still move."""
        return f"{cn_date(self.due)}{'（暂定）' if self.provisional else ''}" if self.due else ""

    def days_left(self, today: date) -> int | None:
        return (self.due - today).days if self.due else None

    def grade(self, today: date, policy: Policy | None = None) -> Grade:
        if self.due is None:
            return Grade.WAITING
        # 以上/以下/以内 include the number itself (民法典第一千二百五十九条): "到期前3日内" is 0 to 3 days
        # left, "逾期10日以上" is 10 or more days late.
        rules = (policy or get_policy()).rules.oversight
        left = (self.due - today).days
        if left >= 0:
            return Grade.DUE_SOON if left <= rules.due_soon_days else Grade.UPCOMING
        return Grade.SEVERELY_LATE if -left >= rules.severely_late_days else Grade.LATE


@lru_cache(maxsize=32)
def _policy(digest: str, text: str) -> Policy:
    return parse_policy(text, digest[:8])


def _case_policy(row: dict) -> Policy:
    return _policy(row["policy_version__digest"], row["policy_version__text"])


def _is_county(kind: str) -> bool:
    return kind in COUNTY_KINDS


def _deciders(policy: Policy, county: bool, roles: Iterable[str]) -> tuple[str, ...]:
    return tuple(roles) if county else tuple(policy.rules.unit_level.approvers)


CASE_FIELDS = ("pk", "number", "measure", "target__name", "unit_in_charge_id", "unit_in_charge__path",
               "unit_in_charge__name", "unit_in_charge__kind", "policy_version__digest", "policy_version__text",
               "implementation_due", "implementation_provisional", "response_due", "response_provisional",
               "responded_on", "referred_to_committee", "secrecy")


def _case_item(row: dict, kind: str, label: str, roles: tuple[str, ...], due: date | None, article: str,
               provisional: bool = False) -> Item:
    rules = _case_policy(row).measures.get(row["measure"])
    return Item(
        key=f"case:{row['pk']}:{kind}", kind=kind, label=label,
        title=f"{row['number']} {row['target__name']}（{rules.label if rules else row['measure']}）",
        url=reverse("cases:case_detail", args=[row["pk"]]), unit_id=row["unit_in_charge_id"],
        unit_path=row["unit_in_charge__path"], unit_name=row["unit_in_charge__name"], roles=roles, due=due,
        article=article, secrecy=row["secrecy"], provisional=provisional,
    )


def collect(*, today: date, until: date | None = None, clues=None, cases=None, units=None,
            with_waiting: bool = True) -> Iterator[Item]:
    """Every item due on or before ``until`` (all open ones when None), from the given querysets
    (default: everything — the reminder run; the pages pass querysets scoped to the user)."""
    clues = Clue.objects.all() if clues is None else clues
    cases = WarningCase.objects.all() if cases is None else cases
    yield from _reports(today, until, units)

    screening = clues.filter(status=Clue.Status.REGISTERED)
    if until:
        screening = screening.filter(screening_due__lte=until)
    for row in screening.values("pk", "number", "summary", "screening_due", "handling_unit_id",
                                "handling_unit__path", "handling_unit__name", "secrecy",
                                "screening_provisional", "policy_version_id").iterator(chunk_size=5000):
        # the article of the version the clue was registered under, as its limit is (clues.services.clue_policy)
        article = version_policy(row["policy_version_id"]).rules.screening.article
        yield Item(key=f"clue:{row['pk']}:screening", kind="screening", label="筛选线索",
                   title=f"{row['number']} {row['summary']}", url=reverse("clues:clue_detail", args=[row["pk"]]),
                   unit_id=row["handling_unit_id"], unit_path=row["handling_unit__path"],
                   unit_name=row["handling_unit__name"], roles=SCREENERS, due=row["screening_due"],
                   article=article, secrecy=row["secrecy"], provisional=row["screening_provisional"])

    # an approved case waits for its implementation — or, once implemented, for a further letter decided on it
    # (the policy's ``again``: an approved case that has any is waiting for the last one's letter), due on its own
    # limit from the decision
    further = LetterRound.objects.filter(case=OuterRef("pk")).order_by("-number")
    approved = cases.filter(status=Status.APPROVED).annotate(
        again_number=Subquery(further.values("number")[:1]), again_due=Subquery(further.values("due")[:1]),
        again_provisional=Subquery(further.values("provisional")[:1]))
    if until:
        approved = approved.filter(Q(again_due__isnull=True, implementation_due__lte=until) | Q(again_due__lte=until))
    for row in approved.values(*CASE_FIELDS, "again_number", "again_due", "again_provisional").iterator(chunk_size=5000):
        if row["again_number"] is None:
            yield _case_item(row, "implementation", "组织实施", CASE_BODY, row["implementation_due"],
                             _case_policy(row).rules.implementation.article, row["implementation_provisional"])
            continue
        again = _case_policy(row).measure(row["measure"]).again
        item = _case_item(row, "again", f"{again.label if again else '再次函询'}：发出第{row['again_number']}次函",
                          CASE_BODY, row["again_due"], again.article if again else "", row["again_provisional"])
        yield replace(item, key=f"case:{row['pk']}:again:{row['again_number']}")

    waiting = cases.filter(status=Status.AWAITING_RESPONSE)
    if until:
        waiting = waiting.filter(response_due__lte=until)
    for row in waiting.values(*CASE_FIELDS).iterator(chunk_size=5000):
        rules = _case_policy(row).measure(row["measure"])
        yield _case_item(row, "response", f"催收{rules.response.label}", CASE_BODY, row["response_due"],
                         rules.response.article, row["response_provisional"])

    pending = cases.filter(status=Status.AWAITING_RESPONSE).filter(
        Exists(Extension.objects.filter(case=OuterRef("pk"), outcome=Extension.Outcome.PENDING)))
    if until:
        pending = pending.filter(response_due__lte=until)
    for row in pending.values(*CASE_FIELDS).iterator(chunk_size=5000):
        policy_row = _case_policy(row)
        rules = policy_row.measure(row["measure"])
        roles = _deciders(policy_row, _is_county(row["unit_in_charge__kind"]),
                          rules.extension.approvers if rules.extension else ())
        yield _case_item(row, "extension", "审批延期整改", roles, row["response_due"],
                         rules.extension.article if rules.extension else "", row["response_provisional"])

    responded = cases.filter(status=Status.RESPONDED).exclude(
        Exists(Revisit.objects.filter(case=OuterRef("pk"), meets_requirement=True)))
    calendar = None
    for row in responded.values(*CASE_FIELDS).iterator(chunk_size=5000):
        policy_row = _case_policy(row)
        if not policy_row.measure(row["measure"]).revisit_required:
            continue
        calendar = calendar or get_calendar()
        limit = policy_row.rules.revisit
        revisit = due_date(row["responded_on"], limit.period, calendar, policy_row.rules.calendar.roll)
        if until and revisit.date > until:
            continue
        yield _case_item(row, "revisit", "回访", CASE_BODY, revisit.date, limit.article, revisit.provisional)

    # a measure's further time limits (the policy's ``limits``) still open: one item each (a not-before
    # limit is no deadline: it waits on the case page)
    limits = cases.exclude(status__in=list(WarningCase.CLOSED)).filter(
        caselimits__done_on__isnull=True, caselimits__kind="deadline")
    if until:
        limits = limits.filter(caselimits__due__lte=until)
    for row in limits.values(*CASE_FIELDS, "caselimits__key", "caselimits__label", "caselimits__due",
                             "caselimits__provisional").iterator(chunk_size=5000):
        rule = _case_policy(row).measure(row["measure"]).limit(row["caselimits__key"])
        item = _case_item(row, "limit", row["caselimits__label"], CASE_BODY, row["caselimits__due"],
                          rule.article if rule else "", row["caselimits__provisional"])
        yield replace(item, key=f"case:{row['pk']}:limit:{row['caselimits__key']}")

    # 责令纠错情况应及时…向党委(党组)主要领导汇报 (第三十一条): an ended correction whose outcome is not reported
    ended = cases.filter(status__in=[Status.LIFTED, Status.ESCALATED], archived_on__isnull=True).exclude(
        Exists(ChiefReport.objects.filter(case=OuterRef("pk"), kind=ChiefReport.Kind.OUTCOME)))
    for row in ended.values(*CASE_FIELDS, "closed_on").iterator(chunk_size=5000):
        policy_row = _case_policy(row)
        if not policy_row.measure(row["measure"]).report_outcome_to_party_chief:
            continue
        calendar = calendar or get_calendar()
        limit = policy_row.rules.outcome_report
        due = due_date(row["closed_on"], limit.period, calendar, policy_row.rules.calendar.roll).date
        if until and due > until:
            continue
        yield _case_item(row, "outcome_report", "向主要领导汇报结果", SCREENERS, due, limit.article)

    if not with_waiting:
        return
    # a report to the chief waits in the chief's work until read (阅知): the county party chief, or for a
    # unit's own correction its party committee's leader
    for kind, label, section in ((ChiefReport.Kind.IMPLEMENTATION, "阅知实施前报告", "implementation"),
                                 (ChiefReport.Kind.OUTCOME, "阅知结果汇报", "outcome_report")):
        unread = cases.filter(Exists(ChiefReport.objects.filter(case=OuterRef("pk"), kind=kind, seen_at__isnull=True)))
        for row in unread.values(*CASE_FIELDS).iterator(chunk_size=5000):
            reader = chief_role_at(county_level=_is_county(row["unit_in_charge__kind"]), policy=_case_policy(row))
            article = getattr(_case_policy(row).rules, section).article
            yield _case_item(row, f"chief_report_{kind}", label, (reader,), None, article)
    proposed = cases.filter(status=Status.PROPOSED).annotate(
        # the case it was escalated from counts too (第十六条: the same facts, entered once)
        verified=Exists(Verification.objects.filter(Q(case=OuterRef("pk")) | Q(case=OuterRef("escalated_from")))),
        verifiable_clue=Exists(Clue.objects.filter(cases=OuterRef("pk"), verifiable=True)),
        # the steps of a sequential approval already approved: the case waits for the next one's roles
        approved_steps=Count("decisions", filter=Q(decisions__outcome="approved")))
    for row in proposed.values(*CASE_FIELDS, "verified", "verifiable_clue", "approved_steps",
                               "target__managed_by__kind").iterator(chunk_size=5000):
        policy_row = _case_policy(row)
        rules = policy_row.measure(row["measure"])
        county = _is_county(row["unit_in_charge__kind"])
        if not row["verified"] and verification_needed(rules, verifiable_clue=row["verifiable_clue"]):
            # 审定 only after 了解、初核或调查 (第十六条, 第三十三条(三)): not yet the approver's to approve,
            # but the proposer's to verify — the county office, or the unit's discipline body (第十五条)
            proposer = (Role.WARNING_OFFICE,) if county else (Role.DISCIPLINE_BODY,)
            yield _case_item(row, "verification", "待核查", proposer, None, rules.verification_article
                             if rules.verification_required else cite(policy_row, "verifiable_clue"))
            continue
        if not county:
            roles = tuple(policy_row.rules.unit_level.approvers)
        else:
            # who decides the cadre's measure (干部管理权限: by the kind of unit that manages the cadre)
            body = rules.by_manager.get(row["target__managed_by__kind"], rules)
            if row["approved_steps"] and body.then:
                roles = tuple(body.then[min(row["approved_steps"], len(body.then)) - 1].roles)
            elif row["referred_to_committee"] or body.standing_committee == "required":
                roles = (Role.STANDING_COMMITTEE,)
            else:
                roles = (*body.approvers, *((Role.STANDING_COMMITTEE,) if body.standing_committee == "optional" else ()))
        yield _case_item(row, "approval", "审批预警建议", roles, None, rules.approval_article)
    from yujing.cases import measures

    unapproved = cases.filter(measures.where(lambda m: m.requirements_approval)).filter(
        Exists(Register.objects.filter(case=OuterRef("pk"), approved_on__isnull=True)))
    for row in unapproved.exclude(status__in=list(WarningCase.CLOSED)).values(*CASE_FIELDS).iterator(chunk_size=5000):
        policy_row = _case_policy(row)
        roles = _deciders(policy_row, _is_county(row["unit_in_charge__kind"]), policy_row.rules.register_.approvers)
        yield _case_item(row, "register", "批准整改要求", roles, None, policy_row.rules.register_.article)
    for row in cases.filter(status=Status.RESPONDED).values(*CASE_FIELDS).iterator(chunk_size=5000):
        policy_row = _case_policy(row)
        roles = _deciders(policy_row, _is_county(row["unit_in_charge__kind"]), policy_row.rules.lifting.approvers)
        yield _case_item(row, "lifting", "解除预警或升级处理", roles, None, policy_row.rules.lifting.article)


def window(today: date) -> date:
    """The last due date the reminders and the board look at: the policy's reminder window."""
    return today + timedelta(days=get_policy().rules.oversight.remind_days)


__all__ = ["Grade", "Item", "Q", "collect"]


def _reports(today: date, until: date | None, units) -> Iterator[Item]:
    """每季度报送一次预警工作统计报表 (第四条): every report a unit owes and has not submitted — as
    reports.reporting() decides it, the same answer as the report page's (a report sent back is owed)."""
    from .reports import reporting

    calendar = None
    article = get_policy().rules.quarterly_report.article
    provisional: dict[tuple[int, int], bool] = {}
    for owed in reporting(today=today, units=units).owed():
        if until and owed.due > until:
            continue
        # from a quarter's end the days stay in its year or run into the next one; the notices are read
        # only for a year the package does not know (暂定 until that year's notice is entered)
        years = (owed.year, owed.due.year)
        if years not in provisional:
            provisional[years] = False
            if not (package_year(owed.year) and package_year(owed.due.year)):
                calendar = calendar or get_calendar()
                provisional[years] = not (calendar.is_known(owed.year) and calendar.is_known(owed.due.year))
        yield Item(key=f"report:{owed.unit_id}:{owed.year}Q{owed.quarter}", kind="quarterly_report",
                   label="报送季度统计报表", title=f"{owed.year}年第{owed.quarter}季度预警工作统计报表",
                   url=reverse("oversight:report", args=[owed.unit_id, owed.year, owed.quarter]),
                   unit_id=owed.unit_id, unit_path=owed.unit_path, unit_name=owed.unit_name,
                   roles=(Role.DISCIPLINE_BODY,), due=owed.due, article=article, provisional=provisional[years])
