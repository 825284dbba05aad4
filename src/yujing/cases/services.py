"""Opening warning cases. The workflow after the proposal grows here (issue 4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from yujing.audit.services import Origin, record
from yujing.cadres.models import Cadre
from yujing.core.models import next_number
from yujing.orgs.models import Unit
from yujing.orgs.selectors import county_of
from yujing.policy.loader import get_policy
from yujing.policy.services import register_policy_version

from .models import WarningCase


def propose_case(
    *, clues: list[Any], target: Cadre, measure: str, facts: str, unit_in_charge: Unit, by: Any, today: date,
    origin: Origin | None = None,
) -> WarningCase:
    """Open a case proposing ``measure`` for ``target`` (第十五条). Called inside the screening
    transaction; the caller has checked access.

    A case clue can never enter the warning path (第十四条): every source clue must have been
    screened to "handle here".
    """
    from yujing.clues.models import Clue

    if not clues:
        raise ValidationError("预警事项必须有来源线索")
    for clue in clues:
        if clue.status != Clue.Status.HANDLE:
            raise ValidationError(f"线索 {clue.number} 未经筛选确定为本级处理（{clue.get_status_display()}），不能提出预警建议")
    policy = get_policy()
    if measure not in policy.measures:
        raise ValidationError(f"本地办法没有“{measure}”这项措施")
    if not facts.strip():
        raise ValidationError("请填写预警对象的主要问题")
    county = county_of(unit_in_charge)
    seq = next_number(f"case:{county.code if county else unit_in_charge.code}", today.year)
    case = WarningCase.objects.create(
        number=f"{county.code if county else unit_in_charge.code}-YJ{today.year}-{seq:04d}",
        target=target,
        measure=measure,
        facts=facts.strip(),
        unit_in_charge=unit_in_charge,
        policy_version=register_policy_version(policy),
        proposed_by=by,
        proposed_on=today,
    )
    case.clues.set(clues)
    record("cases.case.proposed", by=by, obj=case, unit_path=unit_in_charge.path, origin=origin,
           data={"target": target.pk, "measure": measure, "clues": [c.pk for c in clues]})
    return case
