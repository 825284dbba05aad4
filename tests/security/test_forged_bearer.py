"""Issue 18 review (fix B, item 4): a session that owes its second factor or its password change, sending a
Bearer header that is no token, is refused with the middleware's codes (docs/api.md), not ``forbidden``."""

from yujing.audit.models import Event

from .test_auth_holes import ready, signed_in  # noqa: F401 — the fixture and the sign-in

FORGED = {"Authorization": "Bearer yj_not-a-token"}


def test_a_forged_bearer_on_a_session_owing_its_code_is_two_factor_required(ready, settings):  # noqa: F811
    settings.YUJING_REQUIRE_2FA = True
    client = signed_in("shuji")
    last = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(f"/api/cases/{ready.pk}/approve", {"opinion": "同意"}, content_type="application/json",
                           headers=FORGED)
    assert (response.status_code, response.json()) == (403, {
        "code": "two_factor_required", "message": "本次登录尚未完成两步验证：请先在页面上输入身份验证器显示的6位数字"})
    ready.refresh_from_db()
    assert ready.status == "proposed"
    assert not Event.objects.filter(pk__gt=last, action__startswith="cases.").exists()


def test_a_forged_bearer_on_a_session_owing_its_password_is_password_change_required(ready, settings):  # noqa: F811
    settings.YUJING_FORCE_PASSWORD_CHANGE = True
    client = signed_in("shuji")  # demo password, must_change_password
    response = client.get("/api/units", headers=FORGED)
    assert (response.status_code, response.json()) == (403, {
        "code": "password_change_required", "message": "须先修改密码（初始密码或已到期的密码）才能继续操作"})
    response = client.post(f"/api/cases/{ready.pk}/approve", {"opinion": "同意"}, content_type="application/json",
                           headers=FORGED)
    assert response.json()["code"] == "password_change_required"
    ready.refresh_from_db()
    assert ready.status == "proposed"
