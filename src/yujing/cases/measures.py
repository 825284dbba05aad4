"""The measures of a case, read from the policy version the case keeps (DESIGN.md §2): their names,
their order, and a filter that picks cases by what their measure does, never by its key.

No measure key is special here: a case can be stored and shown under any key its policy declares.

- ``label(case)``: the name of the case's measure in its own policy (警示诫勉);
- ``ending_label(ending)``: how a case ended, in words (解除预警, 转警示诫勉, 立案查处);
- ``letter_label(case_or_policy, key)``: the title of a letter form in the case's policy (警示诫勉通知书, 警诫卡);
- ``labels(version)``: key → name of a stored policy version, in its declared order;
- ``known_measures()``: every key a case can have — the policy in force, lightest first, then the keys
  only older versions have; ``choices()`` the same with their names;
- ``where(predicate)``: a ``Q`` selecting the cases whose measure, in their own version, satisfies
  ``predicate`` (a ``policy.schema.Measure``), e.g. ``where(lambda m: m.restricted)``.

A ``PolicyVersion`` row is written once and never changed, so what is read of it is kept for the
process (by id; the parsed text by digest, in ``services._common``). A row saved — created, or loaded
from a backup — replaces its entry, so an id the database hands out again is never read stale.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from yujing.policy.loader import get_policy
from yujing.policy.schema import OUTCOMES, Measure, Policy

if TYPE_CHECKING:
    from yujing.policy.models import PolicyVersion

    from .models import Ending, WarningCase

# PolicyVersion id -> (digest, text)
_versions: dict[int, tuple[str, str]] = {}

# how a case ends other than by a measure of its policy: the lifting, and the outcomes
ENDING_WORDS = {"lifted": "解除预警", **OUTCOMES}


def _parsed(digest: str, text: str) -> Policy:
    from .services._common import _parse  # the one parse cache of stored versions (by digest)

    return _parse(digest, text)


def _remember(sender: Any = None, instance: PolicyVersion | None = None, **kwargs: Any) -> None:
    if instance is not None and instance.pk is not None:
        _versions[instance.pk] = (instance.digest, instance.text)


def _forget(sender: Any = None, instance: PolicyVersion | None = None, **kwargs: Any) -> None:
    if instance is not None:
        _versions.pop(instance.pk, None)


post_save.connect(_remember, sender="policy.PolicyVersion", dispatch_uid="cases.measures.remember")
post_delete.connect(_forget, sender="policy.PolicyVersion", dispatch_uid="cases.measures.forget")


def version_policy(version: PolicyVersion | int) -> Policy:
    """The parsed policy of a stored version (a row or its id); a query only for an id not yet read."""
    if not isinstance(version, int):
        _remember(instance=version)
        return _parsed(version.digest, version.text)
    if version not in _versions:
        from yujing.policy.models import PolicyVersion

        _versions[version] = tuple(PolicyVersion.objects.values_list("digest", "text").get(pk=version))  # type: ignore[assignment]
    return _parsed(*_versions[version])


def case_policy(case: WarningCase) -> Policy:
    """The policy the case keeps — from the row when it is loaded, else by its id (no query once read)."""
    if type(case).policy_version.is_cached(case):
        return version_policy(case.policy_version)
    if case.policy_version_id is None:  # a case not yet saved
        return get_policy()
    return version_policy(case.policy_version_id)


def name(policy: Policy, key: str) -> str:
    """The name of measure ``key`` in ``policy``; else in the policy in force; else the key itself —
    reading a case never fails on its key."""
    measure = policy.measures.get(key) or get_policy().measures.get(key)
    return measure.label if measure else key


def label(case: WarningCase) -> str:
    """The name of the case's measure in its own policy (谈话函询)."""
    return name(case_policy(case), case.measure)


def kind_label(case: WarningCase, kind: str) -> str:
    """What an ending ``kind`` of ``case`` is called in the case's policy: 解除预警, 转组织处理, 立案查处, or 转
    and the name of the measure it leads to (转警示诫勉)."""
    if kind in ENDING_WORDS:
        return ENDING_WORDS[kind]
    return "转" + name(case_policy(case), kind)


def ending_label(ending: Ending) -> str:
    """How ``ending`` is called (``kind_label``); an ending with no case yet reads the policy in force."""
    if ending.kind in ENDING_WORDS:
        return ENDING_WORDS[ending.kind]
    known = ending.case_id is not None or type(ending).case.is_cached(ending)
    return kind_label(ending.case, ending.kind) if known else "转" + name(get_policy(), ending.kind)


def letter_label(case_or_policy: WarningCase | Policy, key: str) -> str:
    """What letter form ``key`` is called (its title) in the case's policy version, or in ``policy``; else in
    the policy in force; else the key itself — reading a letter never fails on its kind."""
    policy = case_or_policy if isinstance(case_or_policy, Policy) else case_policy(case_or_policy)
    letter = policy.letter(key) or get_policy().letter(key)
    return letter.title if letter else key


def stated_content_label(case: WarningCase, key: str) -> str:
    """What the case's policy calls the content of letter ``key`` when its ``[letters.<key>]`` says so ("" when
    it does not: the form keeps its general words)."""
    own = case_policy(case).rules.letters.get(key)
    return own.content_label or "" if own else ""


def letter_labels(case_or_policy: WarningCase | Policy, keys: list[str]) -> list[str]:
    """The titles of letter forms ``keys`` (``letter_label``), in order."""
    return [letter_label(case_or_policy, key) for key in keys]


def labels(version: PolicyVersion | int) -> dict[str, str]:
    """key → name of the measures of a stored version, lightest first."""
    return {key: m.label for key, m in version_policy(version).measures.items()}


def _stored() -> list[tuple[int, Policy]]:
    """Every stored version, newest first, parsed once each by digest (one query)."""
    from yujing.policy.models import PolicyVersion

    out = []
    for pk, digest, text in PolicyVersion.objects.order_by("-first_loaded_at", "-pk").values_list("pk", "digest", "text"):
        _versions[pk] = (digest, text)
        out.append((pk, _parsed(digest, text)))
    return out


def known_measures() -> list[str]:
    """The measure keys a case can have: the policy in force in its declared order (lightest first), then
    the keys only older stored versions have (newest version first, each in its order). One query."""
    keys = list(get_policy().measures)
    for _, policy in _stored():
        keys += [k for k in policy.measures if k not in keys]
    return keys


def choices() -> list[tuple[str, str]]:
    """(key, name) of every measure a case can have, in the order of ``known_measures()``; a key only older
    versions have is named by the newest of them (a filter's options). One query."""
    named = {key: m.label for key, m in get_policy().measures.items()}
    for _, policy in _stored():
        named.update({key: m.label for key, m in policy.measures.items() if key not in named})
    return list(named.items())


def where(predicate: Callable[[Measure], bool], path: str = "") -> Q:
    """The cases whose measure, in the policy version each keeps, satisfies ``predicate``:
    ``Q(policy_version_id__in=[…], measure__in=[…]) | …``, one term per set of matching keys. ``path``
    reaches the case from another model (``"case__"``). One query, however many versions there are."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for pk, policy in _stored():
        keys = tuple(k for k, m in policy.measures.items() if predicate(m))
        if keys:
            groups.setdefault(keys, []).append(pk)
    terms = [Q(**{f"{path}policy_version_id__in": sorted(ids), f"{path}measure__in": list(keys)})
             for keys, ids in groups.items()]
    if not terms:  # no version has such a measure
        return Q(**{f"{path}pk__in": []})
    return reduce(operator.or_, terms)
