from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware


class YujingLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a login, except the login page itself and the static files. The API under
    /api/ answers 401 in its own error shape instead of redirecting (token clients have no browser)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
