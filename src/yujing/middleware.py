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


class PasswordChangeRequiredMiddleware:
    """In production mode, a user still on an initial or demo password is sent to change it first."""

    ALLOWED = ("/accounts/password/", "/accounts/logout/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.shortcuts import redirect

        user = getattr(request, "user", None)
        if (settings.YUJING_FORCE_PASSWORD_CHANGE and user is not None and user.is_authenticated
                and user.must_change_password and not request.path_info.startswith(self.ALLOWED)
                and not request.path_info.startswith("/api/")):
            return redirect("password_change")
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Approvers and administrators must have entered a TOTP code in this session (production mode)."""

    ALLOWED = ("/accounts/", "/static/", "/favicon.ico", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect

        from yujing.orgs.twofactor import required

        user = getattr(request, "user", None)
        if (user is not None and not request.path_info.startswith(self.ALLOWED) and required(user)
                and not user.is_verified()):
            return redirect(f"/accounts/two-factor/?next={request.path_info}")
        return self.get_response(request)
