"""Issue 18, hole 3: every account change is an audited service call, and the user is told at next sign-in."""

import pytest
from django.test import Client

from yujing.audit.models import Event
from yujing.audit.services import verify_chain
from yujing.demo import DEMO_PASSWORD
from yujing.orgs.models import RoleAssignment, User

NEW = "Mh-Reset-2026-ok"


def events(action, user):
    return list(Event.objects.filter(action=action, object_type="orgs.user", object_id=str(user.pk)))


def sign_in(username, password):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password}, follow=True)
    return client, [str(m) for m in response.context["messages"]] if response.context else []


def test_an_admin_password_reset_is_an_audited_service_call(login, users):
    target = users["yjb"]
    response = login("admin").post(f"/admin/orgs/user/{target.pk}/password/",
                                   {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302 and response["Location"] == f"/admin/orgs/user/{target.pk}/change/"
    target.refresh_from_db()
    assert target.check_password(NEW) and target.must_change_password is True
    [event] = events("orgs.user.password_set", target)
    assert event.actor == users["admin"] and event.data == {"usable": True, "must_change": True}
    assert NEW not in str(event.data)
    assert verify_chain() is None


def test_the_admin_password_reset_runs_the_password_validators(login, users):
    target = users["yjb"]
    response = login("admin").post(f"/admin/orgs/user/{target.pk}/password/",
                                   {"password1": "abcdefghij", "password2": "abcdefghij", "usable_password": "true"})
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.check_password(DEMO_PASSWORD) and not events("orgs.user.password_set", target)


def test_set_password_refuses_a_weak_password_and_ones_own(users):
    from django.core.exceptions import ValidationError

    from yujing.orgs import accounts

    with pytest.raises(ValidationError):
        accounts.set_password(user=users["yjb"], password="abcdefghij", by=users["admin"])
    with pytest.raises(ValidationError) as refused:
        accounts.set_password(user=users["admin"], password=NEW, by=users["admin"])
    assert refused.value.messages == ["修改本人密码请使用“修改密码”页面（须输入原密码）"]
    with pytest.raises(ValidationError) as not_admin:
        accounts.set_password(user=users["yjb"], password=NEW, by=users["shuji"])
    assert not_admin.value.messages == ["只有系统管理员可以维护单位、用户和角色"]
    assert not Event.objects.filter(action="orgs.user.password_set").exists()


def test_deactivation_and_flags_in_the_admin_are_audited_with_before_and_after(login, users):
    target = users["yjb"]
    page = login("admin")
    form = {"username": target.username, "full_name": target.full_name, "unit": target.unit_id,
            "title": target.title, "phone": target.phone, "email": target.email, "is_staff": "on",
            "must_change_password": "on" if target.must_change_password else "", "is_active": ""}
    response = page.post(f"/admin/orgs/user/{target.pk}/change/", form)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active is False and target.is_staff is True
    [event] = events("orgs.user.changed", target)
    assert event.actor == users["admin"]
    assert event.data["changes"] == {"is_active": [True, False], "is_staff": [False, True]}


def test_an_admin_removes_an_authenticator_through_the_service(login, users):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=users["shuji"], name="身份验证器", confirmed=True)
    response = login("admin").post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(pk=device.pk).exists()
    [event] = events("orgs.user.two_factor_removed", users["shuji"])
    assert event.actor == users["admin"] and event.data["device"] == device.pk


def test_role_events_carry_the_clearance_before_and_after(users, demo):
    from yujing.orgs import services

    target = users["zuzhibu"]
    services.assign_role(user=target, unit=demo["MH-JW"], role="warning_office", by=users["admin"])
    event = Event.objects.filter(action="orgs.role.assigned").latest("id")
    assert event.data["clearance"] == ["normal", "secret"]
    assignment = RoleAssignment.objects.get(user=target, role="warning_office")
    services.revoke_role(assignment=assignment, by=users["admin"])
    assert Event.objects.filter(action="orgs.role.revoked").latest("id").data["clearance"] == ["secret", "normal"]


def test_the_user_is_told_at_next_sign_in_what_was_changed_by_whom_and_when(login, users, demo):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yujing.orgs import accounts, services

    target = users["yjb"]
    sign_in("yjb", DEMO_PASSWORD)  # a first sign-in: the mark from which changes are counted
    target.refresh_from_db()
    assert target.last_login is not None
    device = TOTPDevice.objects.create(user=target, name="身份验证器", confirmed=True)
    admin_page = login("admin")
    admin_page.post(f"/admin/orgs/user/{target.pk}/password/",
                    {"password1": NEW, "password2": NEW, "usable_password": "true"})
    admin_page.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    services.assign_role(user=target, unit=demo["MH-JW"], role="auditor", by=users["admin"])
    _, shown = sign_in("yjb", NEW)
    [notice] = [m for m in shown if m.startswith("自您上次登录以来")]
    assert "系统管理员重置了您的密码" in notice
    assert "系统管理员解除了您账户绑定的身份验证器" in notice
    assert "审计员" in notice
    assert notice.count("；") == 2
    # told once: the next sign-in lists nothing new
    target.refresh_from_db()
    assert accounts.changes_since(target, target.last_login) == []
    User.objects.filter(pk=target.pk).update(must_change_password=False)
    _, again = sign_in("yjb", NEW)
    assert not [m for m in again if m.startswith("自您上次登录以来")]


def test_the_reset_password_command_goes_through_the_service(users, monkeypatch):
    from django.core.management import CommandError, call_command

    answers = iter(["abcdefghij", "abcdefghij", NEW, NEW])
    monkeypatch.setattr("yujing.orgs.management.commands.reset_password.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError):
        call_command("reset_password", "yjb")
    assert not events("orgs.user.password_set", users["yjb"])
    call_command("reset_password", "yjb")
    [event] = events("orgs.user.password_set", users["yjb"])
    assert event.actor is None and event.actor_name == "系统"
    users["yjb"].refresh_from_db()
    assert users["yjb"].check_password(NEW)
