from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("", views.policy_detail, name="policy_detail"),
    path("calculator/", views.calculator, name="calculator"),
    path("calendar/", views.calendar, name="calendar"),
]
