"""Issue 18, hole 4: a read through the API is logged as the same read through the page is — the same
action, object, unit and actor (第三十三条(六)). Lists are logged neither on the pages nor in the API;
a refused read logs nothing."""


import pytest

from tests.dates import D
from yujing.audit.models import Event
from yujing.cases import services as cs
from yujing.clues import services as clue_services
from yujing.clues.services import Concerned, Upload
from yujing.documents.contexts import targets_for_case
from yujing.documents.services import generate


def _events_of(client_call):
    """The events one request writes, as (action, object_type, object_id, actor username, data)."""
    last = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client_call()
    rows = Event.objects.filter(id__gt=last).order_by("id").select_related("actor")
    return response, [(e.action, e.object_type, e.object_id, e.actor.username if e.actor else None, e.data)
                      for e in rows]


@pytest.fixture
def clue(users, cadres):
    from tests.clues.conftest import pdf_bytes

    return clue_services.register_clue(
        by=users["yjb"], today=D("2026-09-01"), received_on=D("2026-09-01"), channel="petition", summary="反映问题",
        detail="群众反映的具体问题。", concerned=[Concerned(cadre_id=cadres["MH0001"].pk)],
        uploads=[Upload(name="来信.pdf", data=pdf_bytes())],
    )


def test_reading_a_clue_over_the_api_is_logged_as_the_page_logs_it(login, users, clue):
    client = login("yjb")
    page, on_page = _events_of(lambda: client.get(f"/clues/{clue.pk}/"))
    api, in_api = _events_of(lambda: client.get(f"/api/clues/{clue.pk}"))
    assert (page.status_code, api.status_code) == (200, 200)
    assert on_page == in_api == [("clues.clue.viewed", "clues.clue", str(clue.pk), "yjb", {})]
    assert Event.objects.filter(action="clues.clue.viewed").last().unit_path == clue.handling_unit.path
    # a clue's documents are listed on its page: the same event, saying which part was read
    docs, listed = _events_of(lambda: client.get(f"/api/clues/{clue.pk}/documents"))
    assert docs.status_code == 200
    assert listed == [("clues.clue.viewed", "clues.clue", str(clue.pk), "yjb", {"part": "documents"})]


def test_downloading_an_attachment_over_the_api_is_logged_as_on_the_page(login, clue):
    client = login("yjb")
    attachment = clue.attachments.get()
    page, on_page = _events_of(lambda: client.get(f"/clues/attachments/{attachment.pk}/"))
    api, in_api = _events_of(lambda: client.get(f"/api/clues/{clue.pk}/attachments/{attachment.pk}"))
    assert (page.status_code, api.status_code) == (200, 200)
    expected = [("clues.attachment.viewed", "clues.clue", str(clue.pk), "yjb",
                 {"attachment": attachment.pk, "file": "来信.pdf"})]
    assert on_page == in_api == expected


def test_reading_a_case_over_the_api_is_logged_as_the_page_logs_it(login, open_case):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    client = login("yjb")
    page, on_page = _events_of(lambda: client.get(f"/cases/{case.pk}/"))
    api, in_api = _events_of(lambda: client.get(f"/api/cases/{case.pk}"))
    assert (page.status_code, api.status_code) == (200, 200)
    assert on_page == in_api == [("cases.case.viewed", "cases.warningcase", str(case.pk), "yjb", {})]
    docs, listed = _events_of(lambda: client.get(f"/api/cases/{case.pk}/documents"))
    assert docs.status_code == 200
    assert listed == [("cases.case.viewed", "cases.warningcase", str(case.pk), "yjb", {"part": "documents"})]


def test_downloading_a_document_over_the_api_is_logged_as_on_the_page(login, users, open_case):
    case = open_case("inquiry", "MH0003", on="2026-06-01")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-06-01"), approve=True)
    cs.issue_letter(case=case, by=users["yjb"], today=D("2026-06-02"), kind="inquiry_letter",
                    issued_on=D("2026-06-02"), content="请说明情况")
    case.refresh_from_db()
    target = next(t for t in targets_for_case(case) if t.form.key == "inquiry_letter")
    document = generate(target, by=users["yjb"], today=D("2026-06-02"), pdf=False)
    client = login("yjb")
    page, on_page = _events_of(lambda: client.get(f"/documents/{document.pk}/docx/"))
    api, in_api = _events_of(lambda: client.get(f"/api/documents/{document.pk}/docx"))
    assert (page.status_code, api.status_code) == (200, 200)
    expected = [("documents.document.downloaded", "cases.warningcase", str(case.pk), "yjb",
                 {"document": document.pk, "format": "docx"})]
    assert on_page == in_api == expected


def test_the_cadre_page_logs_a_read_of_the_integrity_file(login, cadres):
    cadre = cadres["MH0001"]
    page, events = _events_of(lambda: login("yjb").get(f"/cadres/{cadre.pk}/"))
    assert page.status_code == 200
    assert events == [("cadres.integrity_file.viewed", "cadres.cadre", str(cadre.pk), "yjb", {})]
    assert Event.objects.get(action="cadres.integrity_file.viewed").unit_path == cadre.managed_by.path
    # the API's cadre is the roster's row, without the integrity file: nothing confidential is read
    api, none = _events_of(lambda: login("yjb").get(f"/api/cadres/{cadre.pk}"))
    assert api.status_code == 200 and "records" not in api.json()
    assert none == []


def test_reading_a_report_over_the_api_is_logged_as_the_page_logs_it(login, demo):
    unit = demo["MH-QS"]
    client = login("yjb")
    page, on_page = _events_of(lambda: client.get(f"/oversight/reports/{unit.pk}/2026/3/"))
    api, in_api = _events_of(lambda: client.get(f"/api/reports/{unit.pk}/2026/3"))
    assert (page.status_code, api.status_code) == (200, 200)
    expected = [("oversight.report.viewed", "orgs.unit", str(unit.pk), "yjb", {"year": 2026, "quarter": 3})]
    assert on_page == in_api == expected
    figure, rows = _events_of(lambda: client.get(f"/oversight/reports/{unit.pk}/2026/3/figure/clues/"))
    assert figure.status_code == 200
    assert rows == [("oversight.report.viewed", "orgs.unit", str(unit.pk), "yjb",
                     {"year": 2026, "quarter": 3, "figure": "clues"})]


def test_lists_and_refused_reads_log_nothing(login, clue, open_case, demo):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    yjb, outsider = login("yjb"), login("qs_jiwei")
    for path in ("/api/clues", "/api/cases", "/api/cadres", "/api/reports", "/clues/", "/cases/"):
        response, events = _events_of(lambda p=path: yjb.get(p))
        assert (path, response.status_code, events) == (path, 200, [])
    for path in (f"/api/clues/{clue.pk}", f"/api/cases/{case.pk}", f"/api/cases/{case.pk}/documents",
                 f"/api/clues/{clue.pk}/documents", f"/api/reports/{demo['MH-BS'].pk}/2026/3"):
        response, events = _events_of(lambda p=path: outsider.get(p))
        assert (path, response.status_code, events) == (path, 404, [])


def test_a_token_read_is_logged_with_the_token_user(client, users, clue):
    from yujing.api.services import create_token

    token = create_token(user=users["yjb"], name="接口", by=users["yjb"])[1]
    headers = {"Authorization": f"Bearer {token}"}
    client.get("/api/units", headers=headers)  # a token's first use records it: not part of the read
    response, events = _events_of(lambda: client.get(f"/api/clues/{clue.pk}", headers=headers))
    assert response.status_code == 200
    assert events == [("clues.clue.viewed", "clues.clue", str(clue.pk), "yjb", {})]
