from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "yujing.oversight"
    verbose_name = "期限与监督"
