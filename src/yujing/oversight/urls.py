from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("board/", views.board, name="board"),
    path("lapses/", views.lapses, name="lapses"),
    path("lapses/annotate/", views.annotate, name="annotate"),
    path("messages/", views.notifications, name="notifications"),
    path("messages/<int:pk>/read/", views.notification_read, name="notification_read"),
]

urlpatterns += [
    path("reports/", views.reports, name="reports"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("assessment/", views.assessments, name="assessments"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("assessment/<int:unit>/<int:year>/", views.assessment, name="assessment"),
    path("assessment/<int:year>.xlsx", views.assessments_xlsx, name="assessments_xlsx"),
    path("reports/<int:unit>/<int:year>/<int:quarter>/", views.report, name="report"),
    path("reports/<int:unit>/<int:year>/<int:quarter>/figure/<str:key>/", views.report_figure, name="report_figure"),
    path("reports/<int:unit>/<int:year>/<int:quarter>/export.<str:fmt>", views.report_export, name="report_export"),
]
