from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from yujing.api.api import api
from yujing.orgs import views as orgs_views
from yujing.orgs.twofactor_views import two_factor

from . import views

admin.site.site_header = "预警系统管理"
admin.site.site_title = "预警系统管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
    path(
        "accounts/login/",
        login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", two_factor, name="two_factor"),
    path("accounts/password/", views.PasswordChange.as_view(), name="password_change"),
    path("accounts/relations/", orgs_views.relations, name="relations"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("units/", include("yujing.orgs.urls")),
    path("cadres/", include("yujing.cadres.urls")),
    path("clues/", include("yujing.clues.urls")),
    path("cases/", include("yujing.cases.urls")),
    path("documents/", include("yujing.documents.urls")),
    path("oversight/", include("yujing.oversight.urls")),
    path("audit/", include("yujing.audit.urls")),
    path("policy/", include("yujing.policy.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "yujing.views.error_403"
handler404 = "yujing.views.error_404"
handler500 = "yujing.views.error_500"
