"""Nothing with case data stays in a browser's or a proxy's cache (issue 18, hole 11)."""

from __future__ import annotations

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Every response to a signed-in user (a session or an API token) and every API response is sent with
    ``Cache-Control: no-store, private``: pages, JSON, downloads and exports hold case data, and the back
    button of a shared office computer must not show them after sign-out. Static files are served by
    WhiteNoise before this middleware and stay cacheable; the sign-in page is not personal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # a token's user is set on the request by the API's auth
        if request.path_info.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
            response.headers.pop("Expires", None)
        return response
