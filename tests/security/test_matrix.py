"""The permission matrix: every page, download and action, for every role, inside and outside the
object's jurisdiction — allowed, or denied with 403/404 and never data. A URL missing from the
matrix fails the test, so no later page can skip it."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.dates import D
from yujing.orgs.models import User

ROLES = ["yjb", "shuji", "fushuji", "changwei", "xianwei", "qs_dangwei", "qs_jiwei", "lianluo", "zuzhibu", "renshe",
         "shenji", "admin"]
EVERYONE = set(ROLES)
COUNTY_DISCIPLINE = {"yjb", "shuji", "fushuji", "changwei"}
CLUE_READERS = COUNTY_DISCIPLINE | {"qs_jiwei"}
CASE_READERS = COUNTY_DISCIPLINE | {"qs_jiwei", "qs_dangwei"}
SCREENERS = {"yjb", "qs_jiwei"}
CASE_BODY = {"yjb", "qs_jiwei", "qs_dangwei"}
CADRE_READERS = COUNTY_DISCIPLINE | {"xianwei", "qs_dangwei", "qs_jiwei", "zuzhibu", "renshe", "admin"}
NOBODY: set[str] = set()

# url name: (method, roles allowed on the township's object) — objects are 青石镇's
MATRIX = {
    "home": ("GET", EVERYONE), "logout": ("POST", EVERYONE), "password_change": ("GET", EVERYONE),
    "password_change_done": ("GET", EVERYONE), "two_factor": ("GET", EVERYONE), "favicon": ("GET", EVERYONE),
    "relations": ("GET", EVERYONE),
    "clues:clue_secrecy": ("POST", SCREENERS | {"shuji", "fushuji"}),
    "cases:case_secrecy": ("POST", SCREENERS | {"shuji", "fushuji"}),
    "orgs:unit_list": ("GET", EVERYONE), "orgs:unit_detail": ("GET", EVERYONE - {"lianluo"}),
    "cadres:cadre_list": ("GET", CADRE_READERS), "cadres:cadre_detail": ("GET", CADRE_READERS),
    "cadres:roster_import": ("GET", {"zuzhibu", "admin"}), "cadres:roster_template": ("GET", {"zuzhibu", "admin"}),
    "cadres:cadre_lookup": ("GET", SCREENERS | {"lianluo"}),
    "clues:clue_list": ("GET", CLUE_READERS), "clues:clue_create": ("GET", SCREENERS),
    "clues:clue_due": ("GET", SCREENERS),
    "clues:clue_detail": ("GET", CLUE_READERS), "clues:clue_screen": ("POST", SCREENERS),
    "clues:clue_attach": ("POST", SCREENERS), "clues:clue_merge": ("POST", SCREENERS),
    "clues:clue_feedback": ("POST", SCREENERS), "clues:clue_reporter": ("POST", {"yjb", "shuji"}),
    "clues:attachment_download": ("GET", CLUE_READERS), "clues:transfer_list": ("GET", {"lianluo"}),
    "clues:transfer_create": ("GET", {"lianluo"}), "clues:transfer_detail": ("GET", {"lianluo"}),
    "cases:case_list": ("GET", CASE_READERS), "cases:case_detail": ("GET", CASE_READERS),
    "cases:case_act": ("POST", CASE_BODY), "cases:chief_reports": ("GET", {"xianwei"}),
    "cases:minutes_download": ("GET", CASE_READERS),
    # a dated form's preview follows that form: the world's case is proposed and not yet verified, so no one
    # may approve it yet (who may, once it is, is in tests/cases/test_due_preview.py)
    "cases:case_due": ("GET", NOBODY),
    "cases:report_seen": ("POST", NOBODY), "cases:notices": ("GET", EVERYONE),
    "cases:restrictions": ("GET", CADRE_READERS - {"admin"}), "cases:purge": ("GET", {"admin"}),
    "documents:generate_for_case": ("POST", CASE_BODY), "documents:generate_for_clue": ("POST", SCREENERS),
    "documents:download": ("GET", CASE_READERS), "documents:void": ("POST", CASE_BODY),
    "documents:case_file": ("GET", CASE_READERS), "documents:ledger": ("GET", CASE_READERS),
    "oversight:my_work": ("GET", EVERYONE), "oversight:board": ("GET", CASE_READERS),
    "oversight:lapses": ("GET", COUNTY_DISCIPLINE | {"qs_jiwei"}), "oversight:annotate": ("POST", COUNTY_DISCIPLINE - {"changwei"} | {"changwei"}),
    "oversight:notifications": ("GET", EVERYONE), "oversight:notification_read": ("POST", EVERYONE),
    "oversight:reports": ("GET", CASE_READERS), "oversight:report": ("GET", CASE_READERS),
    "oversight:report_figure": ("GET", CASE_READERS), "oversight:report_export": ("GET", CASE_READERS),
    "oversight:dashboard": ("GET", CASE_READERS), "oversight:assessments": ("GET", CASE_READERS),
    "oversight:assessment": ("GET", CASE_READERS), "oversight:assessments_xlsx": ("GET", CASE_READERS),
    "oversight:meetings": ("GET", COUNTY_DISCIPLINE), "oversight:meeting": ("GET", COUNTY_DISCIPLINE),
    "audit:event_list": ("GET", {"shuji", "shenji"}), "audit:event_export": ("GET", {"shuji", "shenji"}),
    "policy:policy_detail": ("GET", EVERYONE), "policy:calculator": ("GET", EVERYONE),
    "policy:calendar": ("GET", EVERYONE),
}
SKIP = {"login"}  # public by design


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in {"admin", "api"}:
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else "favicon", prefix + str(entry.pattern)


def test_every_url_is_in_the_matrix():
    names = {name for name, _ in _walk(get_resolver())} - SKIP
    assert names - set(MATRIX) == set(), "add these URLs to the permission matrix"
    assert set(MATRIX) - names == set(), "the matrix names URLs that no longer exist"


@pytest.fixture
def world(users, cadres, demo, open_case, settings, tmp_path):
    """One object of each kind at 青石镇 (inside a township's jurisdiction), and the same at 白沙镇."""
    settings.MEDIA_ROOT = tmp_path
    from yujing.cases import services as cs
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned, Upload
    from yujing.documents.contexts import targets_for_case
    from yujing.documents.services import generate
    from yujing.oversight.meetings import record_meeting
    from yujing.oversight.models import Notification

    def township(code, who):
        clue = clue_services.register_clue(by=users[who], today=D("2026-11-02"), received_on=D("2026-11-02"),
                                           channel="petition", summary="问题", detail="详情",
                                           concerned=[Concerned(cadre_id=cadres[code].pk)],
                                           reporter=clue_services.Reporter("实名举报人"),
                                           uploads=[Upload("a.pdf", b"%PDF-1.4 x")])
        return clue

    inside_clue = township("MH0007", "qs_jiwei")
    inside_case = open_case("inquiry", "MH0008", on="2026-11-03")
    cs.record_verification(case=inside_case, by=users["qs_jiwei"], today=D("2026-11-03"), method="inquiry",
                           done_on=D("2026-11-03"), findings="x", conclusion="true")
    cs.decide(case=inside_case, by=users["qs_dangwei"], today=D("2026-11-03"), approve=True)
    cs.issue_letter(case=inside_case, by=users["qs_jiwei"], today=D("2026-11-04"), kind="inquiry_letter",
                    issued_on=D("2026-11-04"), content="请说明")
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from yujing.cases.models import Minutes

    # minutes on the case's decision, to read (the committee attaches them through cases.services.decide)
    minutes = Minutes(decision=inside_case.decisions.get(), original_name="纪要.pdf", kind="pdf", size=10, sha256="0",
                      uploaded_by=users["qs_dangwei"], uploaded_at=timezone.now())
    minutes.file.save("minutes", ContentFile(b"%PDF-1.4 x"), save=True)
    letter = next(t for t in targets_for_case(inside_case) if t.form.key == "inquiry_letter")
    document = generate(letter, by=users["qs_jiwei"], today=D("2026-11-04"), pdf=False)
    transfer = clue_services.file_transfer(by=users["lianluo"], today=D("2026-11-02"), transferred_on=D("2026-11-02"),
                                           summary="移送", detail="x", concerned=[Concerned(cadre_id=cadres["MH0007"].pk)],
                                           contact_person="莫", contact_phone="1")
    meeting = record_meeting(by=users["yjb"], today=D("2026-11-05"), held_on=D("2026-11-05"), place="x", topic="x",
                             minutes="x", attendees=[demo["MH-SJ"]])
    notification = Notification.objects.create(user=users["yjb"], day=D("2026-11-05"), subject="x", body="x")
    outside_clue = township("MH0016", "yjb")  # 白沙镇's station head: the county handles it, not 青石镇
    from yujing.clues.models import Clue

    Clue.objects.filter(pk=outside_clue.pk).update(handling_unit=demo["MH-BS"])
    outside_case = open_case("inquiry", "MH0001", on="2026-11-03")  # county-level case
    return {"clue": inside_clue, "case": inside_case, "document": document, "minutes": minutes, "transfer": transfer,
            "meeting": meeting, "notification": notification, "unit": demo["MH-QS"],
            "outside_clue": outside_clue, "outside_case": outside_case, "outside_unit": demo["MH-BS"]}


def url_for(route: str, name: str, w: dict, outside: bool = False) -> str:
    case = w["outside_case" if outside else "case"]
    clue = w["outside_clue" if outside else "clue"]
    unit = w["outside_unit" if outside else "unit"]
    values = {
        "orgs:unit_detail": {"pk": unit.pk}, "cadres:cadre_detail": {"pk": clue.concerned.first().cadre_id},
        "clues:clue_detail": {"pk": clue.pk}, "clues:clue_screen": {"pk": clue.pk}, "clues:clue_attach": {"pk": clue.pk},
        "clues:clue_merge": {"pk": clue.pk}, "clues:clue_feedback": {"pk": clue.pk}, "clues:clue_reporter": {"pk": clue.pk},
        "clues:clue_secrecy": {"pk": clue.pk}, "cases:case_secrecy": {"pk": case.pk},
        "clues:attachment_download": {"pk": clue.attachments.first().pk},
        "clues:transfer_detail": {"pk": w["transfer"].pk}, "cases:case_detail": {"pk": case.pk},
        "cases:case_act": {"pk": case.pk, "name": "verify"}, "cases:report_seen": {"pk": 1},
        "cases:case_due": {"pk": case.pk, "name": "approve"}, "cases:minutes_download": {"pk": w["minutes"].pk},
        "documents:generate_for_case": {"pk": case.pk, "form": "target_approval", "subject": f"case:{case.pk}"},
        "documents:generate_for_clue": {"pk": w["transfer"].pk, "form": "clue_transfer",
                                        "subject": f"clue:{w['transfer'].pk}"},
        "documents:download": {"pk": w["document"].pk, "fmt": "docx"}, "documents:void": {"pk": w["document"].number_id},
        "documents:case_file": {"pk": case.pk}, "oversight:report": {"unit": unit.pk, "year": 2026, "quarter": 3},
        "oversight:report_figure": {"unit": unit.pk, "year": 2026, "quarter": 3, "key": "clues"},
        "oversight:report_export": {"unit": unit.pk, "year": 2026, "quarter": 3, "fmt": "xlsx"},
        "oversight:assessment": {"unit": unit.pk, "year": 2026}, "oversight:assessments_xlsx": {"year": 2026},
        "oversight:meeting": {"pk": w["meeting"].pk}, "oversight:notification_read": {"pk": w["notification"].pk},
    }.get(name, {})
    path = route
    for key, value in values.items():
        path = re.sub(rf"<\w+:{key}>", str(value), path)
    return "/" + path.replace("export.<str:fmt>", "export.xlsx").replace("<int:year>.xlsx", "2026.xlsx")


def test_permission_matrix(world, users):
    routes = dict(_walk(get_resolver()))
    failures = []
    for name, (method, allowed) in MATRIX.items():
        route = routes[name]
        for username in ROLES:
            client = Client()
            client.force_login(User.objects.get(username=username))
            url = url_for(route, name, world)
            data = {"key": f"unscreened:clue:{world['clue'].pk}", "status": "noted", "note": "x"} \
                if name == "oversight:annotate" else {}
            response = client.post(url, data) if method == "POST" else client.get(url)
            denied = response.status_code in (403, 404)
            if (username in allowed) == denied:
                failures.append(f"{name} {username}: {response.status_code}")
    assert failures == [], "\n".join(failures)


OBJECT_URLS = ["orgs:unit_detail", "clues:clue_detail", "clues:clue_screen", "clues:attachment_download",
               "cases:case_detail", "cases:case_act", "cases:case_due", "documents:case_file", "oversight:report",
               "oversight:report_export", "oversight:assessment"]


@pytest.mark.parametrize("username", ["qs_jiwei", "qs_dangwei"])
def test_objects_outside_the_jurisdiction_are_not_found(world, users, username):
    routes = dict(_walk(get_resolver()))
    client = Client()
    client.force_login(users[username])
    for name in OBJECT_URLS:
        method = MATRIX[name][0]
        url = url_for(routes[name], name, world, outside=True)
        response = client.post(url, {}) if method == "POST" else client.get(url)
        assert response.status_code == 404, (name, response.status_code)


# --- the API: every read operation, for every role --------------------------------------------

API_READS = {
    "/api/units": EVERYONE, "/api/units/{unit_id}": EVERYONE - {"lianluo"},
    "/api/cadres": CADRE_READERS, "/api/cadres/{cadre_id}": CADRE_READERS,
    "/api/due": EVERYONE, "/api/policy": EVERYONE, "/api/clues": CLUE_READERS, "/api/clues/{clue_id}": CLUE_READERS,
    "/api/clues/{clue_id}/attachments/{attachment_id}": CLUE_READERS, "/api/transfers": {"lianluo"},
    "/api/transfers/{clue_id}": {"lianluo"}, "/api/cadres-lookup": SCREENERS | {"lianluo"},
    "/api/problem-categories": EVERYONE, "/api/cases": CASE_READERS, "/api/cases/{case_id}": CASE_READERS,
    "/api/cases/{case_id}/documents": CASE_READERS, "/api/clues/{clue_id}/documents": CLUE_READERS,
    "/api/cases/{case_id}/minutes/{minutes_id}": CASE_READERS,
    "/api/documents/{document_id}/{fmt}": CASE_READERS,
    "/api/reports": CASE_READERS, "/api/reports/{unit_id}/{year}/{quarter}": CASE_READERS,
    "/api/my-work": EVERYONE, "/api/deadlines": CASE_READERS, "/api/lapses": COUNTY_DISCIPLINE | {"qs_jiwei"},
    "/api/notices": EVERYONE, "/api/chief-reports": {"xianwei"}, "/api/notifications": EVERYONE,
}


def test_every_api_operation_is_covered(db):
    from yujing.api.api import api

    schema = api.get_openapi_schema()
    reads = {path for path, ops in schema["paths"].items() if "get" in ops}
    assert reads - set(API_READS) == set(), "add these read operations to API_READS"
    assert set(API_READS) - reads == set()


def _token(user) -> str:
    """A token for the user's role, made by the user himself (an administrator may not make one for a two-factor
    or cleared role); the administrator's own role, for which no token can be made any more (tests/security/
    test_token_grants.py), through a row as one made before that rule would be."""
    import secrets

    from yujing.api.models import ApiToken
    from yujing.api.services import TOKEN_PREFIX, binding, create_token

    if user.username != "admin":
        return create_token(user=user, name="matrix", by=user)[1]
    grant = binding(user)
    text = TOKEN_PREFIX + secrets.token_urlsafe(16)
    ApiToken.objects.create(user=user, name="matrix", role=grant.role, unit=grant.unit, prefix=text[:10],
                            token_hash=ApiToken.hash(text))
    return text


def test_api_read_matrix(world, users):
    values = {"unit_id": world["unit"].pk, "cadre_id": world["clue"].concerned.first().cadre_id,
              "clue_id": world["clue"].pk, "attachment_id": world["clue"].attachments.first().pk,
              "case_id": world["case"].pk, "document_id": world["document"].pk, "fmt": "docx", "year": 2026,
              "minutes_id": world["minutes"].pk,
              "quarter": 3}
    failures = []
    for path, allowed in API_READS.items():
        for username in ROLES:
            token = _token(users[username])
            url = path.format(**values) if "{" in path else path
            if path == "/api/transfers/{clue_id}":
                url = f"/api/transfers/{world['transfer'].pk}"
            query = {"start": "2026-01-31", "period": "1m"} if path == "/api/due" else (
                {"q": "丁"} if path == "/api/cadres-lookup" else {})
            response = Client().get(url, query, headers={"Authorization": f"Bearer {token}"})
            denied = response.status_code in (403, 404)
            if (username in allowed) == denied:
                failures.append(f"{path} {username}: {response.status_code}")
    assert failures == [], "\n".join(failures)


# --- the API: every write operation, for every role ---------------------------------------------
# Each is posted with a body that satisfies its schema, so the permission check — not the parser —
# decides; a role outside the set must get 403 or 404. Each request is rolled back, so every role
# meets the same world (a township case with its letter out, a registered clue, a transfer).

# The township's own case is decided at unit level (第十七条). The county's leaders reach it too (they
# may read it), so a decision that is not open in the case's present state (a letter is out) answers
# them 422 with the state, no data; escalation, open in this state, meets the policy's tier: 403.
CASE_DECIDERS = {"shuji", "fushuji", "changwei", "qs_dangwei"}
API_WRITES = {
    "/api/clues": SCREENERS, "/api/clues/{clue_id}/screen": SCREENERS, "/api/clues/{clue_id}/merge": SCREENERS,
    "/api/clues/{clue_id}/attachments": SCREENERS, "/api/clues/{clue_id}/feedback": SCREENERS,
    "/api/clues/{clue_id}/reporter": {"yjb", "shuji"}, "/api/transfers": {"lianluo"},
    "/api/restrictions": CADRE_READERS - {"admin"},
    "/api/cases/{case_id}/documents": CASE_BODY, "/api/clues/{clue_id}/documents": SCREENERS,
    **{f"/api/cases/{{case_id}}/{step}": CASE_BODY for step in (
        "verify", "withdraw", "report-chief", "plan-talk", "notify-talk", "hold-talk", "write-register",
        "issue-letter", "record-receipt", "record-limit", "record-response", "send-back", "sign-off", "request-extension", "revisit", "notify",
        "report-outcome")},
    **{f"/api/cases/{{case_id}}/{step}": CASE_DECIDERS for step in (
        "refer", "approve", "reject", "approve-register", "decide-extension", "lift", "new-round", "again")},
    "/api/cases/{case_id}/escalate": {"qs_dangwei"},
    "/api/roster-imports": {"zuzhibu", "admin"},
    "/api/clues/{clue_id}/secrecy": SCREENERS | {"shuji", "fushuji"},
    "/api/cases/{case_id}/secrecy": SCREENERS | {"shuji", "fushuji"},
    "/api/document-numbers/{number_id}/void": CASE_BODY,
    # 第四条: the unit's discipline body submits, the county warning office sends back
    "/api/reports/{unit_id}/{year}/{quarter}/submit": {"qs_jiwei"},
    "/api/reports/{unit_id}/{year}/{quarter}/return": {"yjb"},
    "/api/lapses/notes": COUNTY_DISCIPLINE,
    "/api/chief-reports/{report_id}/seen": NOBODY,  # no report in this world: 404 for everyone
    "/api/notifications/{notification_id}/read": {"yjb"},  # one's own messages only
}


def _example(schema: dict, components: dict, name: str, values: dict):
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "object":
        props = schema.get("properties", {})
        return {key: _example(props[key], components, key, values) for key in schema.get("required", [])}
    if kind == "array":
        return [_example(schema["items"], components, name, values)]
    if kind == "integer":
        return values[name]  # a KeyError here: name a real object for this new id field
    if kind == "boolean":
        return False
    if fmt == "date":
        return "2026-11-05"
    if fmt == "date-time":
        return "2026-11-05T09:00:00+08:00"
    return values.get(name, "x")


def test_every_api_write_is_covered(db):
    from yujing.api.api import api

    schema = api.get_openapi_schema()
    writes = {path for path, ops in schema["paths"].items() if set(ops) - {"get"}}
    assert writes - set(API_WRITES) == set(), "add these write operations to API_WRITES"
    assert set(API_WRITES) - writes == set()


def test_api_write_matrix(world, users, cadres):
    import json

    from django.db import transaction

    from yujing.api.api import api

    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    # every id a body names is a real one (ids differ between SQLite and PostgreSQL runs)
    values = {"chief_id": users["qs_dangwei"].pk, "other_ids": world["clue"].pk,
              "key": f"unscreened:clue:{world['clue'].pk}"}
    failures = []
    for path, allowed in API_WRITES.items():
        operation = schema["paths"][path]["post"]
        body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        body = _example(body_schema, components, "", values) if body_schema else {}
        ids = {"clue_id": world["clue"].pk, "case_id": world["case"].pk, "unit_id": world["unit"].pk, "year": 2026,
               "quarter": 3, "number_id": world["document"].number_id, "report_id": 1,
               "notification_id": world["notification"].pk}
        if path.endswith("/documents"):  # a form that exists for the object, so only permission decides
            subject = world["transfer"] if path.startswith("/api/clues") else world["case"]
            ids["clue_id"] = world["transfer"].pk
            body = {**body, "form": "clue_transfer" if path.startswith("/api/clues") else "target_approval",
                    "subject": f"{'clue' if path.startswith('/api/clues') else 'case'}:{subject.pk}"}
        for username in ROLES:
            token = _token(users[username])
            with transaction.atomic():  # every request meets the same world: roll back what it wrote
                response = Client().post(path.format(**ids), json.dumps(body), content_type="application/json",
                                         headers={"Authorization": f"Bearer {token}"})
                transaction.set_rollback(True)
            denied = response.status_code in (403, 404)
            if (username in allowed) == denied:
                failures.append(f"{path} {username}: {response.status_code} {response.content.decode()[:80]}")
    assert failures == [], "\n".join(failures)
