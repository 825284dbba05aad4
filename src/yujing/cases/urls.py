from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/act/<str:name>/", views.case_act, name="case_act"),
    path("<int:pk>/due/<str:name>/", views.case_due, name="case_due"),
    path("<int:pk>/secrecy/", views.case_secrecy, name="case_secrecy"),
    path("minutes/<int:pk>/", views.minutes_download, name="minutes_download"),
    path("reports/", views.chief_reports, name="chief_reports"),
    path("reports/<int:pk>/seen/", views.report_seen, name="report_seen"),
    path("notices/", views.notices, name="notices"),
    path("purge/", views.purge, name="purge"),
    path("restrictions/", views.restriction_query, name="restrictions"),
]
