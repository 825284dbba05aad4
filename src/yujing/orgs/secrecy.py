"""密级 (confidentiality level) of a clue or a case. The level further limits who may open it (see
``roles.CLEARANCE`` and ``access``); this is the one service that sets it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yujing.audit.services import Origin, record
from yujing.policy.words import in_force

from . import access
from .roles import Role, Secrecy, cleared_levels

# model -> (the permission to set its level, the audit event)
CLASSIFIABLE = {
    "clues.clue": ("clue.classify", "clues.clue.secrecy_set"),
    "cases.warningcase": ("case.classify", "cases.case.secrecy_set"),
}


@transaction.atomic
def set_secrecy(*, obj: Any, level: str, reason: str, by: Any, origin: Origin | None = None) -> Any:
    """Set the 密级 of a clue or case. Nobody may set a level their own role cannot open (they would lock
    themselves out of their own work), and every change says why."""
    model = type(obj)
    locked = model.objects.select_for_update().get(pk=obj.pk)
    action, event = CLASSIFIABLE[locked._meta.label_lower]
    access.require(by, action, locked)
    errors: dict[str, list[str]] = {}
    if level not in Secrecy.values:
        errors["level"] = ["请选择密级"]
    if not reason.strip():
        errors["reason"] = ["请说明定密或变更密级的理由"]
    elif len(reason) > 200:
        errors["reason"] = ["理由不能超过200字"]
    if level in Secrecy.values:
        holders = [g for g in access.grants(by) if g.role in access.allowed_roles(action)]
        if not any(level in g.levels for g in holders):
            label = Secrecy(level).label
            allowed = access.allowed_roles(action)
            names = in_force().roles(r for r in Role if r in allowed and level in cleared_levels(r))
            errors["level"] = [f"您的角色不能定为“{label}”（定为后本人将无法查看），请报{names}确定"]
        elif level == locked.secrecy:
            errors["level"] = [f"密级已是“{Secrecy(level).label}”"]
    if errors:
        raise ValidationError(errors)
    before = locked.secrecy
    locked.secrecy = level
    locked.save(update_fields=["secrecy"])
    derived = _carry_to_derived(locked, level)
    record(event, by=by, obj=locked, unit_path=access.object_path(locked), origin=origin,
           data={"from": before, "to": level, "reason": reason.strip(), **derived})
    return locked


def _carry_to_derived(obj: Any, level: str) -> dict[str, Any]:
    """The records derived from ``obj`` that keep a 密级 of their own follow it: a case's integrity-file entries
    (they outlive a purged case, so they hold the level themselves). Every other derived record — notices,
    step rows, documents, the rows behind a figure, restrictions, reminders — reads the case's or clue's
    level through its lookup (``secrecy_field``) and follows without a write. Returns what the audit event
    adds (the entries changed), nothing when none."""
    if obj._meta.label_lower != "cases.warningcase":
        return {}
    from yujing.cadres.models import IntegrityRecord

    entries = IntegrityRecord.objects.filter(cadre_id=obj.target_id, source_ref=obj.number)
    ids = sorted(entries.exclude(secrecy=level).values_list("pk", flat=True))
    if not ids:
        return {}
    IntegrityRecord.objects.filter(pk__in=ids).update(secrecy=level)
    return {"integrity_records": ids}
