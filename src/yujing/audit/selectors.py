from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet

from .models import Event
from .sentences import describe


def history(*objs: models.Model) -> list[Event]:
    """The events about the given objects, oldest first, each with ``sentence`` set."""
    q = Q()
    for obj in objs:
        q |= Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    events: QuerySet[Event] = Event.objects.filter(q).order_by("id") if objs else Event.objects.none()
    result = list(events)
    for event in result:
        event.sentence = describe(event.action, event.data)
    return result
