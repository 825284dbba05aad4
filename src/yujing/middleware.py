from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware


class TrustedProxyMiddleware:
    """Behind nginx every request arrives from the proxy: take the client's address from X-Real-IP, but
    only when the peer is one of ``YUJING_TRUSTED_PROXIES`` (anyone else could forge the header). The
    audit log and the per-address lockout both read REMOTE_ADDR."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.trusted = frozenset(settings.YUJING_TRUSTED_PROXIES)

    def __call__(self, request):
        import contextlib
        import ipaddress

        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real and request.META.get("REMOTE_ADDR") in self.trusted:
            with contextlib.suppress(ValueError):  # not an address: keep the proxy's
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(real))
        return self.get_response(request)


class YujingLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a login, except the login page itself and the static files. The API under
    /api/ answers 401 in its own error shape instead of redirecting (token clients have no browser)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def owed(request) -> tuple[str, str] | None:
    """What a signed-in browser session still owes before it may do anything else: the TOTP code of this
    sign-in (first), then the forced password change; ``(code, Chinese message)`` or None."""
    from django.conf import settings

    from yujing.orgs.passwords import must_change
    from yujing.orgs.twofactor import required

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if required(user) and not user.is_verified():
        return "two_factor_required", "本次登录尚未完成两步验证：请先在页面上输入身份验证器显示的6位数字"
    if settings.YUJING_FORCE_PASSWORD_CHANGE and must_change(user):
        return "password_change_required", "须先修改密码（初始密码或已到期的密码）才能继续操作"
    return None


def _api_refusal(request, code: str, message: str):
    """The API's own error shape (yujing.api.api): a session that owes a factor gets no operation at all."""
    from django.http import JsonResponse

    return JsonResponse({"code": code, "message": message}, status=403, json_dumps_params={"ensure_ascii": False})


class TwoFactorRequiredMiddleware:
    """Approvers and administrators must have entered a TOTP code in this session (production mode). Until
    then a page answers with the code form and the API (any operation, read or write) with 403: a browser
    session is one sign-in, whichever URL it calls. A request that brings its own API token is not this
    session's: the API authenticates it by the token alone (api/auth.py refuses the session fallback)."""

    ALLOWED = ("/accounts/two-factor/", "/accounts/logout/", "/accounts/login/", "/static/", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect

        due = owed(request)
        if due is not None and due[0] == "two_factor_required":
            if request.path_info.startswith("/api/"):
                if not _bearer(request):
                    return _api_refusal(request, *due)
            elif not request.path_info.startswith(self.ALLOWED):
                return redirect(f"/accounts/two-factor/?next={request.path_info}")
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """In production mode, a user still on an initial, demo or expired password is sent to change it first;
    the API refuses such a session every operation (403)."""

    ALLOWED = ("/accounts/password/", "/accounts/logout/", "/accounts/login/", "/accounts/two-factor/", "/static/",
               "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect

        due = owed(request)
        if due is not None and due[0] == "password_change_required":
            if request.path_info.startswith("/api/"):
                if not _bearer(request):
                    return _api_refusal(request, *due)
            elif not request.path_info.startswith(self.ALLOWED):
                return redirect("password_change")
        return self.get_response(request)


class AccountNoticeMiddleware:
    """The notice of what others changed on the account (orgs.accounts) is shown on the first page of a sign-in
    that owes nothing more (after the TOTP code and the forced password change), never to the password alone."""

    SKIPPED = ("/api/", "/static/", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from yujing.orgs.accounts import tell_when_cleared

        if not request.path_info.startswith(self.SKIPPED):
            tell_when_cleared(request)
        return self.get_response(request)


def _bearer(request) -> bool:
    return request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer ")
