from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from yujing.audit.services import Origin, record
from yujing.orgs import access
from yujing.orgs.models import RoleAssignment
from yujing.orgs.roles import Role, Secrecy, cleared_levels

from .models import ApiToken

TOKEN_PREFIX = "yj_"  # noqa: S105 — a public marker, not a secret


def binding(user: Any, role: str = "", unit: Any = None) -> RoleAssignment:
    """The user's active role assignment a token is bound to: the one named, or the only one held."""
    held = RoleAssignment.objects.filter(user=user, is_active=True, unit__is_active=True).select_related("unit")
    if role:
        held = held.filter(role=role)
    if unit is not None:
        held = held.filter(unit=unit)
    found = list(held[:2])
    if not found:
        raise ValidationError({"role": [f"用户 {user.username} 在该单位没有有效的此角色，不能为其创建令牌"]})
    if len(found) > 1:
        raise ValidationError({"role": [f"用户 {user.username} 有多个角色，请指定令牌使用的角色和单位"]})
    return found[0]


def sensitive(user: Any, role: str) -> bool:
    """Whether a token for ``role`` would carry what only its holder may use: a role that signs in with a
    second factor (orgs.twofactor.TWO_FACTOR_ROLES), or one that opens more than 一般 for this user."""
    from yujing.orgs.twofactor import TWO_FACTOR_ROLES

    return role in TWO_FACTOR_ROLES or cleared_levels(role, user.clearance) != [Secrecy.NORMAL.value]


def check_grant(*, user: Any, role: str, by: Any) -> None:
    """Who may make a token for ``user``'s ``role`` (issue 18 review): a token acts as its user with no second
    factor, so an administrator makes one only for a role that needs no second factor and opens only 一般 (an
    integration account); any other the user makes for himself, signed in as himself. An administrator
    never makes one for himself (三员分立: his own role would then work without his second factor)."""
    own = by is not None and by.pk == user.pk
    if own and access.has_role(by, Role.ADMIN):
        raise ValidationError({"user": ["系统管理员不能为本人创建接口令牌，请由对接系统的专用账户使用令牌"]})
    if not own and sensitive(user, role):
        from yujing.policy.words import in_force

        raise ValidationError({"role": [f"“{in_force().role(role)}”角色须两步验证或可阅知秘密以上事项，"
                                        f"其令牌只能由用户 {user.username} 本人创建"]})


@transaction.atomic
def create_token(*, user: Any, name: str, by: Any, role: str = "", unit: Any = None,
                 origin: Origin | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user`` bound to one of their roles in one unit (the only one they hold,
    when not named); returns the row and the token text (shown once, never stored)."""
    own = by is not None and by.pk == user.pk
    if by is not None and not own and not access.has_role(by, Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以创建接口令牌")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ["请写明令牌用途，如“人事系统”"]})
    grant = binding(user, role, unit)
    check_grant(user=user, role=grant.role, by=by)
    text = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, role=grant.role, unit=grant.unit, prefix=text[:10],
                                    token_hash=ApiToken.hash(text))
    record("api.token.created", by=by, obj=token, origin=origin, unit_path=grant.unit.path,
           data={"user": user.pk, "name": name, "role": grant.role, "unit": grant.unit_id})
    return token, text


@transaction.atomic
def revoke_token(*, token: ApiToken, by: Any, origin: Origin | None = None) -> ApiToken:
    if not access.has_role(by, Role.ADMIN) and by.pk != token.user_id:
        raise PermissionDenied("只有系统管理员可以吊销接口令牌")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("api.token.revoked", by=by, obj=token, origin=origin, data={"user": token.user_id})
    return token


def authenticate_token(text: str) -> Any | None:
    """The user behind a valid, unrevoked token, limited to the token's role in the token's unit; or
    None — also when that role has been withdrawn since. Marks the token used (at most once a minute)."""
    if not text or not text.startswith(TOKEN_PREFIX):
        return None
    held = RoleAssignment.objects.filter(user_id=OuterRef("user_id"), role=OuterRef("role"),
                                         unit_id=OuterRef("unit_id"), is_active=True, unit__is_active=True)
    token = (ApiToken.objects.select_related("user").annotate(held=Exists(held))
             .filter(token_hash=ApiToken.hash(text), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active or not token.held:
        return None
    access.bind(token.user, role=token.role, unit_id=token.unit_id)
    token.user._yujing_api_token = token.pk  # core.idempotency keeps each token's keys apart
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
