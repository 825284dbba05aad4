"""Every page of the navigation, and the detail pages one click below it, for each kind of user, at a
desktop window (1366×768) and at a tablet's width (820 px): nothing wider than the window, every control
labelled, no serious accessibility violation, nothing failing in the browser."""

from __future__ import annotations

import re

import pytest

from .conftest import DESKTOP, TABLET, Problems

# one user of each kind the regulation names: the office, the commission's leaders, a township, a member
# unit's liaison, the organisation department and the auditor of the audit log
ROLES = ("yjb", "shuji", "xianwei", "qs_jiwei", "lianluo", "zuzhibu", "shenji", "admin")
# detail pages: the first link of each list that leads one level down
DETAIL = re.compile(r"^/(cases|clues|clues/transfers|cadres|units|oversight/reports|oversight/assessments|"
                    r"oversight/meetings)/\d+/$")


def nav_paths(user) -> list[str]:
    return user.page.eval_on_selector_all(
        "nav[aria-label='主导航'] a[href^='/']", "links => links.map(a => a.getAttribute('href'))")


def detail_paths(user) -> list[str]:
    hrefs = user.page.eval_on_selector_all("main a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if DETAIL.match(h)][:1]


# "late" and the other states are never told by colour alone: every coloured badge or marker says it in text
SILENT_COLOURS = """() => Array.from(document.querySelectorAll(
    'main .badge, main [class*="text-bg-"], main .table-danger, main .table-warning'))
  .filter(e => e.offsetParent !== null && !e.textContent.trim() && !e.getAttribute('aria-label'))
  .map(e => e.outerHTML.slice(0, 160))"""


def overflow(user) -> int:
    """How many pixels the page is wider than the window (0 when it fits; wide tables scroll inside
    their own box)."""
    return user.page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["1366x768", "tablet"])
def test_every_page_fits_and_passes_the_audit(browse, viewport):
    problems: list[str] = []
    seen: set[str] = set()
    for username in ROLES:
        user = browse(username, viewport=viewport)
        user.auditing = viewport is DESKTOP  # the same pages, already audited at desktop size
        paths = [p for p in dict.fromkeys(nav_paths(user)) if p not in ("/admin/",)]
        assert "/" in paths
        queue = list(paths)
        while queue:
            path = queue.pop(0)
            try:
                user.goto(path)
            except Problems as exc:
                problems.append(f"{username} {path}: {exc}")
                continue
            wide = overflow(user)
            if wide > 1:
                problems.append(f"{username} {path}: 页面比窗口宽 {wide}px（{viewport['width']}px 宽）")
            for element in user.page.evaluate(SILENT_COLOURS):
                problems.append(f"{username} {path}: 只用颜色表示状态，没有文字：{element}")
            if path in paths:
                for detail in detail_paths(user):
                    if (username, detail) not in seen:
                        seen.add((username, detail))
                        queue.append(detail)
        if viewport is DESKTOP and username == "yjb":
            user.goto("/")
            user.shot("home", docs=True)
            user.goto("/oversight/board/")
            user.shot("deadline-board", docs=True)
    assert not problems, "\n\n".join(problems)
