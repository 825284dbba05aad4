"""The roster of leading cadres and their integrity files (第三十一条, 第三十四条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yujing.orgs.models import Unit
from yujing.orgs.roles import Secrecy


class ScopeCategory(models.TextChoices):
    """第三十四条: who the regulation applies to (适用), is compared with (比照) or referred to (参照)."""

    PARTY = "party", "党的机关"
    CONGRESS = "congress", "人大机关"
    GOVERNMENT = "government", "行政机关"
    CPPCC = "cppcc", "政协机关"
    COURT = "court", "审判机关"
    PROCURATORATE = "procuratorate", "检察机关"
    OTHER_PARTY_MEMBER = "other_party_member", "其他党员干部(比照执行)"
    DEMOCRATIC_PARTY = "democratic_party", "民主党派机关(参照执行)"
    PEOPLES_ORGANIZATION = "peoples_organization", "人民团体(参照执行)"
    INSTITUTION = "institution", "事业单位(参照执行)"
    VERTICAL = "vertical", "垂直管理单位(参照执行)"


APPLIES_DIRECTLY = {"party", "congress", "government", "cppcc", "court", "procuratorate"}
COMPARED = {"other_party_member"}


class Rank(models.TextChoices):
    DEPARTMENT_CHIEF = "department_chief", "正处级"
    DEPARTMENT_DEPUTY = "department_deputy", "副处级"
    SECTION_CHIEF = "section_chief", "正科级"
    SECTION_DEPUTY = "section_deputy", "副科级"
    STAFF = "staff", "科级以下"


class Cadre(models.Model):
    """A leading cadre (领导干部). ``managed_by`` is the unit whose party committee manages the
    cadre (干部管理权限) and so decides who screens and handles warnings about them (第十四条)."""

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    code = models.CharField("干部编号", max_length=32, unique=True)
    name = models.CharField("姓名", max_length=50, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_month = models.DateField("出生年月", null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cadres", verbose_name="工作单位")
    position = models.CharField("职务", max_length=100)
    rank = models.CharField("职级", max_length=32, choices=Rank.choices, blank=True)
    is_principal = models.BooleanField("主要负责人", default=False,
                                       help_text="单位主要负责人：决定由谁主谈、能否委托所在单位实施")
    managed_by = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="managed_cadres", verbose_name="管理单位(干部管理权限)"
    )
    scope_category = models.CharField("适用类别", max_length=32, choices=ScopeCategory.choices)
    is_active = models.BooleanField("在职", default=True)
    # the end of the cadre's current term (任期届满): a restriction "本届任期内" runs to it (until = "term_end")
    term_ends_on = models.DateField("任期届满日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    jurisdiction_path = "managed_by__path"
    view_actions = ("cadre.view",)

    class Meta:
        verbose_name = verbose_name_plural = "领导干部"
        ordering = ["unit__path", "-is_principal", "code"]
        indexes = [models.Index(fields=["managed_by", "is_active"], name="cadre_managed_active")]

    def __str__(self) -> str:
        return f"{self.name}({self.unit.display_name}{self.position})"

    @property
    def applicability(self) -> str:
        if self.scope_category in APPLIES_DIRECTLY:
            return "适用"
        if self.scope_category in COMPARED:
            return "比照执行"
        return "参照执行"


class IntegrityRecord(models.Model):
    """An entry in a cadre's personal integrity file (个人廉政档案, 第三十一条): the result of a
    warning, written by the case workflow when the policy says so."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="integrity_records", verbose_name="干部")
    recorded_on = models.DateField("记入日期")
    title = models.CharField("事项", max_length=200)
    content = models.TextField("内容", blank=True)
    source_ref = models.CharField("来源", max_length=100, blank=True, help_text="如案件编号")
    # the 密级 of the case the entry comes from, kept with the entry (it outlives a purged case) and changed with
    # the case's (orgs/secrecy.py): a reader of the file sees only the entries their role is cleared for
    secrecy = models.CharField("密级", max_length=12, choices=Secrecy.choices, default=Secrecy.NORMAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记入人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    jurisdiction_path = "cadre__managed_by__path"
    secrecy_field = "secrecy"
    view_actions = ("cadre.view_integrity",)

    class Meta:
        verbose_name = verbose_name_plural = "廉政档案记录"
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.recorded_on} {self.title}"
