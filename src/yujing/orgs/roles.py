"""The roles people hold in a unit, and how far each role reaches.

Kept free of models so the policy loader can validate role names before the apps are ready.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """The roles, by code. The labels are neutral words for any county; what a county calls each role
    (县纪委书记, 局党组书记 …) is its policy's ``[roles]``, shown through ``policy.words.role_title``. Each
    label is part of Shou's title, which every page shows (tests/test_pages.py looks for the label)."""

    WARNING_OFFICE = "warning_office", "工作人员"  # 第四条
    SECRETARY = "secretary", "纪委书记"  # 第十七条
    DEPUTY_SECRETARY = "deputy_secretary", "纪委分管副书记"  # 第十七条
    STANDING_COMMITTEE = "standing_committee", "纪委常委"  # 第十七条
    PARTY_CHIEF = "party_chief", "主要领导"  # 第十七条, 第三十一条
    PARTY_COMMITTEE = "party_committee", "单位党委(党组)负责人"  # 第三条, 第十八条
    DISCIPLINE_BODY = "discipline_body", "单位纪委"  # 第十二条, 第十五条
    LIAISON = "liaison", "联席会议联络员"  # 第六条
    ORGANIZATION_DEPT = "organization_dept", "组织部门"  # 第三十一条
    # the organisation department's leaders, where a rule decides by 分管副部长 → 部长 (an organisation-department
    # rule); what a city calls them is its policy's [roles]
    DEPT_DEPUTY = "dept_deputy", "组织部门分管领导"
    DEPT_HEAD = "dept_head", "组织部门主要领导"
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
    Role.DEPT_DEPUTY: Reach.COUNTY,
    Role.DEPT_HEAD: Reach.COUNTY,
    Role.PERSONNEL_DEPT: Reach.COUNTY,
    Role.AUDITOR: Reach.COUNTY,
    Role.ADMIN: Reach.COUNTY,
}

class Secrecy(models.TextChoices):
    """密级 of a clue or case: who may open it is further limited by the clearance of the role held."""

    NORMAL = "normal", "一般"
    CONFIDENTIAL = "confidential", "秘密"
    SECRET = "secret", "机密"


SECRECY_ORDER = [Secrecy.NORMAL, Secrecy.CONFIDENTIAL, Secrecy.SECRET]

# The highest 密级 each role may open. The county commission (and the party chief, who is reported every
# correction) opens everything; a unit's discipline body and party committee up to 秘密; the member-unit
# liaisons, the organisation and personnel departments and the administrators only 一般.
CLEARANCE: dict[str, Secrecy] = {
    Role.WARNING_OFFICE: Secrecy.SECRET,
    Role.SECRETARY: Secrecy.SECRET,
    Role.DEPUTY_SECRETARY: Secrecy.SECRET,
    Role.STANDING_COMMITTEE: Secrecy.SECRET,
    Role.PARTY_CHIEF: Secrecy.SECRET,
    Role.AUDITOR: Secrecy.SECRET,
    Role.PARTY_COMMITTEE: Secrecy.CONFIDENTIAL,
    Role.DISCIPLINE_BODY: Secrecy.CONFIDENTIAL,
    Role.LIAISON: Secrecy.NORMAL,
    Role.ORGANIZATION_DEPT: Secrecy.NORMAL,
    Role.DEPT_DEPUTY: Secrecy.NORMAL,  # the organisation department's clearance
    Role.DEPT_HEAD: Secrecy.NORMAL,
    Role.PERSONNEL_DEPT: Secrecy.NORMAL,
    Role.ADMIN: Secrecy.NORMAL,
}


def cleared_levels(role: str, cap: str = "") -> list[str]:
    """The 密级 values a holder of ``role`` may open; ``cap`` (a user's own clearance, ``User.clearance``) lowers
    it further, never raises it."""
    top = SECRECY_ORDER.index(CLEARANCE[role])
    if cap:
        top = min(top, SECRECY_ORDER.index(Secrecy(cap)))
    return [level.value for level in SECRECY_ORDER[: top + 1]]


def within_cap(level: str, cap: str) -> bool:
    """Whether a person whose own clearance is ``cap`` (empty: none) may open ``level``."""
    return not cap or SECRECY_ORDER.index(Secrecy(level)) <= SECRECY_ORDER.index(Secrecy(cap))


ROLE_NAMES = frozenset(Role.values)

# Roles that can never decide or carry out a step of a case, and why: a policy naming one as a decider,
# talker or implementer is refused at start-up (it names a rule nobody could follow).
CANNOT_ACT: dict[str, str] = {
    Role.LIAISON: "只能看到本人经办的事项",  # 第十三条: the liaison files transfers and follows them
    Role.ADMIN: "只管理账号、单位和设置，不办理业务",
    Role.AUDITOR: "只查阅审计记录，不办理业务",
}
# Roles that read clues (orgs.access "clue.view"): only they can be shown a reporter's identity
CLUE_READERS = frozenset({Role.WARNING_OFFICE, Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_COMMITTEE,
                          Role.DISCIPLINE_BODY})
