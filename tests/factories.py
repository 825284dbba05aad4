"""Factories that build through the services, so test data obeys the same rules as real data."""

from __future__ import annotations

import itertools

import factory

from yujing.cadres.models import Cadre, Rank, ScopeCategory
from yujing.orgs import services as org_services
from yujing.orgs.models import Unit

_codes = itertools.count(1)


def make_unit(name: str, kind: str = Unit.Kind.COUNTY_UNIT, parent: Unit | None = None, **kwargs) -> Unit:
    return org_services.create_unit(name=name, code=kwargs.pop("code", f"T{next(_codes):05d}"), kind=kind,
                                    parent=parent, **kwargs)


def make_user(username: str, role: str | None = None, unit: Unit | None = None, password: str = "Test-pass-2026"):
    user = org_services.create_user(username=username, full_name=username, unit=unit, password=password)
    if role:
        org_services.assign_role(user=user, unit=unit, role=role)
    return user


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    code = factory.Sequence(lambda n: f"C{n:06d}")
    name = factory.Faker("name", locale="zh_CN")
    position = "副局长"
    rank = Rank.SECTION_DEPUTY
    scope_category = ScopeCategory.GOVERNMENT
    unit = None
    managed_by = factory.LazyAttribute(lambda o: o.unit)
