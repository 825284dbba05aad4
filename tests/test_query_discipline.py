"""Query discipline (issue 10): every list and detail page runs the same number of queries with 10 cases
as with 1,000 — measured on the benchmark's province, grown from 80 clues and 10 cases to 8,000 clues and
1,000 cases between the two counts. (Each list has some rows in both: an empty list may skip a query.)"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.province import build
from yujing.cases.models import WarningCase
from yujing.orgs import services as org_services
from yujing.orgs.models import Unit, User
from yujing.orgs.roles import Role
from yujing.oversight.reports import last_quarter


def _pages(long_case: int) -> dict[str, tuple[str, str]]:
    county = Unit.objects.get(code="P000")
    township = Unit.objects.get(code="P000-00")
    cadre = WarningCase.objects.get(pk=long_case).target_id
    year, quarter = last_quarter(timezone.localdate())
    return {
        "home (warning office)": ("office0", "/"), "clue list": ("office0", "/clues/"),
        "clue list, filtered": ("office0", "/clues/?channel=petition&status=handle"),
        "case list (ledger)": ("office0", "/cases/"), "case list, open": ("office0", "/cases/?open_only=on"),
        "case list, sorted": ("office0", "/cases/?sort=-target"), "clue list, sorted": ("office0", "/clues/?sort=status"),
        "cadre list, sorted": ("office0", "/cadres/?sort=-rank"),
        "clue due-date preview": ("office0", "/clues/new/due/?received_on=2026-09-02"),
        "cadre list": ("office0", "/cadres/"), "unit list": ("office0", "/units/"),
        "deadline board": ("office0", "/oversight/board/"), "my work": ("office0", "/oversight/my-work/"),
        "lapses": ("office0", "/oversight/lapses/"), "dashboard": ("office0", "/oversight/dashboard/"),
        "quarterly reports": ("office0", f"/oversight/reports/?year={year}&quarter={quarter}"),
        "assessments": ("office0", "/oversight/assessment/"), "notices": ("office0", "/cases/notices/"),
        "messages": ("office0", "/oversight/messages/"), "audit log": ("auditor0", "/audit/"),
        "township clue list": ("body0_0", "/clues/"), "township my work": ("body0_0", "/oversight/my-work/"),
        "case page": ("office0", f"/cases/{long_case}/"), "cadre page (integrity file)": ("office0", f"/cadres/{cadre}/"),
        "unit page": ("office0", f"/units/{township.pk}/"),
        "quarterly report": ("office0", f"/oversight/reports/{county.pk}/{year}/{quarter}/"),
        "township report": ("body0_0", f"/oversight/reports/{township.pk}/{year}/{quarter}/"),
    }


def _counts(pages) -> dict[str, int]:
    clients: dict[str, Client] = {}
    result = {}
    for name, (username, url) in pages.items():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        client.get(url)  # warm the per-session caches, as any second visit would
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        result[name] = len(queries)
    return result


def test_every_list_and_detail_page_runs_as_many_queries_at_1000_cases_as_at_10(db):
    today = timezone.localdate()
    size = build(clues=80, today=today, counties=1)
    assert WarningCase.objects.count() == 10
    auditor = org_services.create_user(username="auditor0", full_name="审计", unit=Unit.objects.get(code="P000-JW"),
                                       password=None)
    org_services.assign_role(user=auditor, unit=Unit.objects.get(code="P000-JW"), role=Role.AUDITOR)
    pages = _pages(size["long_case"])
    small = _counts(pages)
    build(clues=7920, today=today)
    assert WarningCase.objects.count() == 1000
    large = _counts(pages)
    assert large == small
