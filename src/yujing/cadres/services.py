"""Changes to the cadre roster. The import is all-or-nothing, in one transaction, with one event."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from yujing.audit.services import Origin, record
from yujing.orgs import access
from yujing.orgs.models import Unit

from .models import Cadre, IntegrityRecord
from .roster import RosterError, RowError, clean_row, read_roster

FIELDS = (
    "name",
    "gender",
    "birth_month",
    "unit_id",
    "position",
    "rank",
    "is_principal",
    "managed_by_id",
    "scope_category",
    "is_active",
    "note",
    "term_ends_on",
)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _unit_index(by: Any) -> tuple[dict[str, Unit], set[str]]:
    """Units the importer may place cadres in, by name, short name and code."""
    units = access.restrict(Unit.objects.filter(is_active=True), by, "cadre.import")
    index: dict[str, Unit] = {}
    names: Counter[str] = Counter()
    rows = list(units.only("id", "name", "short_name", "code", "path"))
    for unit in rows:
        for key in {unit.name, unit.short_name} - {""}:
            names[key] += 1
    ambiguous = {name for name, n in names.items() if n > 1}
    for unit in rows:
        index[unit.code] = unit
        for key in {unit.name, unit.short_name} - {""}:
            if key not in ambiguous:
                index.setdefault(key, unit)
    return index, ambiguous


def import_roster(*, data: bytes, by: Any, origin: Origin | None = None, filename: str = "") -> ImportResult:
    """Import the organisation department's roster (XLSX): new codes are added, known codes updated.

    Raises :class:`RosterError` with every problem found, having written nothing.
    """
    if not access.can(by, "cadre.import"):
        raise PermissionDenied("只有组织部门和系统管理员可以导入干部名册")
    rows = read_roster(data)
    units, ambiguous = _unit_index(by)
    cleaned: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        values, row_errors = clean_row(row, units, ambiguous)
        code = values.get("code")
        if code:
            if code in seen:
                row_errors.append(RowError(row.row, "干部编号", f"与第{seen[code]}行重复"))
            else:
                seen[code] = row.row
        errors.extend(row_errors)
        cleaned.append((row.row, values))
    if errors:
        raise RosterError(errors)
    return _write(cleaned, by=by, origin=origin, digest=hashlib.sha256(data).hexdigest(), filename=filename)


@transaction.atomic
def _write(cleaned: list[tuple[int, dict[str, Any]]], *, by: Any, origin: Origin | None, digest: str,
           filename: str) -> ImportResult:
    codes = [values["code"] for _, values in cleaned]
    existing: dict[str, Cadre] = {}
    for start in range(0, len(codes), 2000):
        chunk = codes[start : start + 2000]
        for cadre in Cadre.objects.select_for_update().filter(code__in=chunk).select_related("managed_by"):
            existing[cadre.code] = cadre
    errors = [
        RowError(number, "干部编号", "该编号的干部不在您的管辖范围内，不能修改")
        for number, values in cleaned
        if values["code"] in existing and not access.can(by, "cadre.import", existing[values["code"]])
    ]
    if errors:
        raise RosterError(errors)
    to_create: list[Cadre] = []
    to_update: list[Cadre] = []
    changed_fields: set[str] = set()
    unchanged = 0
    now = timezone.now()
    for _, values in cleaned:
        fields = {
            **{k: v for k, v in values.items() if k not in {"unit", "managed_by", "code"}},
            "unit_id": values["unit"].pk,
            "managed_by_id": values["managed_by"].pk,
        }
        cadre = existing.get(values["code"])
        if cadre is None:
            to_create.append(Cadre(code=values["code"], **fields))
            continue
        changed = [k for k in FIELDS if getattr(cadre, k) != fields[k]]
        if not changed:
            unchanged += 1
            continue
        for key in changed:
            setattr(cadre, key, fields[key])
        cadre.updated_at = now
        changed_fields.update(changed)
        to_update.append(cadre)
    Cadre.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        # Only the columns that changed, in small batches: bulk_update's CASE expressions grow
        # with batch size x columns, and a roster refresh usually changes one or two columns.
        Cadre.objects.bulk_update(to_update, [*sorted(changed_fields), "updated_at"], batch_size=100)
    result = ImportResult(len(to_create), len(to_update), unchanged)
    record(
        "cadres.roster.imported",
        by=by,
        origin=origin,
        unit_path=getattr(getattr(by, "unit", None), "path", ""),
        data={
            "file": filename,
            "sha256": digest,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return result


def add_integrity_record(*, cadre: Cadre, recorded_on, title: str, content: str, source_ref: str, by: Any,
                         secrecy: str, origin: Origin | None = None) -> IntegrityRecord:
    """存入个人廉政档案 (第三十一条). Called by the case workflow inside its transaction; ``secrecy`` is the 密级
    of the case the entry comes from."""
    entry = IntegrityRecord.objects.create(cadre=cadre, recorded_on=recorded_on, title=title, content=content,
                                           source_ref=source_ref, recorded_by=by, secrecy=secrecy)
    record("cadres.integrity_record.added", by=by, obj=cadre, origin=origin, unit_path=cadre.managed_by.path,
           data={"title": title, "source": source_ref, "recorded_on": recorded_on})
    return entry


__all__ = ["ImportResult", "RosterError", "add_integrity_record", "import_roster"]
