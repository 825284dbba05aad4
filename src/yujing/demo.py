"""The demo county: a fictional county (明湖县, no real names) for `make run` and the tests.

Loaded once: when the county exists already, nothing is changed, so whatever was entered since
survives every `make run`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from yujing.cadres.models import Cadre, Rank, ScopeCategory
from yujing.orgs import services as org_services
from yujing.orgs.models import Unit, User
from yujing.orgs.roles import Role

COUNTY_CODE = "MH"
DEMO_PASSWORD = "Yujing@2026"  # noqa: S105 — the documented demo password, changed at first login

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌宇浩凯健俊帆鹏辉晨亮成林波斌宁欣雪琳晓春海燕立新振东永峰德庆"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    unit_code: str
    role: Role
    title: str


USERS: tuple[DemoUser, ...] = (
    DemoUser("yjb", "预警办 方晓春", "MH-JW-YJB", Role.WARNING_OFFICE, "预警办主任"),
    DemoUser("shuji", "书记 韩立新", "MH-JW", Role.SECRETARY, "县纪委书记"),
    DemoUser("fushuji", "副书记 邵振东", "MH-JW", Role.DEPUTY_SECRETARY, "县纪委副书记"),
    DemoUser("changwei", "常委 龚雪琳", "MH-JW", Role.STANDING_COMMITTEE, "县纪委常委"),
    DemoUser("xianwei", "县委书记 钱德庆", "MH-XW", Role.PARTY_CHIEF, "县委书记"),
    DemoUser("qs_dangwei", "青石镇党委 覃永峰", "MH-QS", Role.PARTY_COMMITTEE, "青石镇党委书记"),
    DemoUser("qs_jiwei", "青石镇纪委 汤宁", "MH-QS", Role.DISCIPLINE_BODY, "青石镇纪委书记"),
    DemoUser("lianluo", "审计局联络员 莫欣", "MH-SJ", Role.LIAISON, "联席会议联络员"),
    DemoUser("zuzhibu", "组织部 向海燕", "MH-ZZB", Role.ORGANIZATION_DEPT, "干部科科长"),
    DemoUser("renshe", "人社局 孔浩", "MH-RS", Role.PERSONNEL_DEPT, "人事科科长"),
    DemoUser("admin", "系统管理员", "MH-JW", Role.ADMIN, "信息中心"),
)

# code, name, short name, kind, parent code, doc prefix, joint member
UNITS: tuple[tuple[str, str, str, str, str | None, str, bool], ...] = (
    ("MH", "明湖县", "明湖县", Unit.Kind.COUNTY, None, "", False),
    ("MH-XW", "中共明湖县委员会", "县委", Unit.Kind.COUNTY_COMMITTEE, "MH", "明发", False),
    ("MH-JW", "中共明湖县纪律检查委员会", "县纪委", Unit.Kind.DISCIPLINE_COMMISSION, "MH", "明纪", False),
    ("MH-JW-YJB", "明湖县领导干部廉洁自律预警机制工作办公室", "县预警办", Unit.Kind.WARNING_OFFICE, "MH-JW", "明纪预", False),
    ("MH-ZZB", "中共明湖县委组织部", "县委组织部", Unit.Kind.ORGANIZATION_DEPT, "MH", "明组", True),
    ("MH-RS", "明湖县人力资源和社会保障局", "县人社局", Unit.Kind.PERSONNEL_DEPT, "MH", "明人社", True),
    ("MH-QS", "明湖县青石镇", "青石镇", Unit.Kind.TOWNSHIP, "MH", "青石纪", False),
    ("MH-BS", "明湖县白沙镇", "白沙镇", Unit.Kind.TOWNSHIP, "MH", "白沙纪", False),
    ("MH-LX", "明湖县柳溪乡", "柳溪乡", Unit.Kind.TOWNSHIP, "MH", "柳溪纪", False),
    ("MH-YS", "明湖县云山乡", "云山乡", Unit.Kind.TOWNSHIP, "MH", "云山纪", False),
    ("MH-CZ", "明湖县财政局", "县财政局", Unit.Kind.COUNTY_UNIT, "MH", "", True),
    ("MH-SJ", "明湖县审计局", "县审计局", Unit.Kind.COUNTY_UNIT, "MH", "", True),
    ("MH-XF", "明湖县信访局", "县信访局", Unit.Kind.COUNTY_UNIT, "MH", "", True),
    ("MH-GA", "明湖县公安局", "县公安局", Unit.Kind.ENFORCEMENT, "MH", "", True),
    ("MH-JY", "明湖县教育局", "县教育局", Unit.Kind.COUNTY_UNIT, "MH", "", False),
)

TOWNSHIP_POSTS = (
    ("党委书记", Rank.SECTION_CHIEF, True, "county", ScopeCategory.PARTY),
    ("镇长", Rank.SECTION_CHIEF, True, "county", ScopeCategory.GOVERNMENT),
    ("党委副书记", Rank.SECTION_DEPUTY, False, "county", ScopeCategory.PARTY),
    ("纪委书记", Rank.SECTION_DEPUTY, False, "county", ScopeCategory.PARTY),
    ("副镇长", Rank.SECTION_DEPUTY, False, "county", ScopeCategory.GOVERNMENT),
    ("副镇长", Rank.SECTION_DEPUTY, False, "county", ScopeCategory.GOVERNMENT),
    ("财政所所长", Rank.STAFF, False, "unit", ScopeCategory.GOVERNMENT),
    ("农业综合服务站站长", Rank.STAFF, False, "unit", ScopeCategory.INSTITUTION),
    ("党政办主任", Rank.STAFF, False, "unit", ScopeCategory.PARTY),
)
COUNTY_UNIT_POSTS = (
    ("党组书记、局长", Rank.SECTION_CHIEF, True, "county", ScopeCategory.GOVERNMENT),
    ("副局长", Rank.SECTION_DEPUTY, False, "county", ScopeCategory.GOVERNMENT),
    ("副局长", Rank.SECTION_DEPUTY, False, "county", ScopeCategory.GOVERNMENT),
    ("纪检组组长", Rank.SECTION_DEPUTY, False, "county", ScopeCategory.PARTY),
    ("办公室主任", Rank.STAFF, False, "unit", ScopeCategory.GOVERNMENT),
    ("财务股股长", Rank.STAFF, False, "unit", ScopeCategory.GOVERNMENT),
)
ORG_DEPT_POSTS = (
    ("部长", Rank.SECTION_CHIEF, True, "county", ScopeCategory.PARTY),
    ("常务副部长", Rank.SECTION_CHIEF, False, "county", ScopeCategory.PARTY),
    ("副部长", Rank.SECTION_DEPUTY, False, "county", ScopeCategory.PARTY),
)


def demo_exists() -> bool:
    return Unit.objects.filter(code=COUNTY_CODE).exists()


@transaction.atomic
def load_demo(seed: int = 2026) -> bool:
    """Create the demo county; returns False (changing nothing) when it exists already."""
    if demo_exists():
        return False
    rng = random.Random(seed)  # noqa: S311 — deterministic demo names, not security
    units: dict[str, Unit] = {}
    for order, (code, name, short, kind, parent, prefix, member) in enumerate(UNITS):
        units[code] = org_services.create_unit(
            name=name, code=code, kind=kind, parent=units.get(parent) if parent else None, short_name=short,
            doc_prefix=prefix, is_joint_member=member, sort_order=order,
        )
    county_committee = units["MH-XW"]
    names = _names(rng)
    cadres: list[Cadre] = []

    def add(unit: Unit, posts) -> None:
        for position, rank, principal, manager, category in posts:
            if unit.kind == Unit.Kind.TOWNSHIP and unit.short_name.endswith("乡"):
                position = position.replace("镇长", "乡长")
            name, gender = next(names)
            cadres.append(
                Cadre(
                    code=f"MH{len(cadres) + 1:04d}",
                    name=name,
                    gender=gender,
                    birth_month=_birth(rng),
                    unit=unit,
                    position=position,
                    rank=rank,
                    is_principal=principal,
                    managed_by=county_committee if manager == "county" else unit,
                    scope_category=category,
                )
            )

    for code in ("MH-QS", "MH-BS", "MH-LX", "MH-YS"):
        add(units[code], TOWNSHIP_POSTS)
    for code in ("MH-CZ", "MH-SJ", "MH-XF", "MH-GA", "MH-JY", "MH-RS"):
        add(units[code], COUNTY_UNIT_POSTS)
    add(units["MH-ZZB"], ORG_DEPT_POSTS)
    Cadre.objects.bulk_create(cadres)

    for spec in USERS:
        user = org_services.create_user(
            username=spec.username,
            full_name=spec.full_name,
            unit=units[spec.unit_code],
            password=DEMO_PASSWORD,
            title=spec.title,
            is_staff=spec.role is Role.ADMIN,
            is_superuser=spec.role is Role.ADMIN,
            must_change_password=True,
        )
        org_services.assign_role(user=user, unit=units[spec.unit_code], role=spec.role)
    return True


def _names(rng: random.Random):
    seen: set[str] = set()
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name in seen:
            continue
        seen.add(name)
        yield name, rng.choice("MMMF")


def _birth(rng: random.Random):
    from datetime import date

    return date(rng.randint(1966, 1988), rng.randint(1, 12), 1)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, unit) for every demo user that still exists."""
    users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in USERS]).select_related("unit")}
    return [(s.username, s.role.label, users[s.username].unit.short_name) for s in USERS if s.username in users]
