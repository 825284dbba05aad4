"""API authentication: a bearer token for integrations, or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from ninja.security import HttpBearer, SessionAuth

from .services import authenticate_token


class TokenAuth(HttpBearer):
    openapi_description = "接口令牌：请求头 Authorization: Bearer yj_…（由系统管理员创建）"

    def authenticate(self, request: Any, token: str) -> Any | None:
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    openapi_description = "浏览器会话(已登录用户)，写操作需带 CSRF 令牌"


AUTH = [TokenAuth(), BrowserSession()]
