"""The JSON API: OpenAPI, authentication, one error shape, the same scoping as the pages."""

import pytest
from django.test import Client

from yujing.api.services import create_token, revoke_token
from yujing.cadres.models import Cadre


@pytest.fixture
def token(users):
    _, text = create_token(user=users["yjb"], name="人事系统", by=users["yjb"])
    return text


def bearer(text):
    return {"Authorization": f"Bearer {text}"}


def test_openapi_describes_the_operations_in_chinese(db):
    doc = Client().get("/api/openapi.json").json()
    assert doc["info"]["title"] == "预警 Yujing 接口"
    for path in ("/api/units", "/api/units/{unit_id}", "/api/cadres", "/api/cadres/{cadre_id}", "/api/due"):
        assert path in doc["paths"], path
    assert doc["paths"]["/api/cadres"]["get"]["summary"] == "干部名册"
    assert "Error" in doc["components"]["schemas"]


def test_docs_page_is_served_without_any_external_host(db):
    page = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page


def test_anonymous_gets_401_in_the_error_shape(db):
    response = Client().get("/api/cadres")
    assert response.status_code == 401
    assert response.json() == {"code": "unauthorized", "message": "未登录或接口令牌无效"}


def test_token_sees_the_county(client, token):
    response = client.get("/api/cadres?limit=10", headers=bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 75
    assert len(body["items"]) == 10
    assert set(body["items"][0]) >= {"code", "name", "managed_by_id", "is_principal", "scope_category"}


def test_limit_is_capped(client, token):
    assert client.get("/api/cadres?limit=100000", headers=bearer(token)).status_code == 422


def test_unit_role_sees_its_unit_only(login, demo):
    client = login("qs_jiwei")
    body = client.get("/api/cadres").json()
    assert body["count"] == 3
    assert {c["managed_by_id"] for c in body["items"]} == {demo["MH-QS"].pk}
    county_managed = Cadre.objects.filter(managed_by=demo["MH-XW"]).first()
    response = client.get(f"/api/cadres/{county_managed.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_wrong_role_is_403(login):
    response = login("lianluo").get("/api/cadres")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_revoked_and_unknown_tokens_are_refused(client, users, token):
    from yujing.api.models import ApiToken

    assert client.get("/api/units", headers=bearer("yj_not-a-token")).status_code == 401
    revoke_token(token=ApiToken.objects.get(), by=users["admin"])
    assert client.get("/api/units", headers=bearer(token)).status_code == 401


def test_token_is_stored_hashed_and_marks_last_use(client, token):
    from yujing.api.models import ApiToken

    row = ApiToken.objects.get()
    assert token not in (row.token_hash, row.prefix)
    assert row.last_used_at is None
    client.get("/api/units", headers=bearer(token))
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_due_operation(client, token):
    body = client.get("/api/due?start=2026-09-24&period=7d", headers=bearer(token)).json()
    assert body == {"start": "2026-09-24", "period": "7d", "due": "2026-10-08", "nominal": "2026-10-01",
                    "rolled": True, "provisional": False}
    bad = client.get("/api/due?start=2026-09-24&period=7x", headers=bearer(token))
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid"
    assert "格式不对" in bad.json()["message"]
    missing = client.get("/api/due?period=7d", headers=bearer(token))
    assert missing.status_code == 422
    assert missing.json()["code"] == "invalid"


def test_units_and_list_query_count(client, token, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        body = client.get("/api/cadres?limit=50", headers=bearer(token)).json()
    assert len(body["items"]) == 50
    units = client.get("/api/units", headers=bearer(token)).json()
    assert units["count"] == 15
    assert units["items"][0]["name"] == "明湖县"


def test_a_token_has_only_the_role_and_unit_it_is_bound_to(client, users, demo):
    """An integration user who also holds a county role gets, through a township token, the township."""
    from django.core.exceptions import ValidationError

    from yujing.orgs.models import RoleAssignment

    user = users["qs_jiwei"]
    RoleAssignment.objects.create(user=user, unit=demo["MH-JW-YJB"], role="warning_office")
    with pytest.raises(ValidationError, match="有多个角色，请指定令牌使用的角色和单位"):
        create_token(user=user, name="乡镇系统", by=users["admin"])
    with pytest.raises(ValidationError, match="在该单位没有有效的此角色"):
        create_token(user=user, name="乡镇系统", role="warning_office", unit=demo["MH-QS"], by=users["admin"])
    row, text = create_token(user=user, name="乡镇系统", role="discipline_body", unit=demo["MH-QS"],
                             by=user)  # 秘密: only the user himself makes it (tests/security/test_token_grants.py)
    assert (row.role, row.unit) == ("discipline_body", demo["MH-QS"])
    body = client.get("/api/cadres", headers=bearer(text)).json()
    assert body["count"] == 3  # the township's, not the county's 75
    # the browser session of the same user has both roles
    session = Client()
    session.force_login(user)
    assert session.get("/api/cadres").json()["count"] == 75
    # the role withdrawn: the token stops working
    RoleAssignment.objects.filter(user=user, role="discipline_body").update(is_active=False)
    assert client.get("/api/cadres", headers=bearer(text)).status_code == 401


def test_only_an_administrator_creates_tokens_and_each_is_audited(users, demo):
    from django.core.exceptions import PermissionDenied, ValidationError

    from yujing.audit.models import Event

    with pytest.raises(PermissionDenied, match="只有系统管理员可以创建接口令牌"):
        create_token(user=users["zuzhibu"], name="人事系统", by=users["yjb"])
    with pytest.raises(ValidationError, match="请写明令牌用途"):
        create_token(user=users["zuzhibu"], name=" ", by=users["admin"])
    row, _ = create_token(user=users["zuzhibu"], name="人事系统", by=users["admin"])
    event = Event.objects.get(action="api.token.created")
    assert (event.actor_id, event.data) == (users["admin"].pk, {
        "user": users["zuzhibu"].pk, "name": "人事系统", "role": "organization_dept", "unit": row.unit_id})


def test_the_token_command_creates_lists_and_revokes(client, users, capsys):
    from django.core.management import call_command

    from yujing.api.models import ApiToken

    call_command("api_token", "create", by="admin", user="zuzhibu", name="人事系统")
    text = capsys.readouterr().out.strip()
    assert text.startswith("yj_") and client.get("/api/cadres", headers=bearer(text)).status_code == 200
    row = ApiToken.objects.get()
    call_command("api_token", "list")
    assert capsys.readouterr().out.strip().startswith(f"{row.prefix}  人事系统  zuzhibu  organization_dept@")
    with pytest.raises(Exception, match="只有系统管理员可以吊销接口令牌"):
        call_command("api_token", "revoke", row.prefix, by="yjb")
    call_command("api_token", "revoke", row.prefix, by="admin")
    assert client.get("/api/cadres", headers=bearer(text)).status_code == 401


def test_a_body_that_is_not_json_gets_400_in_the_error_shape(client, token):
    response = client.post("/api/restrictions", "{not json", content_type="application/json",
                           headers=bearer(token))
    assert response.status_code == 400
    assert response.json() == {"code": "bad_request", "message": "请求体不是有效的 JSON"}


def test_a_fault_is_500_in_the_error_shape_and_logged(client, token, monkeypatch, caplog):
    from yujing.orgs import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "unit_get", broken)
    response = client.get("/api/units/1", headers=bearer(token))
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "message": "系统内部错误，已记录，请联系系统管理员"}
    assert "boom" in caplog.text


def test_every_operation_and_parameter_is_described_in_chinese(db):
    import re

    from yujing.api.api import api

    chinese = re.compile("[\u4e00-\u9fff]")
    missing = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if not (chinese.search(operation["summary"]) and chinese.search(operation["description"])):
                missing.append(f"{method} {path}")
            missing += [f"{method} {path} {p['name']}" for p in operation.get("parameters", [])
                        if not chinese.search(p.get("description", ""))]
            documented = {str(code) for code in operation["responses"]}
            missing += [f"{method} {path} {code}" for code in ("400", "401", "403", "404", "422")
                        if code not in documented]
    assert missing == []


def test_a_body_over_the_limit_is_413_in_the_error_shape(client, token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/api/restrictions", '{"codes": ["' + "x" * 2000 + '"]}', content_type="application/json",
                           headers=bearer(token))
    assert response.status_code == 413
    assert response.json() == {"code": "too_large", "message": "请求过大：附件每个不超过 20 MB"}


@pytest.mark.parametrize(("method", "url", "body", "message"), [
    ("get", "/api/units?offset=9223372036854775808", None, "offset超出范围"),
    ("get", "/api/cadres?unit_id=-9223372036854775809", None, "unit_id超出范围"),
    ("get", "/api/cadres?unit_id=" + "9" * 5000, None, "unit_id超出范围"),
    ("get", "/api/cadres?q=a%00b", None, "q含有不允许的控制字符 (NUL)"),
    ("post", "/api/restrictions", {"cadre_ids": [2**63]}, "cadre_ids超出范围"),
    ("post", "/api/restrictions", {"codes": ["a\u0000b"]}, "codes含有不允许的控制字符 (NUL)"),
])
def test_input_no_column_can_hold_is_refused_with_422(client, token, method, url, body, message):
    """A NUL (PostgreSQL text refuses it) or an integer beyond 64 bits: refused where the request is parsed,
    never a server error (found by the fuzzer)."""
    import json

    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    response = getattr(client, method)(url, headers=bearer(token), **kwargs)
    assert response.status_code == 422
    assert response.json() == {"code": "invalid", "message": message}


def test_downloads_declare_their_file_types(db):
    from yujing.api.api import api

    paths = api.get_openapi_schema()["paths"]
    content = paths["/api/documents/{document_id}/{fmt}"]["get"]["responses"][200]["content"]
    assert set(content) == {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            "application/pdf"}
