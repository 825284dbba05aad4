"""Every list operation runs the same number of queries however many rows it returns (no N+1): each
is counted before and after the data grows."""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.dates import D
from yujing.api.services import create_token
from yujing.clues import services as clue_services
from yujing.clues.services import Concerned
from yujing.oversight.models import Notification

# list operation -> the user who reads it (a role that sees the most of it)
LISTS = {"/api/units": "yjb", "/api/cadres": "yjb", "/api/clues": "yjb", "/api/cases": "yjb",
         "/api/transfers": "lianluo", "/api/reports": "yjb", "/api/my-work": "yjb", "/api/deadlines": "yjb",
         "/api/lapses": "yjb", "/api/notices": "zuzhibu", "/api/chief-reports": "xianwei",
         "/api/notifications": "yjb", "/api/problem-categories": "yjb"}


def test_every_list_operation_is_counted(db):
    from yujing.api.api import api

    paths = api.get_openapi_schema()["paths"]
    lists = {p for p, ops in paths.items() if "get" in ops and "{" not in p and p not in {"/api/due", "/api/cadres-lookup", "/api/policy"}}
    assert lists == set(LISTS), "add the new list operation to LISTS"


def _counts(tokens) -> dict[str, tuple[int, int]]:
    result = {}
    for path, username in LISTS.items():
        client = Client(headers={"Authorization": f"Bearer {tokens[username]}"})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, {"limit": 100})
        assert response.status_code == 200, (path, response.content[:200])
        body = json.loads(response.content)
        result[path] = (len(queries), len(body["items"]) if isinstance(body, dict) else len(body))
    return result


def unscreened(users, cadres, code):
    """A clue left unscreened past its time limit: a lapse (第三十三条)."""
    clue_services.register_clue(by=users["yjb"], today=D("2026-09-01"), received_on=D("2026-09-01"),
                                channel="petition", summary="反映问题", detail="x",
                                concerned=[Concerned(cadre_id=cadres[code].pk)])


def test_list_operations_keep_a_fixed_number_of_queries(users, cadres, open_case):
    tokens = {name: create_token(user=users[name], name="计数", by=users[name])[1]
              for name in {u for u in LISTS.values()}}
    # one of each to start with: counts compare one row with many (an empty list may skip a query)
    open_case("admonition", "MH0001", on="2026-09-02")
    unscreened(users, cadres, "MH0008")
    clue_services.file_transfer(by=users["lianluo"], today=D("2026-11-02"), transferred_on=D("2026-11-02"),
                                summary="移送", detail="x", concerned=[Concerned(cadre_id=cadres["MH0007"].pk)],
                                contact_person="莫", contact_phone="1")
    Notification.objects.create(user=users["yjb"], day=D("2026-10-31"), subject="提醒", body="x")
    _counts(tokens)  # a token's first use also records it: not part of the list
    before = _counts(tokens)
    for code in ("MH0002", "MH0003", "MH0004", "MH0005", "MH0006"):
        open_case("inquiry", code, on="2026-09-03")
        unscreened(users, cadres, code)
    for i in range(4):
        clue_services.file_transfer(by=users["lianluo"], today=D("2026-11-02"), transferred_on=D("2026-11-02"),
                                    summary=f"移送{i}", detail="x", concerned=[Concerned(cadre_id=cadres["MH0007"].pk)],
                                    contact_person="莫", contact_phone="1")
    for i in range(5):
        Notification.objects.create(user=users["yjb"], day=D(f"2026-11-0{i + 1}"), subject="提醒", body="x")
    after = _counts(tokens)
    grew = {p for p in LISTS if after[p][1] > before[p][1]}
    assert {"/api/clues", "/api/cases", "/api/transfers", "/api/notifications", "/api/my-work", "/api/lapses"} <= grew
    assert {p: after[p][0] for p in LISTS} == {p: before[p][0] for p in LISTS}


def test_further_letters_keep_the_lists_fixed(users, open_case, use_policy):
    """Cases waiting for a further letter (the policy's ``again``) are listed — the ledger, 我的待办, the deadline
    board — with the same number of queries for one as for five."""
    from tests.cases.conftest import SHOU, with_measure
    from yujing.cases import services as cs

    use_policy(with_measure(SHOU, "inquiry", again='{ max = 2, article = "第二十八条", period = "5d" }'))
    paths = ("/api/cases", "/api/my-work", "/api/deadlines")
    token = create_token(user=users["yjb"], name="计数", by=users["yjb"])[1]

    def waiting_for_a_second_letter(code):
        case = open_case("inquiry", code, on="2026-09-01")
        cs.decide(case=case, by=users["fushuji"], today=D("2026-09-01"), approve=True)
        cs.issue_letter(case=case, by=users["yjb"], today=D("2026-09-02"), kind="inquiry_letter",
                        issued_on=D("2026-09-02"), content="请说明")
        cs.record_receipt(case=case, by=users["yjb"], today=D("2026-09-03"), received_on=D("2026-09-03"))
        cs.record_response(case=case, by=users["yjb"], today=D("2026-09-10"), received_on=D("2026-09-10"), content="说明")
        cs.again(case=case, by=users["fushuji"], today=D("2026-09-11"), decided_on=D("2026-09-11"), reason="不清楚")

    def counts():
        client = Client(headers={"Authorization": f"Bearer {token}"})
        result = {}
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, {"limit": 100})
            assert response.status_code == 200, (path, response.content[:200])
            items = json.loads(response.content)["items"]
            if path == "/api/deadlines":
                items = [i for board in items for i in board["items"]]
            result[path] = (len(queries), sum(1 for i in items if path == "/api/cases" or i["kind"] == "again"))
        return result

    waiting_for_a_second_letter("MH0002")
    counts()  # a token's first use also records it: not part of the list
    before = counts()
    for code in ("MH0003", "MH0004", "MH0005", "MH0006"):
        waiting_for_a_second_letter(code)
    after = counts()
    assert {p: before[p][1] for p in ("/api/cases", "/api/my-work")} == {"/api/cases": 1, "/api/my-work": 1}
    assert {p: after[p][1] for p in ("/api/cases", "/api/my-work")} == {"/api/cases": 5, "/api/my-work": 5}
    assert {p: after[p][0] for p in paths} == {p: before[p][0] for p in paths}
