"""Pages that belong to no single app: the home page and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yujing.cadres.models import Cadre
from yujing.orgs import access
from yujing.orgs.models import Unit
from yujing.orgs.roles import Reach, Role
from yujing.policy.words import in_force


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    grants = access.grants(user)
    titles = in_force()
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[g.unit_id for g in grants])}
    scope_units = {u.path: u for u in Unit.objects.filter(path__in=[g.scope_path for g in grants])}
    rows = [
        {
            "role": titles.role(g.role),
            "unit": units[g.unit_id],
            "reach": g.reach.label,
            "scope": scope_units.get(g.scope_path) if g.reach is not Reach.OWN else None,
        }
        for g in grants
    ]
    stats = {}
    if access.can(user, "unit.view"):
        stats["units"] = access.restrict(Unit.objects.filter(is_active=True), user, "unit.view").count()
    if access.can(user, "cadre.view"):
        cadres = access.restrict(Cadre.objects.filter(is_active=True), user, "cadre.view")
        stats["cadres"] = cadres.count()
        stats["principals"] = cadres.filter(is_principal=True).count()
    context = {"grants": rows, "stats": stats}
    if access.has_role(user, Role.WARNING_OFFICE, Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_COMMITTEE):
        # the warning office's home page: this year's figures at a glance (第四条)
        from datetime import date

        from django.utils import timezone

        from yujing.oversight.dashboard import data

        today = timezone.localdate()
        context["data"] = data(user=user, start=date(today.year, 1, 1), end=today, today=today)
    return render(request, "home.html", context)


class PasswordChange(PasswordChangeView):
    """Changing the password also clears the initial-password flag, through the users' service."""

    def form_valid(self, form):
        from yujing.audit.services import Origin
        from yujing.orgs.services import password_changed

        response = super().form_valid(form)
        password_changed(user=self.request.user, origin=Origin.from_request(self.request))
        return response


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; answer with the static icon."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("yujing/favicon.svg"), permanent=True)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"message": str(exception or "")}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


CSRF_MESSAGE = "提交未通过安全校验，未做任何修改"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the refusal in Chinese, on our own page (Django's has inline styles, which the CSP
    blocks, and English details); the API answers in its error shape. The reason goes to the log only."""
    import logging

    logging.getLogger("yujing.security").warning("CSRF refused %s %s: %s", request.method, request.path, reason)
    if request.path_info.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "csrf_failed", "message": "CSRF 校验失败：浏览器会话的写操作须带 X-CSRFToken 请求头，"
                                                               "请刷新页面后重试"},
                            status=403, json_dumps_params={"ensure_ascii": False})
    return render(request, "errors/csrf.html", {"message": CSRF_MESSAGE}, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
