"""The navigation bar: only what the user's roles may open."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from . import access

NAV: tuple[tuple[str, str, str], ...] = (
    ("首页", "home", ""),
    ("单位", "orgs:unit_list", "unit.view"),
    ("干部名册", "cadres:cadre_list", "cadre.view"),
    ("期限计算", "policy:calculator", "policy.view"),
    ("预警规则", "policy:policy_detail", "policy.view"),
    ("节假日", "policy:calendar", "policy.view"),
)


def navigation(request: Any) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, name, action in NAV:
        if action and not access.can(user, action):
            continue
        url = reverse(name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    grants = access.grants(user)
    return {"nav_items": items, "user_roles": sorted({g.role.label for g in grants})}
