from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from yujing.audit.services import Origin, record
from yujing.orgs import access
from yujing.orgs.roles import Role

from .models import ApiToken

TOKEN_PREFIX = "yj_"  # noqa: S105 — a public marker, not a secret


@transaction.atomic
def create_token(*, user: Any, name: str, by: Any, origin: Origin | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the token text (shown once, never stored)."""
    if by is not None and not access.has_role(by, Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以创建接口令牌")
    text = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=text[:10], token_hash=ApiToken.hash(text))
    record("api.token.created", by=by, obj=token, origin=origin, data={"user": user.pk, "name": name})
    return token, text


@transaction.atomic
def revoke_token(*, token: ApiToken, by: Any, origin: Origin | None = None) -> ApiToken:
    if not access.has_role(by, Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以吊销接口令牌")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("api.token.revoked", by=by, obj=token, origin=origin, data={"user": token.user_id})
    return token


def authenticate_token(text: str) -> Any | None:
    """The user behind a valid, unrevoked token, or None. Marks the token used (at most once a minute)."""
    if not text or not text.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=ApiToken.hash(text), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
