"""回避 (recusal): a user who declared a relation to a cadre (kin, former direct superior or subordinate,
an interest) may not handle, approve or talk in a case about that cadre. The check runs in every case
service, so no page, API call or command can get round it; another holder of the same role acts instead.

Belonging to the cadre's own unit is deliberately *not* a ground: 第二十二条 names the cadre's own party
committee as a proper talker, and a township's discipline secretary handles the township's own cadres."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


def reason(user: Any, cadre: Any) -> str | None:
    """Why ``user`` must stand aside from ``cadre``'s case, or None."""
    from .models import Relation

    relation = Relation.objects.filter(user=user, cadre=cadre).first()
    if relation is not None:
        return f"本人已申报与{cadre.name}存在{relation.get_kind_display()}"
    return None


def require_not_recused(user: Any, cadre: Any) -> None:
    why = reason(user, cadre)
    if why:
        raise PermissionDenied(f"须回避：{why}，请由其他同志办理")
