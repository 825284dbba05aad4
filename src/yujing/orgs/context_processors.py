"""The navigation bar: only what the user's roles may open; and ``words``, the words of the policy in force
(``words.bodies.office``, ``words.citations.channels``) for every page — a view may pass its own (a case's)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from yujing.policy.words import in_force

from . import access

# (menu, label, url name, action): items with the same menu are grouped in one drop-down
NAV: tuple[tuple[str, str, str, str], ...] = (
    ("", "首页", "home", ""),
    ("", "我的待办", "oversight:my_work", "oversight.mywork"),
    ("线索与预警", "预警线索", "clues:clue_list", "clue.view"),
    ("线索与预警", "移送线索", "clues:transfer_list", "transfer.view"),
    ("线索与预警", "预警台帐", "cases:case_list", "ledger.view"),
    ("线索与预警", "纠错报告", "cases:chief_reports", "case.view_reported"),
    ("监督", "期限看板", "oversight:board", "oversight.board"),
    ("监督", "责任追究情形", "oversight:lapses", "lapse.view"),
    ("监督", "审计日志", "audit:event_list", "audit.view"),
    ("统计", "季度报表", "oversight:reports", "report.view"),
    ("统计", "统计图表", "oversight:dashboard", "oversight.board"),
    ("统计", "检查考核", "oversight:assessments", "assessment.view"),
    ("统计", "联席会议", "oversight:meetings", "meeting.view"),
    ("", "收到的通报", "cases:notices", "notices.inbox"),
    ("", "限制查询", "cases:restrictions", "restriction.query"),
    ("基础", "单位", "orgs:unit_list", "unit.view"),
    ("基础", "干部名册", "cadres:cadre_list", "cadre.view"),
    ("基础", "期限计算", "policy:calculator", "policy.view"),
    ("基础", "预警规则", "policy:policy_detail", "policy.view"),
    ("基础", "节假日", "policy:calendar", "policy.view"),
    ("基础", "到期销毁", "cases:purge", "case.purge"),
)


def navigation(request: Any) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"words": in_force()}
    items = []
    for menu, label, name, action in NAV:
        if action and not access.can(user, action):
            continue
        items.append({"menu": menu, "label": label, "url": reverse(name), "active": False})
    # the longest URL that the current path starts with is the active item (/policy/ vs /policy/calculator/)
    matches = [i for i in items if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    grants = access.grants(user)
    from yujing.oversight.models import Notification

    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    menus: list[dict] = []
    for item in items:
        if item["menu"] and menus and menus[-1]["label"] == item["menu"]:
            menus[-1]["items"].append(item)
            menus[-1]["active"] |= item["active"]
        elif item["menu"]:
            menus.append({"label": item["menu"], "items": [item], "active": item["active"]})
        else:
            menus.append({"label": item["label"], "url": item["url"], "active": item["active"], "items": []})
    # a menu with a single entry is shown as that entry
    menus = [m if len(m["items"]) != 1 else {**m["items"][0], "items": []} for m in menus]
    return {"nav_items": items, "nav_menus": menus, "user_roles": sorted({in_force().role(g.role) for g in grants}),
            "unread_messages": unread, "words": in_force()}
