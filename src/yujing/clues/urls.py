from django.urls import path

from . import views

app_name = "clues"
urlpatterns = [
    path("", views.clue_list, name="clue_list"),
    path("new/", views.clue_create, name="clue_create"),
    path("new/due/", views.clue_due, name="clue_due"),
    path("<int:pk>/", views.clue_detail, name="clue_detail"),
    path("<int:pk>/screen/", views.clue_screen, name="clue_screen"),
    path("<int:pk>/attach/", views.clue_attach, name="clue_attach"),
    path("<int:pk>/merge/", views.clue_merge, name="clue_merge"),
    path("<int:pk>/feedback/", views.clue_feedback, name="clue_feedback"),
    path("<int:pk>/reporter/", views.clue_reporter, name="clue_reporter"),
    path("<int:pk>/secrecy/", views.clue_secrecy, name="clue_secrecy"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/new/", views.transfer_create, name="transfer_create"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
]
