from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yujing.cases"
    verbose_name = "预警事项"
