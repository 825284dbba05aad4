"""Account changes made by someone else (an administrator, a management command): a password set, a user's
fields (activation among them), a two-factor device enrolled or removed, a sign-in lock lifted. Each is one
transaction with its hash-chained audit event, so no path changes an account silently, and the affected
user is told at their next sign-in once it is complete (:func:`changes_since`, shown by :func:`tell_when_cleared`).

Roles (and with them the clearance, which follows from the roles held, capped by the person's own
``User.clearance``) change through ``services.assign_role`` / ``services.revoke_role``, the cap through
``services.set_clearance``, which write their events the same way."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from yujing.audit.services import Origin, record

from .models import User
from .roles import CLEARANCE, SECRECY_ORDER, Secrecy, cleared_levels

# The events that change an account (not its use: signing in, a code verified or mistyped).
ACCOUNT_ACTIONS = (
    "orgs.user.created", "orgs.user.changed", "orgs.user.password_set", "orgs.user.password_changed",
    "orgs.user.two_factor_enrolled", "orgs.user.two_factor_removed", "orgs.user.unlocked",
    "orgs.role.assigned", "orgs.role.revoked", "orgs.user.clearance_set", "api.token.created", "api.token.revoked",
)

# The fields of a user an administrator may change (the password only through set_password).
EDITABLE = ("username", "full_name", "first_name", "last_name", "unit", "title", "phone", "email", "is_active",
            "is_staff", "is_superuser", "must_change_password")


def _require_admin(by: Any) -> None:
    from .services import _require_admin as require

    require(by)


def _path(user: User) -> str:
    return user.unit.path if user.unit_id else ""


def clearance(user: User) -> str:
    """The highest 密级 the user's active roles open (一般 without any role), each capped by the person's own
    clearance (``User.clearance``, read afresh), as orgs.access applies it."""
    held = user.role_assignments.filter(is_active=True).values_list("role", flat=True)
    cap = User.objects.filter(pk=user.pk).values_list("clearance", flat=True).first() or ""
    levels = [SECRECY_ORDER.index(Secrecy(cleared_levels(role, cap)[-1])) for role in held if role in CLEARANCE]
    return SECRECY_ORDER[max(levels)].value if levels else Secrecy.NORMAL.value


@transaction.atomic
def set_password(*, user: User, password: str | None, by: Any, origin: Origin | None = None) -> User:
    """An administrator (or a command, ``by=None``) sets another user's password, or with ``password=None``
    disables password sign-in. The password passes every validator in ``AUTH_PASSWORD_VALIDATORS``; it is
    known to the one who set it, so the user must change it at the next sign-in."""
    _require_admin(by)
    if by is not None and getattr(by, "pk", None) == user.pk:
        raise ValidationError("修改本人密码请使用“修改密码”页面（须输入原密码）")
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.must_change_password = password is not None
    user.save(update_fields=["password", "must_change_password"])
    record("orgs.user.password_set", by=by, obj=user, unit_path=_path(user), origin=origin,
           data={"usable": password is not None, "must_change": user.must_change_password})
    return user


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    return value


@transaction.atomic
def update_user(*, user: User, changes: dict[str, Any], by: Any, origin: Origin | None = None) -> User:
    """Change a user's fields (name, unit, activation, administrator flags …); the event keeps each field's
    value before and after. ``user`` takes the new values too."""
    _require_admin(by)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(f"不能在此修改：{'、'.join(unknown)}")
    fresh = User.objects.select_for_update().get(pk=user.pk)
    if by is not None and getattr(by, "pk", None) == user.pk and (
            changes.get("is_active") is False or changes.get("is_superuser") is False
            or changes.get("is_staff") is False):
        raise ValidationError("不能停用本人账户或取消本人的管理权限，请由另一名管理员办理")
    diff: dict[str, list[Any]] = {}
    for name, value in changes.items():
        before = getattr(fresh, name)
        if before != value:
            diff[name] = [_plain(before), _plain(value)]
            setattr(fresh, name, value)
    if not diff:
        return fresh
    fresh.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in diff] or None,
                     validate_unique=True, validate_constraints=False)
    fresh.save(update_fields=list(diff))
    for name in diff:
        setattr(user, name, getattr(fresh, name))
    record("orgs.user.changed", by=by, obj=fresh, unit_path=_path(fresh), origin=origin,
           data={"fields": list(diff), "changes": diff})
    from . import access

    access.forget(user)
    return fresh


@transaction.atomic
def confirm_device(*, user: User, device: Any, origin: Origin | None = None) -> Any:
    """The user enrols their own authenticator: the code they typed matched the new device."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record("orgs.user.two_factor_enrolled", by=user, obj=user, unit_path=_path(user), origin=origin,
           data={"device": device.pk})
    return device


@transaction.atomic
def remove_device(*, device: Any, by: Any, origin: Origin | None = None) -> None:
    """An administrator removes a user's authenticator (a lost phone): the user enrols a new one at the next
    sign-in. Administrators never enrol a device for someone else — they would know its secret."""
    _require_admin(by)
    user = device.user
    record("orgs.user.two_factor_removed", by=by, obj=user, unit_path=_path(user), origin=origin,
           data={"device": device.pk, "name": device.name, "confirmed": device.confirmed})
    device.delete()


@transaction.atomic
def unlock(*, attempt: Any, by: Any, origin: Origin | None = None) -> None:
    """An administrator lifts a sign-in lock (django-axes) before it runs out."""
    _require_admin(by)
    user = User.objects.filter(username=attempt.username).first() if attempt.username else None
    record("orgs.user.unlocked", by=by, obj=user, unit_path=_path(user) if user else "", origin=origin,
           data={"username": attempt.username or "", "address": attempt.ip_address or "",
                 "failures": attempt.failures_since_start})
    attempt.delete()


def _field_label(name: str) -> str:
    return str(User._meta.get_field(name).verbose_name)


def _describe(event: Any) -> str:
    data = event.data or {}
    action = event.action
    if action == "orgs.user.created":
        return "创建了您的账户"
    if action == "orgs.user.password_set":
        return "重置了您的密码" if data.get("usable", True) else "停用了您的密码登录"
    if action == "orgs.user.password_changed":
        return "修改了您的密码"
    if action == "orgs.user.two_factor_enrolled":
        return "为您的账户绑定了身份验证器"
    if action == "orgs.user.two_factor_removed":
        return "解除了您账户绑定的身份验证器"
    if action == "orgs.user.unlocked":
        return "解除了您账户的登录锁定"
    if action == "orgs.user.clearance_set":
        reason = f"（{data['reason']}）" if data.get("reason") else ""
        if data.get("to"):
            return f"将您的本人密级上限设为“{Secrecy(data['to']).label}”{reason}"
        return f"取消了您的本人密级上限{reason}"
    if action == "orgs.user.changed":
        changes = data.get("changes") or {}
        parts = []
        for name in data.get("fields") or changes:
            if name == "is_active":
                parts.append("启用了您的账户" if changes.get(name, [None, True])[1] else "停用了您的账户")
            else:
                parts.append(f"修改了您账户的“{_field_label(name)}”")
        return "，".join(parts) or "修改了您的账户"
    if action in ("orgs.role.assigned", "orgs.role.revoked"):
        from yujing.policy.words import in_force

        from .models import Unit

        unit = Unit.objects.filter(pk=data.get("unit")).first()
        where = unit.display_name if unit else ""
        role = in_force().role(data["role"]) if data.get("role") else ""
        text = (f"授予您{where}“{role}”角色" if action == "orgs.role.assigned"
                else f"撤销了您在{where}的“{role}”角色")
        before, after = (data.get("clearance") or [None, None])
        if before and after and before != after:
            text += f"，您可阅知的密级由“{Secrecy(before).label}”变为“{Secrecy(after).label}”"
        return text
    if action == "api.token.created":
        from yujing.policy.words import in_force

        role = in_force().role(data["role"]) if data.get("role") else ""
        return f"为您创建了接口令牌“{data.get('name', '')}”（以您的“{role}”角色调用接口）"
    if action == "api.token.revoked":
        return "吊销了您的接口令牌"
    return action


def changes_since(user: User, since: datetime | None) -> list[str]:
    """What others changed on ``user``'s account after ``since`` (all of it when never signed in), oldest
    first: “2026年12月4日 19:40，系统管理员重置了您的密码”."""
    from yujing.audit.models import Event

    events = (Event.objects.filter(action__in=ACCOUNT_ACTIONS)
              .filter(Q(object_type="orgs.user", object_id=str(user.pk))
                      | Q(object_type="orgs.roleassignment", data__user=user.pk)
                      | Q(object_type="api.apitoken", data__user=user.pk))
              .exclude(actor_id=user.pk).order_by("at", "id"))
    if since is not None:
        events = events.filter(at__gt=since)
    else:
        # never told before: the account's setting-up by the system (the demo or an import creating it and
        # granting its roles) is not a change to report; what a person or a command did to it since is
        events = events.exclude(actor__isnull=True, action__in=("orgs.user.created", "orgs.role.assigned"))
    lines = []
    for event in events:
        at = timezone.localtime(event.at)
        lines.append(f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}，{event.actor_name}{_describe(event)}")
    return lines


# session key: this sign-in still has to tell the user what others changed on the account
NOTICE_DUE = "yujing_account_notice_due"


def tell_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` (the password step): record the sign-in and note that its notice of account changes is
    due. The notice itself waits for :func:`tell_when_cleared`: shown here, before the TOTP code or the forced
    password change, it went to whoever had the password alone and used the changes up for the real owner."""
    from django.contrib.auth.models import update_last_login

    update_last_login(sender, user, **kwargs)
    session = getattr(request, "session", None)
    if session is not None:
        session[NOTICE_DUE] = True


def tell_when_cleared(request: Any) -> None:
    """On the first request of a sign-in that owes nothing more (``middleware.owed``): list the changes made to
    the account since the user was last told, and move that mark (``User.account_notice_mark``)."""
    from django.contrib import messages

    from yujing.middleware import owed

    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if (session is None or not session.get(NOTICE_DUE) or user is None or not user.is_authenticated
            or owed(request) is not None):
        return
    now = timezone.now()
    with transaction.atomic():
        fresh = User.objects.select_for_update().get(pk=user.pk)
        lines = changes_since(fresh, fresh.account_notice_mark)
        User.objects.filter(pk=user.pk).update(account_notice_mark=now)
    del session[NOTICE_DUE]
    if lines and hasattr(request, "_messages"):
        messages.warning(request, "自您上次登录以来，您的账户有以下变更：" + "；".join(lines)
                         + "。如有不明之处，请立即与系统管理员或审计员联系。")
