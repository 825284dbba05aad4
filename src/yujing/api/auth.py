"""API authentication: a bearer token for integrations, or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from ninja.security import HttpBearer, SessionAuth

from .services import authenticate_token


class SessionOwes(PermissionDenied):
    """A browser session that still owes its second factor or its password change (yujing.middleware.owed):
    answered with the middleware's own code (``two_factor_required`` / ``password_change_required``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class TokenAuth(HttpBearer):
    openapi_description = "接口令牌：请求头 Authorization: Bearer yj_…（由系统管理员创建）"

    def authenticate(self, request: Any, token: str) -> Any | None:
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    openapi_description = "浏览器会话(已登录用户)，写操作需带 CSRF 令牌；须已完成两步验证和必要的密码修改"

    def authenticate(self, request: Any, key: str | None) -> Any | None:
        """The session only once it owes nothing (yujing.middleware.owed): the middleware refuses such a
        session already; this is the same rule where a request also carried a token that did not match."""
        from yujing.middleware import owed

        user = super().authenticate(request, key)
        if user is not None and (due := owed(request)) is not None:
            raise SessionOwes(*due)
        return user


AUTH = [TokenAuth(), BrowserSession()]
