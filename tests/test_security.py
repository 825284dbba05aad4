"""Web hardening: production settings pass check --deploy; every page carries a strict CSP."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy(tmp_path):
    env = {**os.environ, "YUJING_HTTPS": "1", "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(60),
           "ALLOWED_HOSTS": "yujing.example.gov.cn", "YUJING_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "yujing.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_pages_carry_a_strict_content_security_policy(login):
    response = login("yjb").get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_an_inline_script_or_style():
    import re

    src = ROOT / "src" / "yujing" / "templates"
    offenders = []
    for path in src.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        # a <script> without src= that is not a JSON data block, or a style attribute / element
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(f"{path.name}: {match.group(0)}")
        if re.search(r"\sstyle=|<style", text):
            offenders.append(f"{path.name}: style")
    assert offenders == []


def test_the_client_address_comes_from_a_trusted_proxy_only(open_case, users, settings):
    """Behind nginx the audit log records the client's address (X-Real-IP), never a forged one."""
    from django.test import Client

    from yujing.audit.models import Event

    case = open_case("admonition", "MH0001", on="2026-09-02")
    settings.YUJING_TRUSTED_PROXIES = ["127.0.0.1"]
    for peer, expected in (("127.0.0.1", "10.20.30.40"), ("10.9.9.9", "10.9.9.9")):
        client = Client(REMOTE_ADDR=peer, HTTP_X_REAL_IP="10.20.30.40")
        client.force_login(users["yjb"])
        assert client.get(f"/cases/{case.pk}/").status_code == 200
        assert Event.objects.filter(action="cases.case.viewed").latest("pk").ip == expected
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="not-an-address")
    client.force_login(users["yjb"])
    client.get(f"/cases/{case.pk}/")
    assert Event.objects.filter(action="cases.case.viewed").latest("pk").ip == "127.0.0.1"


def test_production_mode_refuses_a_placeholder_secret_key(tmp_path):
    env = {**os.environ, "YUJING_PRODUCTION": "1", "SECRET_KEY": "CHANGE-ME", "YUJING_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "yujing.settings"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "生产模式需要设置随机的 SECRET_KEY" in result.stderr
