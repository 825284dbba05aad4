"""Login hardening: password rules, lockout per account and per address, forced change of initial
passwords in production mode, sessions that end when idle."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from yujing.demo import DEMO_PASSWORD


def attempt(username, password, ip="10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.parametrize("password", ["abcdefghij", "abcdefghi1", "ABCDEFGHI1", "short1A!"])
def test_weak_passwords_are_refused(password, users):
    with pytest.raises(ValidationError):
        validate_password(password, users["yjb"])


def test_a_strong_password_passes(users):
    validate_password("Qingshi-2026-jw", users["yjb"])


def test_five_failures_lock_the_address_not_the_account_for_everyone(users, monkeypatch):
    """Issue 18: an account locked for everyone let anyone lock every approver out at will. The address that
    failed is locked (even with the right password); from elsewhere the owner signs in, after a delay."""
    waits = []
    monkeypatch.setattr("yujing.orgs.lockout.pause", waits.append)
    for _ in range(4):
        assert attempt("yjb", "wrong-password", ip="10.0.0.2").status_code == 200
    assert attempt("yjb", "wrong-password", ip="10.0.0.2").status_code == 429  # the fifth failure locks
    locked = attempt("yjb", DEMO_PASSWORD, ip="10.0.0.2")  # even with the right password, from there
    assert locked.status_code == 429 and "已被暂时锁定" in locked.content.decode()
    assert waits == []  # a locked address is refused at once, it does not hold a worker
    assert attempt("yjb", DEMO_PASSWORD, ip="10.0.0.3").status_code == 302  # the owner, elsewhere, gets in
    assert waits == [2.0]  # … after the account's delay: six failures (the refused one counts), 2**(6-5) s
    assert attempt("shuji", DEMO_PASSWORD, ip="10.0.0.4").status_code == 302  # other accounts unaffected
    assert waits == [2.0]


def test_an_address_is_locked_after_five_failures(users):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        attempt(name, "whatever", ip="10.0.0.9")
    assert attempt("shuji", DEMO_PASSWORD, ip="10.0.0.9").status_code == 429
    assert attempt("shuji", DEMO_PASSWORD, ip="10.0.0.10").status_code == 302


def test_initial_passwords_must_be_changed_in_production_mode(users, settings):
    settings.YUJING_FORCE_PASSWORD_CHANGE = True
    client = Client()
    assert client.post("/accounts/login/", {"username": "yjb", "password": DEMO_PASSWORD}).status_code == 302
    response = client.get("/clues/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    changed = client.post("/accounts/password/", {"old_password": DEMO_PASSWORD, "new_password1": "Mh-Yjb-2026-safe",
                                                  "new_password2": "Mh-Yjb-2026-safe"})
    assert changed.status_code == 302
    users["yjb"].refresh_from_db()
    assert users["yjb"].must_change_password is False
    assert client.get("/clues/").status_code == 200


def test_sessions_end_when_idle():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_approvers_and_administrators_sign_in_with_a_totp_code(users, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yujing.audit.models import Event

    settings.YUJING_REQUIRE_2FA = True
    client = Client()
    client.post("/accounts/login/", {"username": "shuji", "password": DEMO_PASSWORD})
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/?next=/cases/"
    page = client.get("/accounts/two-factor/")
    assert "data:image/png;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=users["shuji"])
    assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 400
    assert Event.objects.filter(action="orgs.user.two_factor_failed").count() == 1
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()  # as if the user waited the throttle out
    ok = client.post("/accounts/two-factor/?next=/cases/", {"code": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302 and ok["Location"] == "/cases/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/cases/").status_code == 200
    # the next sign-in asks for a code again, without a new enrolment
    again = Client()
    again.post("/accounts/login/", {"username": "shuji", "password": DEMO_PASSWORD})
    assert again.get("/cases/").status_code == 302
    assert "data:image/png" not in again.get("/accounts/two-factor/").content.decode()
    # a role that does not decide is not asked
    office = Client()
    office.post("/accounts/login/", {"username": "yjb", "password": DEMO_PASSWORD})
    assert office.get("/clues/").status_code == 200


def _hand_totp(key: bytes, at: float) -> str:
    """RFC 6238 with the authenticator apps' defaults (SHA-1, 30 s, 6 digits), independent of django-otp."""
    import hashlib
    import hmac
    import struct

    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_enrolment_works_by_typing_the_base32_key(users, settings):
    """No camera: the key shown under the QR code is what an authenticator app accepts by hand."""
    import re
    import time
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yujing.audit.models import Event

    settings.YUJING_REQUIRE_2FA = True
    client = Client()
    client.force_login(users["yjb"])  # the warning office: not obliged, enrols from the user menu
    page = client.get("/accounts/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=users["yjb"], confirmed=False)
    shown = re.search(r'<code class="user-select-all fs-6" id="otp-key">([^<]*)</code>', page).group(1)
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4}){7}", shown)  # 20 bytes: 32 Base32 letters, no padding
    assert b32decode(shown.replace(" ", "")) == device.bin_key
    assert "<dt class=\"col-4\">账户名</dt><dd class=\"col-8\">yjb</dd>" in page
    assert "基于时间（TOTP），6位数字，每30秒更新" in page
    assert "绑定身份验证器后，登录时除密码外还须输入其显示的6位数字。请用手机上的身份验证器" in page
    code = _hand_totp(b32decode(shown.replace(" ", "")), time.time())
    ok = client.post("/accounts/two-factor/", {"code": code})
    assert ok.status_code == 302 and ok["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert Event.objects.filter(action="orgs.user.two_factor_enrolled", actor=users["yjb"]).count() == 1
    done = client.get("/accounts/two-factor/").content.decode()
    assert "您已启用两步验证，本次登录已通过验证。" in done and 'name="code"' not in done
    # having chosen two-factor, the next sign-in asks for the code too
    again = Client()
    again.post("/accounts/login/", {"username": "yjb", "password": DEMO_PASSWORD})
    asked = again.get("/clues/")
    assert asked.status_code == 302 and asked["Location"] == "/accounts/two-factor/?next=/clues/"


def test_the_user_menu_links_to_two_factor(login):
    page = login("yjb").get("/").content.decode()
    assert '<a class="btn btn-sm btn-outline-light" href="/accounts/two-factor/">两步验证</a>' in page
    assert 'href="/accounts/two-factor/"' not in Client().get("/accounts/login/").content.decode()
