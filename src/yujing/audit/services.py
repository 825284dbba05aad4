"""Writing audit events. Every service function that changes state calls :func:`record` inside
its own transaction, so the change and its event commit or roll back together."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from .models import ChainHead, Event

GENESIS = "0" * 64


@dataclass(frozen=True)
class Origin:
    """Where a request came from; views pass it so events carry the address."""

    ip: str | None = None

    @classmethod
    def from_request(cls, request: Any) -> Origin:
        if request is None:
            return cls()
        return cls(ip=request.META.get("REMOTE_ADDR") or None)


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_digest(prev_hash: str, *, at: datetime, actor_id: int | None, action: str, object_type: str,
                 object_id: str, unit_path: str, ip: str | None, data: dict[str, Any]) -> str:
    body = canonical(
        {
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "unit_path": unit_path,
            "ip": ip,
            "data": data,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def record(
    action: str,
    *,
    by: Any,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    unit_path: str = "",
    origin: Origin | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one event named ``<app>.<noun>.<past-verb>`` (e.g. ``cadres.roster.imported``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    # milliseconds: what every serialisation keeps (a backup's JSON among them), so the hash survives
    at = at or timezone.now()
    at = at.replace(microsecond=at.microsecond // 1000 * 1000)
    data = json.loads(canonical(data or {}))  # exactly what will be hashed and stored
    actor = by if getattr(by, "pk", None) else None
    # Take the chain lock first: the UPDATE locks the row on PostgreSQL and the database on SQLite.
    updated = ChainHead.objects.filter(pk=1).update(count=F("count") + 1)
    if not updated:
        ChainHead.objects.create(pk=1, last_hash=GENESIS, count=1)
    head = ChainHead.objects.select_for_update().get(pk=1)
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    ip = origin.ip if origin else None
    digest = event_digest(
        head.last_hash, at=at, actor_id=actor.pk if actor else None, action=action, object_type=object_type,
        object_id=object_id, unit_path=unit_path, ip=ip, data=data,
    )
    event = Event.objects.create(
        at=at,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "系统",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        unit_path=unit_path,
        ip=ip,
        data=data,
        prev_hash=head.last_hash,
        hash=digest,
    )
    ChainHead.objects.filter(pk=1).update(last_hash=digest)
    return event


def record_view(action: str, *, by: Any, obj: models.Model | None, unit_path: str, origin: Origin | None,
                data: dict[str, Any] | None = None) -> Event:
    """Log a read of something confidential (a clue, a case, a cadre's integrity file, a report) in its
    own transaction. The page and the API call this with the same arguments, so a read through either
    leaves the same event (第三十三条(六))."""
    with transaction.atomic():
        return record(action, by=by, obj=obj, data=data, unit_path=unit_path, origin=origin)


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    reason: str


def verify_chain(batch: int = 5000) -> ChainBreak | None:
    """Walk the chain in order; return the first broken event, or None when the chain holds."""
    prev, count = GENESIS, 0
    last_id = 0
    while True:
        rows = list(Event.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for event in rows:
            if event.prev_hash != prev:
                return ChainBreak(event.id, "与前一事件的链接不符（其前有事件被删除、插入或修改）")
            expected = event_digest(
                prev, at=event.at, actor_id=event.actor_id, action=event.action, object_type=event.object_type,
                object_id=event.object_id, unit_path=event.unit_path, ip=event.ip, data=event.data,
            )
            if expected != event.hash:
                return ChainBreak(event.id, "事件内容与其哈希不符（被修改）")
            prev, count, last_id = event.hash, count + 1, event.id
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        return None if count == 0 else ChainBreak(None, "缺少链头记录")
    if head.last_hash != prev or head.count != count:
        return ChainBreak(None, f"链尾不符：链头记录 {head.count} 条，实有 {count} 条（末尾事件被删除或追加）")
    return None
