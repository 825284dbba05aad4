from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yujing.core"
    verbose_name = "基础"
