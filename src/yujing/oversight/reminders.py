"""The daily reminder run (`manage.py remind`): one digest per user of what is due soon or missed,
in the application and by e-mail.

Set-based: the items come from a handful of indexed queries (deadlines.collect), and who must act is
looked up in an index of role assignments by unit path — no query per item or per user.

Idempotent and crash-safe: a digest is a row unique per user and day, written in its own transaction
before the e-mail goes out; a second run the same day finds the row and sends nothing, and a run that
died half-way sends, when run again, only what it had not sent (e-mails whose row is written but not
marked sent are retried)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from yujing.audit.services import record
from yujing.core.dates import cn_date
from yujing.orgs.models import RoleAssignment, Unit
from yujing.orgs.roles import ROLE_REACH, Reach, cleared_levels, within_cap
from yujing.policy.loader import get_policy

from .deadlines import GRADE_LABELS, Grade, Item, collect, window
from .models import Notification


def responsible_index() -> dict[str, dict[str, set[int]]]:
    """role -> scope path -> users holding that role there (one query for all assignments)."""
    counties = sorted(Unit.objects.filter(kind=Unit.Kind.COUNTY).values_list("path", flat=True), key=len)
    index: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    rows = RoleAssignment.objects.filter(is_active=True, user__is_active=True, unit__is_active=True).values_list(
        "user_id", "role", "unit__path")
    for user_id, role, path in rows:
        reach = ROLE_REACH[role]
        if reach is Reach.OWN:
            continue
        scope = path
        if reach is Reach.COUNTY:
            scope = next((c for c in reversed(counties) if path.startswith(c)), path)
        index[role][scope].add(user_id)
    return index


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def clearance_caps() -> dict[int, str]:
    """user id -> the person's own clearance, for those who have one (User.clearance)."""
    from yujing.orgs.models import User

    return dict(User.objects.exclude(clearance="").values_list("pk", "clearance"))


def who_acts(item: Item, index: dict[str, dict[str, set[int]]], caps: dict[int, str] | None = None) -> set[int]:
    """The users to remind of ``item``: holders of its roles over its unit cleared for its 密级 — by the role and by
    the person's own clearance (``caps``, read here when not given)."""
    users: set[int] = set()
    prefixes = _prefixes(item.unit_path)
    for role in item.roles:
        if item.secrecy not in cleared_levels(role):
            continue  # 密级: a role not cleared for the item is not told of it
        by_scope = index.get(role, {})
        for prefix in prefixes:
            users |= by_scope.get(prefix, set())
    if item.secrecy != "normal":
        caps = clearance_caps() if caps is None else caps
        users = {u for u in users if within_cap(item.secrecy, caps.get(u, ""))}
    return users


@dataclass
class RunResult:
    items: int = 0
    digests: int = 0
    emails: int = 0
    skipped: int = 0


def digest(items: list[tuple[Item, Grade]], today: date) -> tuple[str, str, list[dict]]:
    late = sum(g in (Grade.LATE, Grade.SEVERELY_LATE) for _, g in items)
    soon = len(items) - late
    subject = f"预警期限提醒（{cn_date(today)}）：逾期 {late} 项，即将到期 {soon} 项"
    lines, data = [], []
    base = getattr(settings, "YUJING_SITE_URL", "").rstrip("/")
    for item, grade in items:
        left = (item.due - today).days
        when = f"逾期 {-left} 日" if left < 0 else ("今日到期" if left == 0 else f"还有 {left} 日")
        lines.append(f"【{GRADE_LABELS[grade]}】{item.label}：{item.title}，期限 {item.due_label}（{when}）"
                     f"，{item.unit_name}。{base}{item.url}")
        data.append({"key": item.key, "label": item.label, "title": item.title, "due": item.due.isoformat(),
                     "provisional": item.provisional, "grade": grade.value, "url": item.url, "unit": item.unit_name})
    body = "\n".join(["以下预警工作事项即将到期或已经逾期，请及时办理：", "", *lines, "",
                      "（本邮件由预警系统每日自动发送，请勿直接回复。）"])
    return subject, body, data


def send_reminders(*, today: date, fail_after: int | None = None) -> RunResult:
    """Send today's digests. ``fail_after`` is for the crash test only."""
    result = RunResult()
    policy = get_policy()
    per_user: dict[int, list[tuple[Item, Grade]]] = defaultdict(list)
    index = responsible_index()
    caps = clearance_caps()
    for item in collect(today=today, until=window(today), with_waiting=False):
        result.items += 1
        grade = item.grade(today, policy)
        for user_id in who_acts(item, index, caps):
            per_user[user_id].append((item, grade))
    done_today = set(Notification.objects.filter(day=today).values_list("user_id", flat=True))

    for n, user_id in enumerate(sorted(per_user)):
        if fail_after is not None and n >= fail_after:
            raise RuntimeError("模拟中途崩溃")
        if user_id in done_today:
            result.skipped += 1
            continue
        items = sorted(per_user[user_id], key=lambda pair: (pair[0].due, pair[0].key))
        subject, body, data = digest(items, today)
        try:
            with transaction.atomic():
                Notification.objects.create(user_id=user_id, day=today, subject=subject, body=body, items=data)
        except IntegrityError:  # another run got there first
            result.skipped += 1
            continue
        result.digests += 1
    result.emails = _send_pending(today)
    with transaction.atomic():
        record("oversight.reminders.sent", by=None, data={"day": today, "items": result.items,
                                                         "digests": result.digests, "emails": result.emails})
    return result


def _send_pending(today: date) -> int:
    """E-mail every digest of today not yet sent (also those a crashed run left behind)."""
    sent = 0
    pending = Notification.objects.filter(day=today, emailed_at__isnull=True, email_error="").select_related("user")
    for notification in pending:
        user = notification.user
        if not user.email:
            continue
        try:
            EmailMessage(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
        except Exception as exc:
            Notification.objects.filter(pk=notification.pk).update(email_error=str(exc)[:300])
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
