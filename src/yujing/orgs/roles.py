"""The roles people hold in a unit, and how far each role reaches.

Kept free of models so the policy loader can validate role names before the apps are ready.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    WARNING_OFFICE = "warning_office", "预警办工作人员"  # 第四条
    SECRETARY = "secretary", "县纪委书记"  # 第十七条
    DEPUTY_SECRETARY = "deputy_secretary", "县纪委分管副书记"  # 第十七条
    STANDING_COMMITTEE = "standing_committee", "县纪委常委"  # 第十七条
    PARTY_CHIEF = "party_chief", "县委主要领导"  # 第十七条, 第三十一条
    PARTY_COMMITTEE = "party_committee", "单位党委(党组)负责人"  # 第三条, 第十八条
    DISCIPLINE_BODY = "discipline_body", "单位纪委(纪检组)"  # 第十二条, 第十五条
    LIAISON = "liaison", "联席会议联络员"  # 第六条
    ORGANIZATION_DEPT = "organization_dept", "组织部门"  # 第三十一条
    PERSONNEL_DEPT = "personnel_dept", "人事部门"  # 第三十一条
    AUDITOR = "auditor", "审计员"  # reads the audit log (第三十三条(六)): who saw and changed what
    ADMIN = "admin", "系统管理员"


class Reach(models.TextChoices):
    """How far a role held in a unit reaches (干部管理权限, 谁主管、谁负责 — 第十四条)."""

    COUNTY = "county", "全县"  # the whole county the unit belongs to
    UNIT = "unit", "本单位及下属单位"  # the unit and the units below it
    OWN = "own", "仅本人经办事项"  # only what the holder filed (liaisons, 第十三条)


ROLE_REACH: dict[str, Reach] = {
    Role.WARNING_OFFICE: Reach.COUNTY,
    Role.SECRETARY: Reach.COUNTY,
    Role.DEPUTY_SECRETARY: Reach.COUNTY,
    Role.STANDING_COMMITTEE: Reach.COUNTY,
    Role.PARTY_CHIEF: Reach.COUNTY,
    Role.PARTY_COMMITTEE: Reach.UNIT,
    Role.DISCIPLINE_BODY: Reach.UNIT,
    Role.LIAISON: Reach.OWN,
    Role.ORGANIZATION_DEPT: Reach.COUNTY,
    Role.PERSONNEL_DEPT: Reach.COUNTY,
    Role.AUDITOR: Reach.COUNTY,
    Role.ADMIN: Reach.COUNTY,
}

ROLE_NAMES = frozenset(Role.values)
