"""Who may do what, and to which objects — decided here and nowhere else.

Every view, API operation and command asks this module:

- :func:`restrict` scopes a queryset to the objects a user may act on (every selector starts here);
- :func:`can` answers one question about one object (or about an action in general);
- :func:`get_object_or_deny` fetches one object: outside the user's jurisdiction it is *not found*
  (404, the same as missing — nothing leaks), inside it with the wrong role it is *forbidden* (403).

Jurisdiction follows 干部管理权限 and 谁主管、谁负责 (第十四条): a role held in a unit reaches the
whole county (county-level roles), the unit and the units below it (unit roles), or only what the
holder filed (liaisons, 第十三条). A model declares where its jurisdiction lies with the class
attribute ``jurisdiction_path`` (a lookup to a ``Unit.path``) and, for "own" reach, ``owner_unit_field``
(a lookup to the unit that owns the object, e.g. the member unit that transferred a clue);
``view_actions`` names the actions that let a user see the object at all.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from .roles import ROLE_REACH, Reach, Role, cleared_levels

ALL_ROLES = frozenset(Role)
DISCIPLINE_ROLES = frozenset(
    {
        Role.WARNING_OFFICE,
        Role.SECRETARY,
        Role.DEPUTY_SECRETARY,
        Role.STANDING_COMMITTEE,
        Role.PARTY_CHIEF,
        Role.PARTY_COMMITTEE,
        Role.DISCIPLINE_BODY,
    }
)
# the organisation department's leaders read the roster and ask about restrictions as the department does;
# what they decide, and so which cases they see, comes from the policy (case.decide, case.view_deciding)
HR_ROLES = frozenset({Role.ORGANIZATION_DEPT, Role.PERSONNEL_DEPT, Role.DEPT_DEPUTY, Role.DEPT_HEAD})

CLUE_ROLES = frozenset(
    {
        Role.WARNING_OFFICE,
        Role.SECRETARY,
        Role.DEPUTY_SECRETARY,
        Role.STANDING_COMMITTEE,
        Role.PARTY_COMMITTEE,
        Role.DISCIPLINE_BODY,
    }
)
# the bodies that take in and screen clues: the county warning office (第十七条) and each unit's
# discipline body (第十二条, 第十五条)
SCREENING_ROLES = frozenset({Role.WARNING_OFFICE, Role.DISCIPLINE_BODY})

# action -> roles that may take it (within their jurisdiction). New actions are added here only.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "unit.view": ALL_ROLES,
    "cadre.view": DISCIPLINE_ROLES | HR_ROLES | {Role.ADMIN},
    # 个人廉政档案 (第三十一条): the discipline side, and the organisation department that consults it
    "cadre.view_integrity": DISCIPLINE_ROLES | {Role.ORGANIZATION_DEPT},
    "cadre.import": frozenset({Role.ORGANIZATION_DEPT, Role.ADMIN}),
    # finding a cadre by name to file a clue about them (county-wide, names and posts only)
    "cadre.lookup": SCREENING_ROLES | {Role.LIAISON},
    # a unit's party committee decides its unit's cases (第十八条) but does not read raw clues: a clue
    # may be about the committee's own leader, a county-managed cadre awaiting report up (第三十三条(六))
    "clue.view": CLUE_ROLES - {Role.PARTY_COMMITTEE},
    "clue.register": SCREENING_ROLES,
    "clue.screen": SCREENING_ROLES,
    "clue.merge": SCREENING_ROLES,
    "clue.attach": SCREENING_ROLES,
    "clue.feedback": SCREENING_ROLES,
    # reporter identity: the roles the policy names (reporter_identity.roles), see allowed_roles()
    "clue.reveal_reporter": frozenset(),
    # the transfer form (第十三条): a member unit's liaison files it and follows its progress only
    "transfer.create": frozenset({Role.LIAISON}),
    "transfer.view": frozenset({Role.LIAISON}),
    "case.view": CLUE_ROLES,
    # 密级: the bodies that screen clues and run cases, and the commission's leaders (each only up to
    # the level their own role may open; see orgs/secrecy.py)
    "clue.classify": SCREENING_ROLES | {Role.SECRETARY, Role.DEPUTY_SECRETARY},
    "case.classify": SCREENING_ROLES | {Role.SECRETARY, Role.DEPUTY_SECRETARY},
    # 第十七条: every correction is reported to the county party chief, who sees those cases (only)
    "case.view_reported": frozenset({Role.PARTY_CHIEF}),
    # a role the policy names as a decider but that does not otherwise see cases (the organisation
    # department, the party chief): the cases of the measures it decides (added from the policy)
    "case.view_deciding": frozenset(),
    # recording the steps of a case: the warning office, or at unit level the discipline body and the
    # party committee that implement (第十八条); who may *decide* each step comes from the policy
    "case.manage": frozenset({Role.WARNING_OFFICE, Role.DISCIPLINE_BODY, Role.PARTY_COMMITTEE}),
    "case.decide": frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_COMMITTEE, Role.PARTY_COMMITTEE}),
    "ledger.view": CLUE_ROLES,
    # 书面通报 received: every role; the selector shows only what was sent to the user's own units
    "notices.inbox": ALL_ROLES,
    # is this cadre restricted today (第三十一条)? the organisation and personnel departments ask
    "restriction.query": DISCIPLINE_ROLES | HR_ROLES,
    # my work, messages: everyone (each sees only their own); the deadline board: the bodies that act
    "oversight.mywork": ALL_ROLES,
    "oversight.board": CLUE_ROLES,
    # the lapses of 第三十三条: the county supervisors, and each discipline body for its own unit
    "lapse.view": SCREENING_ROLES | {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_COMMITTEE},
    "lapse.annotate": frozenset({Role.WARNING_OFFICE, Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_COMMITTEE}),
    # quarterly reports (第四条): a unit's discipline body submits; the warning office follows, sends
    # back and rolls up; commission leaders read
    "report.view": SCREENING_ROLES | {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_COMMITTEE,
                                      Role.PARTY_COMMITTEE},
    "report.submit": frozenset({Role.DISCIPLINE_BODY}),
    "report.return": frozenset({Role.WARNING_OFFICE}),
    # the annual assessment (第三十二条): the county scores, units read their own
    "assessment.view": SCREENING_ROLES | {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_COMMITTEE,
                                          Role.PARTY_COMMITTEE},
    "assessment.score": frozenset({Role.WARNING_OFFICE, Role.SECRETARY, Role.DEPUTY_SECRETARY}),
    # the joint meeting (第五、六条): kept by the warning office, read by the commission's leaders
    "meeting.view": frozenset({Role.WARNING_OFFICE, Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_COMMITTEE}),
    "meeting.manage": frozenset({Role.WARNING_OFFICE}),
    "policy.view": ALL_ROLES,
    "calendar.manage": frozenset({Role.ADMIN}),
    "audit.verify": frozenset({Role.ADMIN, Role.AUDITOR}),
    # the retention purge (销毁) of archived cases past the policy's keep_years: the administrator,
    # who sees numbers and dates only (cases/services/purge.py)
    "case.purge": frozenset({Role.ADMIN}),
    # the audit log: who did and saw what — the auditor and the commission secretary
    "audit.view": frozenset({Role.AUDITOR, Role.SECRETARY}),
}
POLICY_ROLE_ACTIONS = {"clue.reveal_reporter": "reporter_identity"}
def _reported_q(roles: frozenset[Role]) -> Q:
    return Q(chiefreports__isnull=False)


def _reported(obj: models.Model, roles: frozenset[Role]) -> bool:
    return obj.chiefreports.exists()  # type: ignore[attr-defined]


# per policy text (by digest): its deciders; per (digest, roles): the measures those roles decide
_DECIDERS: dict[str, frozenset[Role]] = {}
_DECIDED: dict[tuple[str, frozenset[Role]], tuple[str, ...]] = {}


def _policy_deciders() -> frozenset[Role]:
    from yujing.policy.loader import get_policy

    policy = get_policy()
    if policy.digest not in _DECIDERS:
        _DECIDERS[policy.digest] = frozenset(Role(r) for r in policy.decider_roles())
    return _DECIDERS[policy.digest]


def _decided_by(roles: frozenset[Role]) -> tuple[str, ...]:
    """The measures that one of ``roles`` (the user's deciding roles) decides: each decider sees only those."""
    from yujing.policy.loader import get_policy

    policy = get_policy()
    key = (policy.digest, roles)
    if key not in _DECIDED:
        _DECIDED[key] = tuple(policy.measures_decided_by(roles))
    return _DECIDED[key]


def _deciding_q(roles: frozenset[Role]) -> Q:
    return Q(measure__in=_decided_by(roles))


def _deciding(obj: models.Model, roles: frozenset[Role]) -> bool:
    return obj.measure in _decided_by(roles)  # type: ignore[attr-defined]


# actions that hold only for some objects in the jurisdiction: (queryset filter, object test), each given
# the roles the user holds for the action
PREDICATES: dict[str, tuple[Any, Any]] = {"case.view_reported": (_reported_q, _reported),
                                         "case.view_deciding": (_deciding_q, _deciding)}


@dataclass(frozen=True)
class Grant:
    """One role held by the user, with the unit-path prefix it reaches."""

    role: Role
    unit_id: int
    scope_path: str
    reach: Reach
    # the 密级 values the grant opens: the role's clearance, capped by the user's own (User.clearance)
    levels: tuple[str, ...] = ()


M = TypeVar("M", bound=models.Model)


def grants(user: Any) -> tuple[Grant, ...]:
    """The user's active roles and their reach; computed once per user object (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_yujing_grants", None)
    if cached is not None:
        return cached
    from .models import RoleAssignment, Unit

    held = RoleAssignment.objects.filter(user=user, is_active=True, unit__is_active=True)
    bound = getattr(user, "_yujing_binding", None)
    if bound is not None:  # an API token: only the role it is bound to, in its unit
        held = held.filter(role=bound[0], unit_id=bound[1])
    rows = list(held.values_list("role", "unit_id", "unit__path"))
    # the person's own clearance caps every role (the user row is read afresh on every request)
    cap = getattr(user, "clearance", "") or ""
    ancestor_ids = {int(p) for _, _, path in rows for p in path.strip("/").split("/") if p}
    counties = dict(
        Unit.objects.filter(id__in=ancestor_ids, kind=Unit.Kind.COUNTY).values_list("id", "path")
    )
    result: list[Grant] = []
    for role, unit_id, path in rows:
        reach = ROLE_REACH[role]
        scope = path
        if reach is Reach.COUNTY:
            ids = [int(p) for p in path.strip("/").split("/") if p]
            county_paths = [counties[i] for i in ids if i in counties]
            # the nearest county above (or at) the unit; a role outside any county reaches its unit
            scope = county_paths[-1] if county_paths else path
        result.append(Grant(Role(role), unit_id, scope, reach, tuple(cleared_levels(role, cap))))
    user._yujing_grants = tuple(result)
    return user._yujing_grants


def county_paths(user: Any) -> list[str]:
    """The paths of the counties the user's units belong to (for county-wide look-ups)."""
    from .models import Unit

    paths = set()
    for grant in grants(user):
        if grant.reach is Reach.COUNTY:
            paths.add(grant.scope_path)
        else:
            unit = Unit.objects.filter(pk=grant.unit_id).only("path").first()
            ids = [int(p) for p in unit.path.strip("/").split("/") if p] if unit else []
            county = Unit.objects.filter(id__in=ids, kind=Unit.Kind.COUNTY).order_by("-depth").first()
            paths.add(county.path if county else (unit.path if unit else ""))
    return minimal_prefixes(p for p in paths if p)


def grant_units(user: Any, action: str) -> list[int]:
    """Ids of the units in which the user holds a role that may take ``action``."""
    allowed = allowed_roles(action)
    return sorted({g.unit_id for g in grants(user) if g.role in allowed})


def bind(user: Any, *, role: str, unit_id: int) -> None:
    """Limit ``user`` (this object, for this request) to one role in one unit: an API token's binding."""
    user._yujing_binding = (role, unit_id)
    forget(user)


def forget(user: Any) -> None:
    """Drop the cached grants after the user's roles change."""
    user.__dict__.pop("_yujing_grants", None)


def roles(user: Any) -> frozenset[Role]:
    return frozenset(g.role for g in grants(user))


def has_role(user: Any, *wanted: Role) -> bool:
    return bool(roles(user) & set(wanted))


def allowed_roles(action: str) -> frozenset[Role]:
    try:
        roles = PERMISSIONS[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}: add it to orgs.access.PERMISSIONS") from None
    if action in POLICY_ROLE_ACTIONS:
        from yujing.policy.loader import get_policy

        rule = getattr(get_policy().rules, POLICY_ROLE_ACTIONS[action])
        roles = frozenset(Role(r) for r in rule.roles)
    if action == "case.decide":
        roles = roles | _policy_deciders()
    elif action == "case.view_deciding":
        roles = _policy_deciders() - PERMISSIONS["case.view"]
    return roles


def minimal_prefixes(prefixes: Iterable[str]) -> list[str]:
    """Drop prefixes covered by a shorter one (a county covers its townships)."""
    result: list[str] = []
    for prefix in sorted(set(prefixes), key=len):
        if not any(prefix.startswith(p) for p in result):
            result.append(prefix)
    return result


def _scope_q(model: type[models.Model], user: Any, grant_list: Iterable[Grant]) -> Q | None:
    grant_list = list(grant_list)
    path_field = model.jurisdiction_path  # type: ignore[attr-defined]
    owner_field = getattr(model, "owner_unit_field", None)
    q: Q | None = None
    unit_prefixes = minimal_prefixes(g.scope_path for g in grant_list if g.reach is not Reach.OWN)
    for prefix in unit_prefixes:
        part = Q(**{f"{path_field}__startswith": prefix})
        q = part if q is None else q | part
    own_units = sorted({g.unit_id for g in grant_list if g.reach is Reach.OWN})
    if owner_field and own_units:
        part = Q(**{f"{owner_field}__in": own_units})
        q = part if q is None else q | part
    return q


def _action_q(model: type[models.Model], user: Any, action: str) -> Q | None:
    allowed = allowed_roles(action)
    usable = [g for g in grants(user) if g.role in allowed]
    secrecy_field = getattr(model, "secrecy_field", None)
    if not secrecy_field or not usable:
        q = _scope_q(model, user, usable) if usable else None
    else:
        # 密级: each grant reaches only the levels its role is cleared for
        q = None
        by_levels: dict[tuple[str, ...], list[Grant]] = {}
        for grant in usable:
            by_levels.setdefault(grant.levels, []).append(grant)
        for levels, group in by_levels.items():
            part = _scope_q(model, user, group)
            if part is None:
                continue
            part &= Q(**{f"{secrecy_field}__in": levels})
            q = part if q is None else q | part
    if q is not None and action in PREDICATES:
        q &= PREDICATES[action][0](frozenset(g.role for g in usable))
    return q


def restrict(queryset: QuerySet[M], user: Any, action: str, *more: str) -> QuerySet[M]:
    """The part of ``queryset`` on which ``user`` may take ``action`` (or any of ``more``)."""
    q: Q | None = None
    for each in (action, *more):
        part = _action_q(queryset.model, user, each)
        if part is not None:
            q = part if q is None else q | part
    if q is None:
        return queryset.none()
    joins = any(a in PREDICATES for a in (action, *more))
    return queryset.filter(q).distinct() if joins else queryset.filter(q)


def restrict_unopened(queryset: QuerySet[M], user: Any, action: str) -> QuerySet[M]:
    """Like ``restrict`` but at every 密级: only for actions that handle objects without opening
    them — the retention purge, which shows a case's number and dates and nothing of its content."""
    usable = [g for g in grants(user) if g.role in allowed_roles(action)]
    q = _scope_q(queryset.model, user, usable) if usable else None
    return queryset.filter(q) if q is not None else queryset.none()


def _follow(obj: models.Model, lookup: str) -> Any:
    """Follow ``a__b__c`` from ``obj``; None when any step is missing."""
    value: Any = obj
    for part in lookup.split("__"):
        try:
            value = getattr(value, part, None)
        except models.ObjectDoesNotExist:
            return None
        if value is None:
            return None
    return value


def _object_path(obj: models.Model) -> str:
    value = _follow(obj, type(obj).jurisdiction_path)  # type: ignore[attr-defined]
    return str(value) if value else ""


def object_path(obj: models.Model) -> str:
    """The unit path that decides who reaches ``obj`` (for audit events)."""
    return _object_path(obj)


def _reaches(grant: Grant, user: Any, obj: models.Model) -> bool:
    if grant.reach is Reach.OWN:
        owner_field = getattr(type(obj), "owner_unit_field", None)
        owner = _follow(obj, owner_field) if owner_field else None
        return owner is not None and owner.pk == grant.unit_id
    path = _object_path(obj)
    return bool(path) and path.startswith(grant.scope_path)


def in_jurisdiction(user: Any, obj: models.Model) -> bool:
    """Whether the user may see the object at all: some action of the model's ``view_actions`` is
    allowed on it. Only then may a refusal say "forbidden"; otherwise the object is "not found"."""
    view_actions = getattr(type(obj), "view_actions", None)
    if view_actions:
        return any(can(user, action, obj) for action in view_actions)
    return any(_reaches(g, user, obj) for g in grants(user))


def can(user: Any, action: str, obj: models.Model | None = None) -> bool:
    """May ``user`` take ``action`` (on ``obj``, when given)?"""
    allowed = allowed_roles(action)
    usable = [g for g in grants(user) if g.role in allowed]
    if obj is None:
        return bool(usable)
    reaching = [g for g in usable if _reaches(g, user, obj) and _cleared(g, obj)]
    if not reaching:
        return False
    return action not in PREDICATES or PREDICATES[action][1](obj, frozenset(g.role for g in reaching))


def _cleared(grant: Grant, obj: models.Model) -> bool:
    """密级: may the grant's role open ``obj`` at its level?"""
    secrecy_field = getattr(type(obj), "secrecy_field", None)
    if not secrecy_field:
        return True
    level = _follow(obj, secrecy_field) or "normal"
    return level in grant.levels


def cleared_for(user: Any, action: str | None = None, *, path: str | None = None,
                unit_id: int | None = None) -> frozenset[str]:
    """The 密级 values the user may open through some grant — of a role that may take ``action`` (any role
    when None), reaching the unit ``path`` (when given) or held in ``unit_id`` (when given). A derived record
    (an integrity-file entry, a notice, a row behind a figure, a restriction) is shown in full only at these
    levels of its source."""
    allowed = allowed_roles(action) if action else ALL_ROLES
    levels: set[str] = set()
    for grant in grants(user):
        if grant.role not in allowed:
            continue
        if unit_id is not None and grant.unit_id != unit_id:
            continue
        if path is not None and grant.reach is not Reach.OWN and not path.startswith(grant.scope_path):
            continue
        levels.update(grant.levels)
    return frozenset(levels)


def has_role_over(user: Any, roles: Iterable[str], obj: models.Model) -> Role | None:
    """The first of ``roles`` (a policy's list, e.g. approvers) that the user holds with the object in
    its reach, or None. The policy names the tier; this checks the person holds it *there*."""
    wanted = [Role(r) for r in roles]
    held = {g.role for g in grants(user) if g.role in wanted and _reaches(g, user, obj) and _cleared(g, obj)}
    return next((r for r in wanted if r in held), None)


def require(user: Any, action: str, obj: models.Model | None = None) -> None:
    """Raise 404 when the user may not see ``obj`` at all, 403 when they may see it but not do this."""
    if obj is not None and not in_jurisdiction(user, obj):
        raise Http404("未找到")
    if not can(user, action, obj):
        raise PermissionDenied("您没有进行此操作的权限")


def get_visible_or_404(queryset: QuerySet[M], user: Any, **lookup: Any) -> M:
    """Fetch one object the user may see at all (any of its model's ``view_actions``)."""
    obj = queryset.filter(**lookup).first()
    if obj is None or not in_jurisdiction(user, obj):
        raise Http404("未找到")
    return obj


def get_object_or_deny(queryset: QuerySet[M], user: Any, action: str, **lookup: Any) -> M:
    """Fetch one object for ``action``: missing and out-of-jurisdiction are both 404."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404("未找到")
    require(user, action, obj)
    return obj


def permission_required(action: str, *, per_object: bool = False):
    """View decorator declaring the view's action.

    A list or form view (``per_object=False``) needs some role that may take ``action``. An object
    view (``per_object=True``) leaves the decision to :func:`get_object_or_deny`, so that an object
    outside the user's jurisdiction is 404 even for a role that may never take the action.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not per_object and not can(request.user, action):
                raise PermissionDenied("您没有进行此操作的权限")
            return view(request, *args, **kwargs)

        wrapped.yujing_action = action  # read by the URL-walking test
        return wrapped

    return decorator
