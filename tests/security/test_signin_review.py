"""Issue 18 review (fix task A): an insider's own sign-ins do not wipe another account's failures; the notice of
account changes waits for a fully cleared sign-in; a personal clearance cap is told and counted."""

from django.test import Client

from yujing.audit.models import Event
from yujing.demo import DEMO_PASSWORD
from yujing.orgs.models import User

NOTICE = "自您上次登录以来"


def attempt(username, password, ip):
    return Client(REMOTE_ADDR=ip).post("/accounts/login/", {"username": username, "password": password})


def notices(response):
    return [str(m) for m in response.context["messages"] if str(m).startswith(NOTICE)] if response.context else []


# --- 1. a successful sign-in clears only that account's failures at that address --------------------------------

def test_an_insiders_own_sign_ins_do_not_reset_the_failures_for_another_account(users, monkeypatch):
    from axes.models import AccessAttempt

    from yujing.orgs.lockout import account_failures

    waits = []
    monkeypatch.setattr("yujing.orgs.lockout.pause", waits.append)
    rounds = []
    for _ in range(5):  # four wrong passwords for shuji, then the insider signs in as himself, from one desk
        rounds.append([attempt("shuji", "wrong-password", "10.5.5.5").status_code for _ in range(4)]
                      + [attempt("yjb", DEMO_PASSWORD, "10.5.5.5").status_code])
    assert rounds[0] == [200, 200, 200, 200, 302]
    # the fifth failure from the address locks it, the insider's own sign-in from there included
    assert rounds[1:] == [[429] * 5] * 4
    locked = attempt("yjb", DEMO_PASSWORD, "10.5.5.5")
    assert locked.status_code == 429 and "已被暂时锁定" in locked.content.decode()
    assert account_failures("shuji") == 20  # shuji's per-account delay counts every one of them
    assert AccessAttempt.objects.filter(username="shuji", ip_address="10.5.5.5").exists()


def test_a_successful_sign_in_clears_that_accounts_failures_at_that_address_only(users, monkeypatch):
    from axes.models import AccessAttempt

    from yujing.orgs.lockout import account_failures

    monkeypatch.setattr("yujing.orgs.lockout.pause", lambda seconds: None)
    for _ in range(2):
        attempt("yjb", "wrong-password", "10.6.6.6")
        attempt("yjb", "wrong-password", "10.6.6.7")
        attempt("shuji", "wrong-password", "10.6.6.6")
    assert attempt("yjb", DEMO_PASSWORD, "10.6.6.6").status_code == 302
    left = sorted(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start"))
    assert left == [("shuji", "10.6.6.6", 2), ("yjb", "10.6.6.7", 2)]
    assert account_failures("yjb") == 2 and account_failures("shuji") == 2


# --- 2. the notice of account changes is for the fully verified sign-in only -------------------------------------

def test_a_sign_in_that_still_owes_its_totp_code_is_not_told_and_does_not_consume_the_notice(users, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yujing.orgs import accounts

    settings.YUJING_REQUIRE_2FA = True
    shuji = users["shuji"]
    device = TOTPDevice.objects.create(user=shuji, name="身份验证器", confirmed=True)
    accounts.update_user(user=shuji, changes={"phone": "0591-1234567"}, by=users["admin"])
    changed = "系统管理员修改了您账户的“联系电话”"

    # whoever has only the password: sent to the code form, told nothing, on any page they may reach
    thief = Client()
    first = thief.post("/accounts/login/", {"username": "shuji", "password": DEMO_PASSWORD}, follow=True)
    assert first.redirect_chain[-1][0].startswith("/accounts/two-factor/")
    assert notices(first) == []
    assert notices(thief.get("/accounts/two-factor/")) == []
    assert notices(thief.get("/accounts/two-factor/")) == []
    shuji.refresh_from_db()
    assert any(changed in line for line in accounts.changes_since(shuji, shuji.account_notice_mark))

    # the real sign-in, code entered: told now, once
    owner = Client()
    owner.post("/accounts/login/", {"username": "shuji", "password": DEMO_PASSWORD})
    assert notices(owner.get("/accounts/two-factor/")) == []
    verified = owner.post("/accounts/two-factor/?next=/cases/", {"code": f"{totp(device.bin_key):06d}"}, follow=True)
    [notice] = notices(verified)
    assert changed in notice
    assert notices(owner.get("/cases/")) == []
    shuji.refresh_from_db()
    assert accounts.changes_since(shuji, shuji.account_notice_mark) == []


def test_a_forced_password_change_comes_before_the_notice(users, settings):
    from yujing.orgs import accounts

    settings.YUJING_FORCE_PASSWORD_CHANGE = True
    yjb = users["yjb"]
    accounts.set_password(user=yjb, password="Mh-Reset-2026-ok", by=users["admin"])
    client = Client()
    first = client.post("/accounts/login/", {"username": "yjb", "password": "Mh-Reset-2026-ok"}, follow=True)
    assert first.redirect_chain[-1][0] == "/accounts/password/"
    assert notices(first) == []
    changed = client.post("/accounts/password/", {"old_password": "Mh-Reset-2026-ok",
                                                 "new_password1": "Mh-Own-Choice-2026", "new_password2":
                                                 "Mh-Own-Choice-2026"}, follow=True)
    [notice] = notices(changed)
    assert "系统管理员重置了您的密码" in notice
    assert notices(client.get("/clues/")) == []


# --- 3. the personal clearance cap -------------------------------------------------------------------------------

def test_a_clearance_cap_is_an_account_change_with_its_sentence(users):
    from yujing.audit.sentences import describe, sentence
    from yujing.orgs import accounts
    from yujing.orgs.services import set_clearance

    assert "orgs.user.clearance_set" in accounts.ACCOUNT_ACTIONS
    assert sentence("orgs.user.clearance_set") == "设定本人密级上限"
    yjb = users["yjb"]
    set_clearance(user=yjb, level="confidential", reason="县纪委常委会决定（2026年第9次）", by=users["admin"])
    set_clearance(user=yjb, level="", reason="决定撤销", by=users["admin"])
    lines = accounts.changes_since(yjb, None)
    assert lines[-2].endswith("，系统管理员将您的本人密级上限设为“秘密”（县纪委常委会决定（2026年第9次））")
    assert lines[-1].endswith("，系统管理员取消了您的本人密级上限（决定撤销）")
    event = Event.objects.filter(action="orgs.user.clearance_set").latest("id")
    assert describe(event.action, event.data) == "设定本人密级上限"


def test_the_clearance_stated_is_capped_by_the_persons_own(users, demo):
    from yujing.orgs import accounts, services
    from yujing.orgs.models import RoleAssignment

    target = users["zuzhibu"]
    services.set_clearance(user=target, level="confidential", reason="县纪委常委会决定", by=users["admin"])
    target = User.objects.get(pk=target.pk)
    services.assign_role(user=target, unit=demo["MH-JW"], role="warning_office", by=users["admin"])
    assert accounts.clearance(target) == "confidential"  # the role opens 机密, the person is capped at 秘密
    event = Event.objects.filter(action="orgs.role.assigned").latest("id")
    assert event.data["clearance"] == ["normal", "confidential"]
    line = accounts.changes_since(target, None)[-1]
    assert "系统管理员授予您" in line and line.endswith("，您可阅知的密级由“一般”变为“秘密”")
    services.revoke_role(assignment=RoleAssignment.objects.get(user=target, role="warning_office"), by=users["admin"])
    assert Event.objects.filter(action="orgs.role.revoked").latest("id").data["clearance"] == ["confidential", "normal"]


def test_a_first_sign_in_is_not_told_of_the_accounts_setting_up(users):
    """The demo (or an import) creating an account and granting its roles, as the system, is not a change
    "since the last sign-in": a first sign-in shows no notice, and the mark starts there. (Found when the notice
    told every demo user of its roles on the first page.)"""
    client = Client(REMOTE_ADDR="10.7.7.7")
    page = client.post("/accounts/login/", {"username": "yjb", "password": DEMO_PASSWORD}, follow=True)
    assert page.status_code == 200 and notices(page) == []
    assert User.objects.get(username="yjb").account_notice_mark is not None
