"""回避 (recusal): a user may not handle, approve or talk in a case about a cadre who leads their own unit
(works there but is managed from above, e.g. a township's leaders whom the county manages), nor about a
cadre they declared a relation to (kin, former direct superior or subordinate, an interest). The check
runs in every case service, so no page, API call or command can get round it; another holder of the same
role acts instead.

Two things are deliberately *not* grounds: staff a unit manages itself are the unit's own business (a
township's discipline secretary handles them), and 第二十二条 names the cadre's own party committee as a
proper talker for its leaders (``talking_as_party_committee``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


def reason(user: Any, cadre: Any, *, talking_as_party_committee: bool = False) -> str | None:
    """Why ``user`` must stand aside from ``cadre``'s case, or None."""
    from .models import Relation

    unit_id = getattr(user, "unit_id", None)
    if (unit_id and unit_id == cadre.unit_id and cadre.managed_by_id != unit_id
            and not talking_as_party_committee):
        return f"{cadre.name}是本人所在单位（{cadre.unit.name}）的领导班子成员"
    relation = Relation.objects.filter(user=user, cadre=cadre).first()
    if relation is not None:
        return f"本人已申报与{cadre.name}存在{relation.get_kind_display()}"
    return None


def require_not_recused(user: Any, cadre: Any) -> None:
    why = reason(user, cadre)
    if why:
        raise PermissionDenied(f"须回避：{why}，请由其他同志办理")
