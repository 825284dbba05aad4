from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from yujing.audit.services import Origin, record

from .accounts import confirm_device
from .twofactor import confirmed_device, enforced, manual_key, role_requires


def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (first time) or enter today's code (every sign-in)."""
    import segno

    user = request.user
    device = confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="身份验证器", confirmed=False)
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "").strip().replace(" ", "")
        if code.isdigit() and device.verify_token(code):
            with transaction.atomic():
                if enrolling:
                    confirm_device(user=user, device=device, origin=Origin.from_request(request))
                otp_login(request, device)
                if not enrolling:
                    record("orgs.user.two_factor_verified", by=user, obj=user,
                           unit_path=user.unit.path if user.unit else "", origin=Origin.from_request(request))
            messages.success(request, "已完成两步验证。")
            return redirect(_next(request))
        error = "验证码不正确或已过期，请重新输入手机上显示的6位数字"
        with transaction.atomic():
            record("orgs.user.two_factor_failed", by=user, obj=user, unit_path=user.unit.path if user.unit else "",
                   origin=Origin.from_request(request))
    context = {"enrolling": enrolling, "error": error, "role_requires": role_requires(user), "enforced": enforced()}
    if enrolling:
        context["qr"] = segno.make(device.config_url, error="m").png_data_uri(scale=4)
        context["secret"] = manual_key(device)
        context["account"] = user.get_username()
        context["digits"] = device.digits
        context["step"] = device.step
    else:
        context["verified"] = user.is_verified()
    return render(request, "registration/two_factor.html", context, status=400 if error else 200)


def _next(request: HttpRequest) -> str:
    """Where to go once the code is entered: a path of this site only (``?next=https://elsewhere`` had sent a
    freshly verified session to another host)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return "/"
