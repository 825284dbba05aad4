"""API tokens for integrations (HR systems, petition systems, provincial platforms)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from yujing.orgs.roles import Role


class ApiToken(models.Model):
    """A bearer token for one integration. Only its SHA-256 is stored; the token itself is shown once,
    at creation.

    The token is bound to one of its user's roles in one unit: requests made with it have that role's
    permissions and jurisdiction only, even when the user holds others. When that role assignment is
    withdrawn the token stops working.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name="所属用户")
    name = models.CharField("用途", max_length=100)
    role = models.CharField("角色", max_length=32, choices=Role.choices, blank=True)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="单位")
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()
