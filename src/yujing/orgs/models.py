"""Units, people and the roles people hold in units (第三至六条)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from .roles import ROLE_REACH, Reach, Role, Secrecy


class Unit(models.Model):
    """A unit in the tree: county → county committee, commission, townships, county-level units.

    ``path`` is the materialised path of zero-padded ids (``/0000001/0000007/``), so "this unit and everything below it"
    is one indexed prefix match — the basis of every jurisdiction check (干部管理权限, 第十四条).
    """

    class Kind(models.TextChoices):
        REGION = "region", "上级地区"
        COUNTY = "county", "县(区)"
        # neutral labels: what a county calls them is its policy's [unit_kinds] (Unit.get_kind_display)
        COUNTY_COMMITTEE = "county_committee", "本级党委"
        DISCIPLINE_COMMISSION = "discipline_commission", "本级纪委监委"
        WARNING_OFFICE = "warning_office", "预警工作办公室"  # 第四条
        TOWNSHIP = "township", "乡镇"
        COUNTY_UNIT = "county_unit", "本级直属单位"
        ORGANIZATION_DEPT = "organization_dept", "组织部门"
        PERSONNEL_DEPT = "personnel_dept", "人事部门"
        ENFORCEMENT = "enforcement", "执纪执法机关"  # 第十三条
        SUBUNIT = "subunit", "内设或下属机构"

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    code = models.CharField("单位代码", max_length=32, unique=True)
    kind = models.CharField("类别", max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级单位"
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    doc_prefix = models.CharField("发文代字", max_length=20, blank=True, help_text="如“寿纪预”，用于发文字号")
    is_joint_member = models.BooleanField("联席会议成员单位", default=False,
                                          help_text="参加预警工作联席会议的成员单位")
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    jurisdiction_path = "path"
    view_actions = ("unit.view",)

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="unit_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def get_kind_display(self) -> str:
        """The kind as the policy in force calls it (``[unit_kinds]``; the warning office by its ``office``)."""
        from yujing.policy.words import in_force

        return in_force().unit_kind(self.kind)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class User(AbstractUser):
    """A person who works in Yujing. Roles are held per unit (:class:`RoleAssignment`)."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name="所在单位"
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    title = models.CharField("职务", max_length=50, blank=True)
    must_change_password = models.BooleanField("须修改初始密码", default=False)
    # the person's own clearance (issue 18 item 13): a cap on what each of their roles may open; empty = each
    # role's own level (roles.CLEARANCE). Set only by orgs.services.set_clearance (audited)
    clearance = models.CharField("本人密级上限", max_length=12, choices=Secrecy.choices, blank=True, default="",
                                 help_text="空：按所任角色可知悉的密级；设定后，本人各角色可知悉的密级均不超过此级")
    # up to when the user has been told what others changed on the account (orgs.accounts.tell_when_cleared):
    # moved only by a sign-in that owes nothing more (TOTP, forced password change), not by the password alone
    account_notice_mark = models.DateTimeField("账户变更已告知至", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def __str__(self) -> str:
        return self.get_full_name()


class RoleAssignment(models.Model):
    """A role held by a user in a unit; the role's reach (:data:`ROLE_REACH`) sets its jurisdiction."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="用户")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="role_assignments", verbose_name="单位")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    is_active = models.BooleanField("有效", default=True)
    assigned_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="role_assignment_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="role_assignment_role_valid"),
        ]

    def __str__(self) -> str:
        from yujing.policy.words import in_force

        return f"{self.user} · {self.unit.display_name} · {in_force().role(self.role)}"

    @property
    def reach(self) -> Reach:
        return ROLE_REACH[self.role]


class Relation(models.Model):
    """A relation a user declares to a cadre (回避): kin, former subordinate, business partner … The user
    may not then handle, approve or talk in a case about that cadre."""

    class Kind(models.TextChoices):
        KIN = "kin", "近亲属"
        WORK = "work", "曾有直接上下级关系"
        INTEREST = "interest", "利害关系"
        OTHER = "other", "其他可能影响公正处理的关系"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="relations", verbose_name="用户")
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.CASCADE, related_name="+", verbose_name="干部")
    kind = models.CharField("关系", max_length=12, choices=Kind.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "回避关系申报"
        constraints = [models.UniqueConstraint(fields=["user", "cadre"], name="relation_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.cadre}（{self.get_kind_display()}）"


class PasswordHistory(models.Model):
    """A password a user has had, as its hash only (never the text): a new password may not repeat the last
    five, and the newest entry's time is when the password was last changed (its expiry counts from it).
    Written by the password validators' ``password_changed`` hook (orgs/passwords.py), on every path."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history", verbose_name="用户")
    password = models.CharField("密码哈希", max_length=128)
    changed_at = models.DateTimeField("设置时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "历史密码"
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        from yujing.core.dates import office_day

        return f"{self.user} · {office_day(self.changed_at):%Y-%m-%d}"
