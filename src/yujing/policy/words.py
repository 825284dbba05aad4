"""The words a policy gives its county: what each role is called (``[roles]``), the bodies and documents
named in messages (``[bodies]``), what each kind of unit is called (``[unit_kinds]``), the articles cited
for rules that are neither a measure nor a fixed section (``[citations]``), and whom cases are reported to
(``[chief]``).

Code never writes a county's words: it asks here, with the policy the text belongs to — the case's own
version for what concerns a case (``of_case``), the policy in force otherwise (``in_force``). Both are
cheap: the policy in force is parsed once per process, a case's version once per digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from yujing.orgs.roles import Role

from .schema import BODIES, CITATIONS, Policy


def role_title(policy: Policy, role: str) -> str:
    """What the county calls ``role`` (its ``[roles]``), else the role's neutral label; an unknown code is
    shown as it is (a role stored before it was removed)."""
    title = policy.rules.roles.get(role)
    if title:
        return title
    try:
        return Role(role).label
    except ValueError:
        return role


def role_titles(policy: Policy, roles: Iterable[str], sep: str = "、") -> str:
    return sep.join(role_title(policy, r) for r in roles)


def body(policy: Policy, key: str) -> str:
    """A body or document named in messages (a ``BODIES`` key): the policy's word, else the neutral one;
    ``chief`` and ``unit_chief`` default to the titles of the ``[chief]`` roles, ``regulation`` to
    《policy.name》."""
    if key not in BODIES:
        raise KeyError(f"bodies.{key}: 不是机构称谓的键")
    word = policy.rules.bodies.get(key)
    if word:
        return word
    if key == "chief":
        return role_title(policy, policy.rules.chief.county)
    if key == "unit_chief":
        return role_title(policy, policy.rules.chief.unit)
    if key == "regulation":
        return f"《{policy.rules.policy.name}》"
    return BODIES[key][1]


def local(policy: Policy, key: str) -> str:
    """The body ``key`` as the county's own, with its ``locality`` before it (Shou: 县 + 预警办 = 县预警办); just
    the body when the policy states no locality."""
    return body(policy, "locality") + body(policy, key)


def here(policy: Policy) -> str:
    """"This locality" in a message (本县 …): 本 + the policy's ``locality``, 本地 when it states none."""
    return "本" + (body(policy, "locality") or "地")


def whole(policy: Policy) -> str:
    """"The whole locality" (全县 …): 全 + the policy's ``locality``, 全辖区 when it states none."""
    return "全" + (body(policy, "locality") or "辖区")


def locality_or(policy: Policy, neutral: str) -> str:
    """The policy's ``locality`` (县, 市 …), or ``neutral`` when it states none (所在县 / 所在地区)."""
    return body(policy, "locality") or neutral


def unit_kind(policy: Policy, kind: str) -> str:
    """What the county calls a kind of unit (its ``[unit_kinds]``); the warning office, when not stated, is
    the county's ``office`` (``local``); else the kind's neutral label; an unknown code is shown as it is."""
    from yujing.orgs.models import Unit

    word = policy.rules.unit_kinds.get(kind)
    if word:
        return word
    if kind == Unit.Kind.WARNING_OFFICE:
        return local(policy, "office")
    try:
        return Unit.Kind(kind).label
    except ValueError:
        return kind


def cite(policy: Policy, key: str) -> str:
    """The article the policy cites for ``key`` (a ``CITATIONS`` key), or "" when it states none — the
    caller then shows no article."""
    if key not in CITATIONS:
        raise KeyError(f"citations.{key}: 不是引用条款的键")
    return policy.rules.citations.get(key, "")


def cited(policy: Policy, key: str, before: str = "（", after: str = "）") -> str:
    """``cite`` in brackets, ready to append to a sentence ("（第十四条）"), or "" when nothing is cited."""
    article = cite(policy, key)
    return f"{before}{article}{after}" if article else ""


class _Lookup(Mapping[str, str]):
    """``words.titles.secretary`` in a template: a read-only mapping over one kind of word."""

    def __init__(self, keys: Iterable[str], get: Any) -> None:
        self._keys = tuple(keys)
        self._get = get

    def __getitem__(self, key: str) -> str:
        if key not in self._keys:
            raise KeyError(key)
        return self._get(key)

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@dataclass(frozen=True)
class Words:
    """The words of one policy, for code (``words.role("secretary")``) and templates (``words.titles.secretary``,
    ``words.bodies.committee``, ``words.citations.case_clue``)."""

    policy: Policy

    def role(self, role: str) -> str:
        return role_title(self.policy, role)

    def roles(self, roles: Iterable[str], sep: str = "、") -> str:
        return role_titles(self.policy, roles, sep)

    def body(self, key: str) -> str:
        return body(self.policy, key)

    def local(self, key: str) -> str:
        return local(self.policy, key)

    def unit_kind(self, kind: str) -> str:
        return unit_kind(self.policy, kind)

    def here(self) -> str:
        return here(self.policy)

    def whole(self) -> str:
        return whole(self.policy)

    def locality_or(self, neutral: str) -> str:
        return locality_or(self.policy, neutral)

    @property
    def local_leaders(self) -> str:
        """Who may be asked to lead a talk, in short (请县领导主谈): the locality's 领导, else ``county_leaders``."""
        locality = body(self.policy, "locality")
        return f"{locality}领导" if locality else body(self.policy, "county_leaders")

    def cite(self, key: str) -> str:
        return cite(self.policy, key)

    def cited(self, key: str) -> str:
        return cited(self.policy, key)

    @cached_property
    def titles(self) -> Mapping[str, str]:
        return _Lookup(Role.values, self.role)

    @cached_property
    def bodies(self) -> Mapping[str, str]:
        return _Lookup(BODIES, self.body)

    @cached_property
    def citations(self) -> Mapping[str, str]:
        return _Lookup(CITATIONS, self.cite)


def in_force() -> Words:
    """The words of the policy in force (parsed once per process)."""
    from .loader import get_policy

    return Words(get_policy())


def of_case(case: Any) -> Words:
    """The words of the policy ``case`` started under (its ``policy_version``; parsed once per digest)."""
    from yujing.cases.services._common import case_policy

    return Words(case_policy(case))
