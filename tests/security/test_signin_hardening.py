"""Issue 18, hole 11 (sign-in part): no lockout at will, CSRF and date refusals in Chinese, production
refuses to start without its field keys."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from yujing.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent.parent


def attempt(username, password, ip):
    return Client(REMOTE_ADDR=ip).post("/accounts/login/", {"username": username, "password": password})


def test_an_attacker_cannot_lock_every_approver_out(users, monkeypatch):
    """Wrong passwords for every decider from many addresses: each still signs in from their own desk; the
    delay grows with the failures, doubling, up to the cap."""
    waits = []
    monkeypatch.setattr("yujing.orgs.lockout.pause", waits.append)
    deciders = ("shuji", "fushuji", "changwei")
    for n in range(12):  # twelve failures per account, from twelve addresses (each address under its limit)
        for name in deciders:
            attempt(name, "wrong-password", ip=f"10.1.{n}.1")
    # each wrong guess past the fifth waited too: 1, 2, 4, then 8 s (the cap), per account
    assert waits == [d for d in (1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0) for _ in deciders]
    waits.clear()
    for k, name in enumerate(deciders):
        assert attempt(name, DEMO_PASSWORD, ip=f"10.9.9.{k}").status_code == 302, name
    assert waits == [8.0, 8.0, 8.0]  # 2**(12-5) capped at YUJING_LOGIN_DELAY_MAX


def test_the_delay_doubles_from_the_failure_limit(users, settings):
    from yujing.orgs.lockout import delay

    assert (settings.AXES_FAILURE_LIMIT, settings.YUJING_LOGIN_DELAY_MAX) == (5, 8)
    seen = []
    for n in range(8):
        seen.append(delay("yjb"))
        attempt("yjb", "wrong-password", ip=f"10.2.{n}.1")
    assert seen == [0, 0, 0, 0, 0, 1, 2, 4]
    assert delay("nobody-at-all") == 0


def test_a_page_refused_for_csrf_says_why_in_chinese(login, users):
    from yujing.orgs.models import Relation

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["yjb"])
    response = client.post("/accounts/relations/", {"cadre": "MH0001", "kind": "kin", "note": ""})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page or 'lang="zh' in page
    assert "请求未通过安全校验（CSRF）" in page and "提交未通过安全校验，未做任何修改" in page
    assert "<style" not in page and "Forbidden" not in page
    assert not Relation.objects.filter(user=users["yjb"]).exists()


def test_an_api_write_without_its_csrf_token_is_refused_in_chinese(users):
    from yujing.clues.models import Clue

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["yjb"])
    response = client.post("/api/clues", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"code": "csrf_failed",
                               "message": "CSRF 校验失败：浏览器会话的写操作须带 X-CSRFToken 请求头，请刷新页面后重试"}
    assert not Clue.objects.exists()


@pytest.mark.parametrize(("query", "message"), [
    ("start=2026-13-01&period=7d", "不是有效的日期，应为 YYYY-MM-DD（如 2026-09-02）：月份应为 1 至 12"),
    ("start=2026-02-30&period=7d", "不是有效的日期，应为 YYYY-MM-DD（如 2026-09-02）：该月没有这一日"),
    ("start=abc&period=7d", "不是有效的日期，应为 YYYY-MM-DD（如 2026-09-02）：位数不足"),
    ("period=7d", "必须填写"),
])
def test_api_date_refusals_are_in_chinese(login, query, message):
    response = login("yjb").get(f"/api/due?{query}")
    assert response.status_code == 422
    assert response.json() == {"code": "invalid", "message": f"输入有误：start {message}",
                               "errors": [{"loc": ["query", "start"], "message": message}]}


def test_api_schema_refusals_are_in_chinese(login):
    client = login("yjb")
    limit = client.get("/api/units?limit=abc").json()["errors"]
    assert limit == [{"loc": ["query", "limit"], "message": "应为整数"}]
    principal = client.get("/api/cadres?principal=maybe").json()["errors"]
    assert principal == [{"loc": ["query", "principal"], "message": "应为 true 或 false"}]
    body = client.post("/api/clues", {"received_on": "2026-02-30"}, content_type="application/json").json()["errors"]
    assert {"loc": ["body", "payload", "received_on"],
            "message": "不是有效的日期，应为 YYYY-MM-DD（如 2026-09-02）：该月没有这一日"} in body
    assert {"loc": ["body", "payload", "summary"], "message": "必须填写"} in body
    assert not any(any(c.isascii() and c.isalpha() for c in e["message"].replace("YYYY-MM-DD", "")) for e in body)


def _check(env: dict) -> subprocess.CompletedProcess:
    """manage.py check with these variables (None: unset)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yujing.settings", "SECRET_KEY": "k" * 50, **env}
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_production_mode_refuses_to_start_without_field_keys(tmp_path):
    from cryptography.fernet import Fernet

    missing = _check({"YUJING_PRODUCTION": "1", "YUJING_VAR_DIR": str(tmp_path), "YUJING_FIELD_KEYS": None})
    assert missing.returncode != 0
    assert ("生产模式须设置 YUJING_FIELD_KEYS（字段加密密钥，见 deploy/yujing.env.example）"
            " / YUJING_FIELD_KEYS must be set in production mode") in missing.stderr
    assert not (tmp_path / "field_keys").exists()  # no key made up beside the data
    invalid = _check({"YUJING_PRODUCTION": "1", "YUJING_VAR_DIR": str(tmp_path), "YUJING_FIELD_KEYS": "CHANGE-ME"})
    assert invalid.returncode != 0 and "YUJING_FIELD_KEYS 中有无效的密钥" in invalid.stderr
    ok = _check({"YUJING_PRODUCTION": "1", "YUJING_VAR_DIR": str(tmp_path),
                 "YUJING_FIELD_KEYS": Fernet.generate_key().decode()})
    assert ok.returncode == 0, ok.stderr
    development = _check({"YUJING_PRODUCTION": "0", "YUJING_VAR_DIR": str(tmp_path), "YUJING_FIELD_KEYS": None})
    assert development.returncode == 0, development.stderr
