"""The main pages under load (issue 10), on the province loaded by bench/reminders.py.

The application runs under gunicorn on loopback; wrk sends 8 concurrent clients (8 threads, one
connection and one signed-in session each) at each page for a few seconds and reports the median
and p95 latency and the requests per second. For the same page, the floor: the SQL the page runs,
captured in-process and replayed alone through the database driver. A page's ratio is its
unloaded time (one client, in-process) over its floor."""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = int(os.environ.get("BENCH_PAGE_SECONDS", "10"))
CLIENTS = 8

WRK_SCRIPT = """
local cookies = {%s}
local n = 0
setup = function(thread)
  n = n + 1
  thread:set("cookie", cookies[(n - 1) %% #cookies + 1])
end
init = function(args)
  wrk.headers["Cookie"] = cookie
end
done = function(summary, latency, requests)
  io.write(string.format('{"p50": %%.3f, "p95": %%.3f, "requests": %%d, "seconds": %%.3f, "errors": %%d, "non2xx": %%d}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pages(today):
    """(name, url) of the main pages, for the first county's warning office."""
    from django.db.models import Count

    from yujing.cases.models import WarningCase
    from yujing.orgs.models import Unit, User
    from yujing.oversight.reports import last_quarter

    user = User.objects.get(username="office0")
    case = (WarningCase.objects.filter(unit_in_charge__code__startswith="P000-").annotate(steps=Count("verifications"))
            .order_by("-steps", "pk").first())
    county = Unit.objects.get(code="P000")
    cadre = (WarningCase.objects.filter(target__managed_by__path__startswith=county.path)
             .values("target_id").annotate(n=Count("pk")).order_by("-n", "target_id").first())
    year, quarter = last_quarter(today)
    return user, [
        ("预警办首页(含图表) warning-office home with charts", "/"),
        ("线索列表(筛选、第2页) clue list, filtered, page 2", "/clues/?channel=petition&page=2"),
        ("预警事项页(长历史) case page, long history", f"/cases/{case.pk}/"),
        ("期限看板 deadline board", "/oversight/board/"),
        ("干部廉政档案 cadre integrity file", f"/cadres/{cadre['target_id']}/"),
        ("季度汇总 quarterly roll-up", f"/oversight/reports/?year={year}&quarter={quarter}"),
    ]


def _sessions(user, count: int) -> list[str]:
    from django.test import Client

    cookies = []
    for _ in range(count):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}")
    return cookies


def _floor(url: str, user) -> tuple[float, float, int]:
    """(in-process page median s, SQL-alone median s, number of statements) for one page."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.get(url)
    samples = []
    for _ in range(7):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
    assert response.status_code == 200, (url, response.status_code)
    # capture in a transaction that is rolled back, so that replaying the page's writes (the session,
    # the audit event of a view) meets the same database and does not collide with itself
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        client.get(url)
        transaction.set_rollback(True)
    statements = [q["sql"] for q in captured.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]
    raw = connection.connection  # the driver's own connection (psycopg or sqlite3), in autocommit mode
    replay = []
    for _ in range(7):
        cursor = raw.cursor()
        start = time.perf_counter()
        cursor.execute("BEGIN")
        for sql in statements:  # as sent: Django's capture holds them with their parameters
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
        replay.append(time.perf_counter() - start)
        cursor.execute("ROLLBACK")
        cursor.close()
    return statistics.median(samples), statistics.median(replay), len(statements)


def run():
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from yujing.orgs.models import Unit

    if not Unit.objects.filter(code="P000-YJB").exists():
        yield ("main pages under load", "skipped: no province (run the reminders benchmark first)", "")
        return
    wrk, gunicorn = shutil.which("wrk"), shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if not (wrk and gunicorn):
        yield ("main pages under load", "skipped: needs wrk (apt) and gunicorn (pip)", "")
        return
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages name hashed static files
    user, pages = _pages(timezone.localdate())
    floors = {url: _floor(url, user) for _, url in pages}
    cookies = _sessions(user, CLIENTS)
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yujing.settings", "PYTHONPATH": str(ROOT / "src")}
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{settings.DATABASES['default']['NAME']}"
    workers = str(2 * (os.cpu_count() or 1) + 1)
    server = subprocess.Popen([gunicorn, "yujing.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", workers,
                               "--log-level", "warning"], env=env, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % ", ".join(json.dumps(c) for c in cookies))
        for name, url in pages:
            out = subprocess.run([wrk, "-t", str(CLIENTS), "-c", str(CLIENTS), "-d", f"{DURATION}s", "--timeout", "10s",
                                  "-s", script.name,
                                  f"http://127.0.0.1:{port}{url}"], capture_output=True, text=True, check=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            page, sql, count = floors[url]
            rps = result["requests"] / result["seconds"]
            bad = f", {result['non2xx']} non-2xx, {result['errors']} errors" if result["non2xx"] or result["errors"] else ""
            yield (f"{name} ({count} SQL)",
                   f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, {rps:.0f} req/s{bad}; "
                   f"1 client {page * 1000:.0f} ms, SQL alone {sql * 1000:.1f} ms, ratio {page / sql:.1f}×",
                   "p95 ≤ 150 ms, ratio ≤ 2×")
    finally:
        server.terminate()
        server.wait(timeout=30)
