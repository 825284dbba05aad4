"""The main forms by keyboard alone: signing in, skipping the navigation, and registering a clue (第十条)
with Tab, typing, the arrow keys and Enter — in the order the form reads, with each control showing
where the focus is, and the inline messages appearing as a field is left wrong."""

from __future__ import annotations

from django.utils import timezone

from yujing.cadres.models import Cadre
from yujing.clues.models import Clue

from .conftest import demo_users, text

FOCUSABLE = """() => Array.from(document.querySelectorAll(
    'main form:not(.filter) input:not([type=hidden]), main form:not(.filter) select,'
    + ' main form:not(.filter) textarea, main form:not(.filter) button'))
  .filter(el => !el.disabled && el.tabIndex >= 0 && el.offsetParent !== null)
  .map(el => el.id || el.name || el.textContent.trim())"""
ACTIVE = "() => { const el = document.activeElement; return el.id || el.name || el.textContent.trim(); }"
# a visible focus ring: Bootstrap draws it as a box-shadow on controls and an outline on links
RING = """() => { const s = getComputedStyle(document.activeElement);
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }"""


def test_sign_in_and_skip_the_navigation_by_keyboard(browse):
    user = browse("yjb", login=False)
    page = user.page
    user.goto("/accounts/login/")
    assert page.evaluate(ACTIVE) == "id_username"  # the cursor starts in the user name
    page.keyboard.type("yjb")
    page.keyboard.press("Tab")
    page.keyboard.type("Yujing@2026")
    page.keyboard.press("Enter")
    page.wait_for_url(user.base_url + "/")
    user.settle()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # from the top of the page
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "跳到正文"
    assert page.evaluate(RING)
    page.keyboard.press("Enter")
    # following the link is asynchronous: on a loaded machine the URL changes a moment after the key press
    page.wait_for_function("() => location.hash === '#main'", timeout=5000)
    assert page.url.endswith("#main")


def test_register_a_clue_by_keyboard_alone(browse):
    user = browse("yjb")
    page = user.page
    user.goto("/clues/new/")
    order = page.evaluate(FOCUSABLE)
    assert order[:3] == ["id_received_on", "id_channel", "id_source_unit"]
    assert order[-1] == "提交"

    # Tab goes through the controls in the order they read, each with a visible focus ring (a date takes
    # several presses in Chromium: year, month, day and its calendar button are each a stop)
    page.locator("h1").click()
    visited = []
    for _ in range(4 * len(order)):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if visited and visited[-1] == active:
            continue
        visited.append(active)
        assert page.evaluate(RING), f"{active} 获得焦点时没有可见的焦点框"
        if len(visited) == len(order):
            break
    assert visited == order

    # a required field emptied and left: the message is there at once, in Chinese, and goes when corrected
    page.get_by_label("问题摘要").focus()
    page.keyboard.type("甲")
    page.keyboard.press("Backspace")
    page.keyboard.press("Tab")
    summary = page.get_by_label("问题摘要")
    assert summary.get_attribute("aria-invalid") == "true"
    assert page.locator("#id_summary_inline").inner_text() == "请填写“问题摘要”。"
    summary.focus()
    page.keyboard.type("收受管理服务对象礼金")
    assert page.locator("#id_summary_inline").is_hidden()
    assert summary.get_attribute("aria-invalid") is None

    # everything else by keyboard too: a channel chosen with the arrow keys, a cadre found and
    # picked from the roster with Enter, the text, and Enter on 提交
    today = timezone.localdate()
    assert page.get_by_label("收到日期").input_value() == today.isoformat()  # today unless changed
    page.get_by_label("来源渠道(第十条)").focus()
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("来源渠道(第十条)").input_value() != ""
    cadre = Cadre.objects.get(code="MH0001")
    page.get_by_label("涉及的干部（从名册中选择）").focus()
    page.keyboard.type(cadre.name)
    choose = page.locator("#cadre-results").get_by_role("button", name="选择").first
    choose.wait_for()
    user.settle()
    choose.focus()
    page.keyboard.press("Enter")
    assert page.locator("#chosen-cadres").inner_text().startswith(cadre.name)
    page.get_by_label("反映的主要问题").focus()
    page.keyboard.type("春节期间收受管理服务对象礼金。")
    page.get_by_role("button", name="提交", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/clues/*/")
    user.settle()
    clue = Clue.objects.get(summary="收受管理服务对象礼金")
    assert clue.received_on == today
    assert [c.cadre_id for c in clue.concerned.all()] == [cadre.pk]
    assert clue.number in page.locator("h1").inner_text()
    user.shot("clue-registered-by-keyboard", docs=True)


def test_record_a_verification_on_the_case_page_by_keyboard(browse):
    """The case page's action panels are <details>: Enter opens one, Tab walks its fields, Enter sends it."""
    from yujing.cases.models import Verification, WarningCase
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned, Outcome, Proposal

    user = browse("yjb")  # loads the demo county
    office, today = demo_users()["yjb"], timezone.localdate()
    cadre = Cadre.objects.get(code="MH0039")  # a county-managed cadre the demo leaves alone
    clue = clue_services.register_clue(by=office, today=today, received_on=today, channel="petition",
                                       summary="违规发放津贴补贴", detail="群众反映的具体问题。",
                                       concerned=[Concerned(cadre_id=cadre.pk)])
    clue_services.screen_clue(clue=clue, by=office, today=today, outcome=Outcome.HANDLE, reason="本级处理",
                              verifiable=True, proposals=[Proposal(cadre.pk, "admonition")])
    case = WarningCase.objects.get(clues=clue)
    page = user.page
    user.goto(f"/cases/{case.pk}/")
    summary = page.locator("summary", has_text="记录了解、初核或调查")
    summary.focus()
    assert page.evaluate(RING)
    page.keyboard.press("Enter")
    panel = page.locator("details", has=summary)
    assert panel.get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == "id_verify-method"
    page.keyboard.press("ArrowDown")  # 了解 -> 初核
    assert panel.get_by_label("方式").input_value() == "preliminary"
    panel.get_by_label("核查情况").focus()
    page.keyboard.type("经调取凭证、询问有关人员，反映属实。")
    assert panel.get_by_label("结论").input_value() == "true"  # 属实, the first choice
    panel.get_by_role("button", name="提交", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    user.settle()
    assert text(page.locator(".alert-success")) == "已记录核查情况。"
    verification = Verification.objects.get(case=case)
    assert (verification.method, verification.conclusion, verification.findings, verification.done_on) == (
        "preliminary", "true", "经调取凭证、询问有关人员，反映属实。", timezone.localdate())
