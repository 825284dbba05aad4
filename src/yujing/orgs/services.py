"""Changes to units, users and roles. Each is one transaction with its audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yujing.audit.services import Origin, record

from . import access
from .models import RoleAssignment, Unit, User
from .roles import Role, Secrecy


def _require_admin(by: Any) -> None:
    # Setting up units and people is an administrator's job; the demo loader passes by=None.
    if by is not None and not access.has_role(by, Role.ADMIN) and not getattr(by, "is_superuser", False):
        raise ValidationError("只有系统管理员可以维护单位、用户和角色")


@transaction.atomic
def create_unit(
    *,
    name: str,
    code: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    doc_prefix: str = "",
    is_joint_member: bool = False,
    sort_order: int = 0,
    by: Any = None,
    origin: Origin | None = None,
) -> Unit:
    """Add a unit under ``parent``; its materialised path is set from the new id."""
    _require_admin(by)
    if not name.strip():
        raise ValidationError("单位名称不能为空")
    if kind not in Unit.Kind.values:
        raise ValidationError(f"未知的单位类别“{kind}”")
    if Unit.objects.filter(code=code).exists():
        raise ValidationError(f"单位代码“{code}”已被使用")
    unit = Unit(
        name=name.strip(),
        code=code,
        kind=kind,
        parent=parent,
        short_name=short_name,
        doc_prefix=doc_prefix,
        is_joint_member=is_joint_member,
        sort_order=sort_order,
        # a unique placeholder until the id is known
        path=f"~{code}",
        depth=(parent.depth + 1) if parent else 0,
    )
    unit.save()
    # fixed-width segments keep the lexical order of paths equal to the tree order
    unit.path = f"{parent.path if parent else '/'}{unit.pk:07d}/"
    unit.save(update_fields=["path"])
    record("orgs.unit.created", by=by, obj=unit, unit_path=unit.path, origin=origin,
           data={"name": unit.name, "code": code, "kind": kind, "parent": parent.pk if parent else None})
    return unit


@transaction.atomic
def create_user(
    *,
    username: str,
    full_name: str,
    unit: Unit | None,
    password: str | None,
    title: str = "",
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    must_change_password: bool = False,
    by: Any = None,
    origin: Origin | None = None,
) -> User:
    _require_admin(by)
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名“{username}”已存在")
    user = User(
        username=username,
        full_name=full_name,
        unit=unit,
        title=title,
        email=email,
        is_staff=is_staff,
        is_superuser=is_superuser,
        must_change_password=must_change_password,
    )
    if password:
        if by is not None:  # the demo loader's documented password is changed at first sign-in
            from django.contrib.auth.password_validation import validate_password

            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record("orgs.user.created", by=by, obj=user, unit_path=unit.path if unit else "", origin=origin,
           data={"username": username, "unit": unit.pk if unit else None})
    return user


@transaction.atomic
def assign_role(*, user: User, unit: Unit, role: str, by: Any = None, origin: Origin | None = None) -> RoleAssignment:
    _require_admin(by)
    if by is not None and by.pk == user.pk:  # 三员分立: no one grants himself a role
        raise ValidationError("不能为本人授予角色，请由另一名系统管理员办理")
    if role not in Role.values:
        raise ValidationError(f"未知角色“{role}”")
    from .accounts import clearance

    before = clearance(user)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if not created and not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active"])
    record("orgs.role.assigned", by=by, obj=assignment, unit_path=unit.path, origin=origin,
           data={"user": user.pk, "unit": unit.pk, "role": role, "clearance": [before, clearance(user)]})
    access.forget(user)
    return assignment


@transaction.atomic
def set_clearance(*, user: User, level: str, reason: str, by: Any, origin: Origin | None = None) -> User:
    """Set (or, with ``level`` empty, clear) a person's own clearance: a cap on the 密级 every one of their roles
    may open (issue 18 item 13). The administrator sets it on the commission's decision, stating it."""
    _require_admin(by)
    locked = User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, list[str]] = {}
    if level and level not in Secrecy.values:
        errors["level"] = ["请选择密级上限"]
    elif level == locked.clearance:
        errors["level"] = [f"密级上限已是“{Secrecy(level).label}”" if level else "该用户未设本人密级上限"]
    if not reason.strip():
        errors["reason"] = ["请说明设定或取消本人密级上限的依据"]
    elif len(reason) > 200:
        errors["reason"] = ["依据不能超过200字"]
    if errors:
        raise ValidationError(errors)
    before = locked.clearance
    locked.clearance = level
    locked.save(update_fields=["clearance"])
    record("orgs.user.clearance_set", by=by, obj=locked, unit_path=locked.unit.path if locked.unit else "",
           origin=origin, data={"user": locked.pk, "from": before, "to": level, "reason": reason.strip()})
    user.clearance = level
    access.forget(user)
    return locked


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, by: Any, origin: Origin | None = None) -> RoleAssignment:
    from .accounts import clearance

    _require_admin(by)
    before = clearance(assignment.user)
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    record("orgs.role.revoked", by=by, obj=assignment, unit_path=assignment.unit.path, origin=origin,
           data={"user": assignment.user_id, "unit": assignment.unit_id, "role": assignment.role,
                 "clearance": [before, clearance(assignment.user)]})
    access.forget(assignment.user)
    return assignment


@transaction.atomic
def password_changed(*, user: User, origin: Origin | None = None) -> User:
    """Record a password change by the user; the initial password no longer has to be changed."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    record("orgs.user.password_changed", by=user, obj=user, unit_path=user.unit.path if user.unit else "",
           origin=origin)
    return user


@transaction.atomic
def declare_relation(*, user: User, cadre_ref: str, kind: str, note: str = "", origin: Origin | None = None):
    """A user declares a relation to a cadre of their county (回避). From then on every case service refuses
    to let them screen, approve or talk about that cadre. Only an administrator may withdraw it."""
    from django.db.models import Q

    from yujing.cadres.selectors import in_users_county

    from .models import Relation

    errors: dict[str, list[str]] = {}
    ref = cadre_ref.strip()
    if kind not in Relation.Kind.values:
        errors["kind"] = ["请选择关系类别"]
    if len(note) > 200:
        errors["note"] = ["说明不能超过200字"]
    cadre = None
    if not ref:
        errors["cadre"] = ["请填写干部编号或姓名"]
    else:
        found = list(in_users_county(user).filter(Q(code__iexact=ref) | Q(name=ref))
                     .select_related("unit").order_by("code")[:6])
        if not found:
            from yujing.policy.words import in_force

            errors["cadre"] = [f"{in_force().here()}干部名册中没有“{ref}”"]
        elif len(found) > 1:
            names = "；".join(f"{c.name}（{c.unit.name}{c.position}，编号{c.code}）" for c in found[:5])
            errors["cadre"] = [f"名册中有{len(found)}人名为“{ref}”，请改填干部编号：{names}"]
        else:
            cadre = found[0]
            if Relation.objects.filter(user=user, cadre=cadre).exists():
                errors["cadre"] = [f"已申报过与{cadre.name}的关系"]
    if errors:
        raise ValidationError(errors)
    relation = Relation.objects.create(user=user, cadre=cadre, kind=kind, note=note.strip())
    record("orgs.relation.declared", by=user, obj=relation, unit_path=user.unit.path if user.unit else "",
           origin=origin, data={"cadre": cadre.pk, "kind": kind})
    return relation


@transaction.atomic
def withdraw_relation(*, relation: Any, by: Any, reason: str = "", origin: Origin | None = None) -> None:
    """An administrator withdraws a declaration made in error; the audit trail keeps it."""
    _require_admin(by)
    record("orgs.relation.withdrawn", by=by, obj=relation, origin=origin,
           data={"user": relation.user_id, "cadre": relation.cadre_id, "kind": relation.kind, "reason": reason})
    relation.delete()
