from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "yujing.documents"
    verbose_name = "文书"
