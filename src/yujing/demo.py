"""The demo county: a fictional county (明湖县, no real names) for `make run` and the tests.

Loaded once: when the county exists already, nothing is changed, so whatever was entered since
survives every `make run`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yujing.cadres.models import Cadre, Rank, ScopeCategory
from yujing.orgs import services as org_services
from yujing.orgs.models import Unit, User
from yujing.orgs.roles import Role
from yujing.policy.loader import get_policy
from yujing.policy.words import in_force

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
    DemoUser("yjb", "方晓春", "MH-JW-YJB", Role.WARNING_OFFICE, "预警办主任"),
    DemoUser("shuji", "韩立新", "MH-JW", Role.SECRETARY, "县纪委书记"),
    DemoUser("fushuji", "邵振东", "MH-JW", Role.DEPUTY_SECRETARY, "县纪委副书记"),
    DemoUser("changwei", "龚雪琳", "MH-JW", Role.STANDING_COMMITTEE, "县纪委常委"),
    DemoUser("xianwei", "钱德庆", "MH-XW", Role.PARTY_CHIEF, "县委书记"),
    DemoUser("qs_dangwei", "覃永峰", "MH-QS", Role.PARTY_COMMITTEE, "青石镇党委书记"),
    DemoUser("qs_jiwei", "汤宁", "MH-QS", Role.DISCIPLINE_BODY, "青石镇纪委书记"),
    DemoUser("lianluo", "莫欣", "MH-SJ", Role.LIAISON, "联席会议联络员"),
    DemoUser("zuzhibu", "向海燕", "MH-ZZB", Role.ORGANIZATION_DEPT, "干部科科长"),
    DemoUser("renshe", "孔浩", "MH-RS", Role.PERSONNEL_DEPT, "人事科科长"),
    DemoUser("shenji", "柴莉", "MH-JW", Role.AUDITOR, "案件监督管理室"),
    DemoUser("admin", "系统管理员", "MH-JW", Role.ADMIN, "信息中心"),
)
# users of roles only some rules have (the organisation department's leaders, where a rule decides by
# 分管副部长 → 部长): created only when the policy in force names the role (Policy.named_roles)
POLICY_USERS: tuple[DemoUser, ...] = (
    DemoUser("zzb_fubuzhang", "易文斌", "MH-ZZB", Role.DEPT_DEPUTY, "县委组织部副部长"),
    DemoUser("zzb_buzhang", "柯建国", "MH-ZZB", Role.DEPT_HEAD, "县委组织部部长"),
)


def demo_users() -> tuple[DemoUser, ...]:
    """The demo's users under the policy in force: everyone of USERS, and those of POLICY_USERS whose role it names."""
    named = get_policy().named_roles()
    return USERS + tuple(spec for spec in POLICY_USERS if spec.role in named)

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
def load_demo(seed: int = 2026, *, clues: bool = True) -> bool:
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

    for spec in demo_users():
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
    if clues:
        _demo_clues(timezone.localdate())
        _demo_cases(timezone.localdate())
    return True


def _demo_clues(today) -> None:
    """A few clues in different states, so every page has something to show."""
    from importlib import import_module

    from yujing.clues import services as clue_services
    from yujing.clues.models import ProblemCategory
    from yujing.clues.services import Concerned, Outcome, Proposal, Reporter

    # the default list comes with a data migration; a database emptied since (flush) gets it again
    import_module("yujing.clues.migrations.0002_default_problem_categories").ensure(ProblemCategory)
    users = {u.username: u for u in User.objects.all()}
    cadre = {c.code: c for c in Cadre.objects.all()}
    category = {c.name: c.pk for c in ProblemCategory.objects.all()}

    def days(n: int):
        return today - timedelta(days=n)

    clue_services.register_clue(
        by=users["yjb"], today=today, received_on=days(3), channel="petition", summary="反映其春节期间收受礼金",
        detail="群众来信反映，该同志春节期间收受辖区企业负责人所送礼金。",
        concerned=[Concerned(cadre_id=cadre["MH0001"].pk)], category_ids=[category["违规收送礼品礼金"]],
        source_name="信访件 明信〔2026〕118号", reporter=Reporter("举报人甲", "13800000001"),
    )
    clue_services.register_clue(
        by=users["yjb"], today=today, received_on=days(25), channel="media", summary="网帖反映公车私用",
        detail="某论坛网帖反映该同志周末驾驶公务用车接送家属。", concerned=[Concerned(cadre_id=cadre["MH0038"].pk)],
        category_ids=[category["违规使用公车、办公用房"]], source_name="县内网络论坛",
    )
    clue_services.file_transfer(
        by=users["lianluo"], today=today, transferred_on=days(5), summary="审计发现违规发放津贴补贴",
        detail="2025年度经济责任审计发现，该局以会议费名义发放津贴补贴。", found_how="经济责任审计",
        unit_opinion="建议按规定予以预警。", concerned=[Concerned(cadre_id=cadre["MH0061"].pk)],
        contact_person="莫欣", contact_phone="0550-6612345", category_ids=[category["违反中央八项规定精神"]],
    )
    handled = clue_services.register_clue(
        by=users["qs_jiwei"], today=today, received_on=days(12), channel="appraisal",
        summary="民主评议反映工作作风粗暴", detail="民主评议中多名群众反映该同志办事推诿、态度粗暴。",
        concerned=[Concerned(cadre_id=cadre["MH0007"].pk)], category_ids=[category["失职失责、作风不实"]],
        indicator_value=_appraisal_value(),
    )
    clue_services.screen_clue(
        clue=handled, by=users["qs_jiwei"], today=days(8), outcome=Outcome.HANDLE, reason="属本级管辖，反映问题具体。",
        verifiable=True, proposals=[Proposal(cadre["MH0007"].pk, _middle_measure())],
    )
    clue_services.register_clue(
        by=users["qs_jiwei"], today=today, received_on=days(2), channel="petition", summary="反映其违规经营砂石场",
        detail="反映该同志以亲属名义入股经营砂石场。", concerned=[Concerned(cadre_id=cadre["MH0008"].pk)],
        category_ids=[category["违规经商办企业"]],
    )


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
    specs = USERS + POLICY_USERS
    users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in specs]).select_related("unit")}
    titles = in_force()
    return [(s.username, titles.role(s.role), users[s.username].unit.short_name) for s in specs if s.username in users]


def _appraisal_value() -> Decimal | None:
    """The demo's appraisal clue carries an indicator only when the policy sets a threshold for its channel
    ([[triggers]]): then one and a half below it (民主测评满意率低于60%: 58.5); otherwise none, as in Shou."""
    trigger = get_policy().rules.trigger("appraisal")
    return None if trigger is None else Decimal(str(trigger.below)) - Decimal("1.5")


def _middle_measure() -> str:
    """The measure the demo's township clue proposes: the second of the policy's (Shou: 警示诫勉), or its only one."""
    keys = list(get_policy().measures)
    return keys[1] if len(keys) > 1 else keys[0]


def _demo_measures() -> tuple[str, str]:
    """The demo's two county cases follow the policy, chosen by what a measure does, not by its key: one in its
    rectification period (the heaviest measure sent by letter, restricted if any is — Shou: 责令纠错) and one
    already lifted (the lightest measure — Shou: 谈话函询)."""
    measures = get_policy().measures
    by_letter = [k for k, m in measures.items() if "letter" in m.deliveries and m.answered] or list(measures)
    restricted = [k for k in by_letter if measures[k].restricted] or by_letter
    return restricted[-1], next(iter(measures))


def _holder(case, roles, users, prefer=None):
    """A demo user holding one of ``roles`` over the case, in the policy's order (``prefer`` first, if it does)."""
    from yujing.orgs import access

    if prefer is not None and access.has_role_over(prefer, roles, case):
        return prefer
    for role in roles:
        for user in users.values():
            if access.has_role_over(user, [role], case):
                return user
    raise RuntimeError(f"演示数据：没有可担任 {', '.join(roles)} 的用户")


def _approve(case, users, on, opinion):
    """Every step of the case's approval, each by a demo user holding that step's roles; the last decider."""
    from yujing.cases import services as cs

    decider = None
    for _ in range(cs.approval_steps(case)):
        case.refresh_from_db()
        roles, committee = cs.approvers(case)
        decider = _holder(case, [r for r in roles if r != "standing_committee"] or roles,
                          {k: u for k, u in users.items() if u != decider})
        # a measure only the standing committee decides (standing_committee = "required"): at a meeting that day
        meeting = {"meeting": f"{on.year}年第3次常委会", "meeting_on": on} if committee else {}
        cs.decide(case=case, by=decider, today=on, approve=True, opinion=opinion, **meeting)
    case.refresh_from_db()
    return decider


def _talk(case, office, users, *, planned_on, held_on, outline, record) -> None:
    """The case's talk planned, notified and held (signed the same day) by a chief talker the policy allows."""
    from yujing.cases import services as cs

    talk_at = timezone.make_aware(datetime.combine(held_on, time(9, 30)))
    chief = _holder(case, cs.chief_roles(case), users)
    cs.plan_talk(case=case, by=office, today=planned_on, outline=outline, chief=chief, other_talkers=["方晓春"],
                 scheduled_at=talk_at, place="县纪委谈话室")
    cs.notify_talk(case=case, by=office, today=planned_on, sent_on=planned_on)
    cs.hold_talk(case=case, by=office, today=held_on, held_on=held_on, record=record, signed_on=held_on)


def _demo_cases(today) -> None:
    """Two county cases further along, under whatever measures the policy has: one in its rectification
    period (so the cadre is restricted today, when the measure restricts) and one already lifted."""
    from yujing.cases import services as cs
    from yujing.cases.services._common import deciders, measure_rules
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned, Outcome, Proposal

    users = {u.username: u for u in User.objects.all()}
    cadre = {c.code: c for c in Cadre.objects.filter(code__in=["MH0002", "MH0049"])}
    office = users["yjb"]
    heavy, light = _demo_measures()

    def days(n: int):
        return today - timedelta(days=n)

    clue = clue_services.register_clue(
        by=office, today=days(30), received_on=days(30), channel="audit", summary="审计发现违规出借财政资金",
        detail="经济责任审计发现，该同志任职期间违规出借财政资金给辖区企业。", concerned=[Concerned(cadre_id=cadre["MH0002"].pk)],
    )
    clue_services.screen_clue(clue=clue, by=office, today=days(29), outcome=Outcome.HANDLE, reason="属县管干部，问题具体可查",
                              verifiable=True, proposals=[Proposal(cadre["MH0002"].pk, heavy)])
    case = clue.cases.get()
    rules = measure_rules(case)
    cs.record_verification(case=case, by=office, today=days(28), method="preliminary", done_on=days(28),
                           findings="经初核，违规出借资金问题属实，已造成不良影响。", conclusion="true")
    decider = _approve(case, users, days(27), f"同意{rules.label}")
    if rules.report_to_party_chief:
        cs.report_to_chief(case=case, by=office, today=days(27), reported_on=days(27), note=f"拟对其{rules.label}")
    if rules.requirements_approval:
        cs.write_register(case=case, by=office, today=days(26), content="一个月内收回出借资金，并作出书面检查。")
        approver = _holder(case, deciders(case, get_policy().rules.register_.approvers), users, prefer=decider)
        cs.approve_register(case=case, by=approver, today=days(26))
    if "letter" in rules.deliveries:
        cs.issue_letter(case=case, by=office, today=days(25), kind=rules.letter_forms[0], issued_on=days(25),
                        content="你在任职期间，未经集体研究，违规将财政资金200万元出借给辖区企业，造成不良影响。")
        cs.record_receipt(case=case, by=office, today=days(24), received_on=days(24))
    else:  # a measure implemented by talk alone (诫勉谈话): the talk is held, so the cadre is restricted today
        _talk(case, office, users, planned_on=days(26), held_on=days(24), outline="一、指出违规出借资金问题；二、提出改正要求。",
              record="对象承认违规出借资金，表示立即收回。")
    if "organization_dept" in cs.allowed_recipients(case):
        restriction = "，整改期限内不得评选评优、暂缓提拔使用" if rules.restricted else ""
        cs.send_notice(case=case, by=office, today=days(23), recipient="organization_dept", sent_on=days(23),
                       content=f"对青石镇镇长{rules.label}{restriction}。")

    clue = clue_services.register_clue(
        by=office, today=days(45), received_on=days(45), channel="petition", summary="反映其子女婚宴大操大办",
        detail="群众反映该同志为子女操办婚宴，邀请管理服务对象参加。", concerned=[Concerned(cadre_id=cadre["MH0049"].pk)],
    )
    clue_services.screen_clue(clue=clue, by=office, today=days(44), outcome=Outcome.HANDLE, reason="需了解澄清",
                              verifiable=False, proposals=[Proposal(cadre["MH0049"].pk, light)])
    case = clue.cases.get()
    rules = measure_rules(case)
    if rules.verification_required:
        cs.record_verification(case=case, by=office, today=days(44), method="inquiry", done_on=days(44),
                               findings="经了解，反映的婚宴情况基本属实。", conclusion="partly_true")
    decider = _approve(case, users, days(43), f"同意{rules.label}")
    if rules.report_to_party_chief:
        cs.report_to_chief(case=case, by=office, today=days(43), reported_on=days(43), note=f"拟对其{rules.label}")
    if "talk" in rules.deliveries:
        _talk(case, office, users, planned_on=days(42), held_on=days(40), outline="一、了解婚宴情况；二、提醒遵守规定。",
              record="对象说明了婚宴情况，表示今后严格遵守规定。")
    if rules.requirements_approval or rules.talk_followed_by_letter or "talk" not in rules.deliveries:
        # the lightest measure is a letter, or its talk is followed by one: the demo stops at its delivery
        return
    if rules.answered:
        cs.record_response(case=case, by=office, today=days(33), received_on=days(33), content="书面说明婚宴未收受礼金。")
    cs.write_register(case=case, by=office, today=days(32), content="承诺严格执行婚丧喜庆事宜报告制度。")
    for recipient in cs.required_recipients(case):  # a measure the departments must be told of before it ends
        cs.send_notice(case=case, by=office, today=days(32), recipient=recipient, sent_on=days(32),
                       content=f"对{case.target.unit.name}{case.target.position}{rules.label}。")
    lifter = _holder(case, deciders(case, get_policy().rules.lifting.approvers), users, prefer=decider)
    cs.lift(case=case, by=lifter, today=days(31), basis="说明清楚，予以了结。")
