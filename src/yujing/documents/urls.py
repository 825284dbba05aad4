from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("case/<int:pk>/generate/<str:form>/<str:subject>/", views.generate_for_case, name="generate_for_case"),
    path("clue/<int:pk>/generate/<str:form>/<str:subject>/", views.generate_for_clue, name="generate_for_clue"),
    path("<int:pk>/<str:fmt>/", views.download, name="download"),
    path("numbers/<int:pk>/void/", views.void, name="void"),
    path("case/<int:pk>/file.zip", views.case_file, name="case_file"),
    path("ledger.xlsx", views.ledger, name="ledger"),
]
