"""End-to-end journeys in a real Chromium (Debian's ``chromium``, driven by Playwright for Python).

Every page a journey reaches is checked the same way, whatever the journey:

- a browser console error, an uncaught script error, a failed request or a response of 400 or more
  fails the test, unless the step said it expects one (``with user.expecting(400): ...`` around a
  refusal that shows the form again);
- axe-core (vendored from npm, ``vendor/``) audits it, and any *serious* or *critical* violation fails
  the test with the rule, the element and axe's help text;
- ``user.shot("name")`` saves a screenshot under ``var/e2e/<test>/``; ``docs=True`` also writes it to
  ``YUJING_SCREENS`` (``make screens`` sets it to ``docs/screens``).

Chromium is installed by ``.ci/run`` with apt; Playwright never downloads a browser. Where it is
missing the journeys skip, except in CI (``YUJING_E2E_REQUIRED=1``), where that is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
CHROMIUM = os.environ.get("YUJING_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "var" / "e2e"
SCREENS = os.environ.get("YUJING_SCREENS", "")
PASSWORD = "Yujing@2026"
DESKTOP = {"width": 1366, "height": 768}
TABLET = {"width": 820, "height": 1180}
# the flags a closed network needs (../shared/ECOSYSTEM.md): no background connections, no GPU
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
BLOCKING = ("serious", "critical")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("YUJING_E2E_REQUIRED"):
        raise pytest.UsageError(f"{CHROMIUM} 不存在：CI 须先用 apt 安装 chromium（.ci/run）")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (.ci/run installs Debian's chromium)")
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


# Playwright's sync API runs an asyncio loop in this thread; the ORM calls a journey and its database
# fixtures make between browser steps are still synchronous and safe. Only while a journey runs, set up
# and torn down: a subprocess that another test starts (``check --deploy``) must not inherit it.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


class Problems(AssertionError):
    pass


def text(locator) -> str:
    """What a user reads in an element: its rendered text with runs of white space made one space."""
    return re.sub(r"\s+", " ", locator.inner_text()).strip()


def demo_users() -> dict:
    """The demo accounts by user name, for setting up a journey's starting point through the services."""
    from yujing.orgs.models import User as Account

    return {u.username: u for u in Account.objects.all()}


class User:
    """One demo user in their own browser context, logged in through the login page."""

    def __init__(self, browser, base_url: str, username: str, folder: Path, viewport: dict):
        self.username = username
        self.base_url = base_url
        self.folder = folder
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
                                           accept_downloads=True, reduced_motion="reduce")
        self.context.set_default_timeout(15_000)
        # axe-core is put in every page before its own scripts run (an injected <script> tag would be refused
        # by the pages' Content-Security-Policy, which stays on: a violation of it is a console error)
        self.context.add_init_script(path=str(AXE))
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.allowed: list[int] = []
        self.refused: list[str] = []
        self.audited: set[str] = set()
        self.auditing = True  # False: only the browser's own reports (the tablet sweep, audited at desktop size)
        self.shots = 0
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"页面脚本错误 {self.page.url}: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    # --- what the browser reports -----------------------------------------------------------------
    def _console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        status = re.search(r"status of (\d{3})", text)
        if status and int(status.group(1)) in self.allowed:
            return
        self.problems.append(f"控制台错误 {self.page.url}: {text}")

    def _failed(self, request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure and request.resource_type != "document":
            # the page moved on before a sub-request finished (the favicon, a due-date preview still on its way
            # when the form is sent): the browser cancelled it, nothing failed. A page load aborted still counts,
            # and a background download that fails shows its error in the page, which the journeys check.
            return
        self.problems.append(f"请求失败 {request.method} {request.url}: {failure}")

    def _response(self, response) -> None:
        if response.status in self.allowed:
            self.refused.append(response.url)
        elif response.status >= 400:
            self.problems.append(f"HTTP {response.status} {response.request.method} {response.url}")

    def check(self) -> None:
        if self.problems:
            found, self.problems = self.problems, []
            raise Problems("浏览器报告问题：\n" + "\n".join(found))

    @contextmanager
    def expecting(self, *statuses: int):
        """A step that is meant to be refused: the page answers one of ``statuses`` (e.g. 400 with the form
        and its errors). A refusal that never comes (a click that posted nothing) fails the step."""
        self.allowed = list(statuses)
        self.refused = []
        try:
            yield
            self.page.wait_for_load_state()
            assert self.refused, f"预期服务器答复 {statuses}，但没有这样的答复（提交没有发出？）"
        finally:
            self.allowed = []

    # --- moving about ------------------------------------------------------------------------------
    def login(self, *, change_password: bool = False) -> User:
        page = self.page
        page.goto(self.base_url + "/accounts/login/")
        self.audit()
        page.get_by_label("用户名").fill(self.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        self.settle()
        return self

    def goto(self, path: str) -> User:
        response = self.page.goto(self.base_url + path)
        assert response is not None
        self.settle()
        return self

    def click(self, name: str, *, role: str = "link", exact: bool = False) -> User:
        """Click a link or button by its accessible name and wait for the page it loads."""
        self.page.get_by_role(role, name=name, exact=exact).first.click()
        self.page.wait_for_load_state()
        self.settle()
        return self

    def press(self, name: str, *, within=None, exact: bool = True) -> User:
        """Press a submit button (optionally inside a locator) and wait for the next page."""
        scope = within if within is not None else self.page
        scope.get_by_role("button", name=name, exact=exact).first.click()
        self.page.wait_for_load_state()
        self.settle()
        return self

    def settle(self) -> None:
        """After each navigation: the browser reported nothing wrong and axe finds nothing serious."""
        self.page.wait_for_load_state("load")
        # what htmx fetched on load (the charts, a lookup) has arrived
        self.page.wait_for_function("() => !document.querySelector('.htmx-request')")
        self.check()
        self.audit()

    def audit(self, *, again: bool = False) -> None:
        """axe-core on the page as it is now, once per distinct page (URL and title) unless ``again`` (the
        page changed in place: sorted, filtered, a panel opened)."""
        page = self.page
        if not self.auditing:
            return
        key = page.url + "|" + (page.title() or "")
        if key in self.audited and not again:
            return
        self.audited.add(key)
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || ''))}));
        }""")
        serious = [v for v in result if v["impact"] in BLOCKING]
        if serious:
            lines = [f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in serious]
            raise Problems(f"无障碍检查（axe-core）在 {page.url} 发现严重问题：\n" + "\n".join(lines))

    def shot(self, name: str, *, docs: bool = False, full_page: bool = True) -> Path:
        self.shots += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.shots:02d}-{self.username}-{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        if docs and SCREENS:
            target = ROOT / SCREENS
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / f"{name}.png")
        return path

    # --- forms -------------------------------------------------------------------------------------
    def action(self, label: str):
        """The case page's action panel (a <details> card) with this summary, opened."""
        panel = self.page.locator("details", has=self.page.locator("summary", has_text=label)).first
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        return panel

    def close(self) -> None:
        try:
            self.check()
        finally:
            self.context.close()


# The day every journey runs on, whatever the real date: the dates the journeys check (hand-worked where it
# matters, e.g. 11-20 + 1 month = 12-20, a Sunday, so 12-21) are then the same on every run, and a run that
# crosses midnight does not change the day between two steps. The server's threads and the tests share
# this process, so they share the clock; it starts at 09:00 Shanghai time and runs at the real rate.
JOURNEY_DAY = datetime(2026, 11, 28, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def journey_clock(monkeypatch):
    from django.utils import timezone

    started, real_now = time.monotonic(), timezone.now

    def now():
        return (JOURNEY_DAY + timedelta(seconds=time.monotonic() - started)).astimezone(real_now().tzinfo)

    monkeypatch.setattr(timezone, "now", now)
    return JOURNEY_DAY.date()


@pytest.fixture
def browse(journey_clock, browser, live_server, transactional_db, request):
    """browse("yjb") -> that demo user logged in, in a 1366×768 window (``viewport=TABLET`` for a tablet).

    The demo county is loaded first (the same code as ``make run``), with the first-login password
    change already done, so each journey starts at the home page."""
    from yujing.demo import load_demo
    from yujing.orgs.models import User as Account

    load_demo()
    Account.objects.update(must_change_password=False)
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    opened: list[User] = []

    def _browse(username: str, *, viewport: dict = DESKTOP, login: bool = True) -> User:
        user = User(browser, live_server.url, username, folder, viewport)
        opened.append(user)
        return user.login() if login else user

    yield _browse
    failures = []
    for user in opened:
        try:
            user.close()
        except Problems as exc:
            failures.append(str(exc))
    if failures:
        pytest.fail("\n".join(failures))
