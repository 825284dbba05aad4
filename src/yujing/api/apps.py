from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "yujing.api"
    verbose_name = "接口"
