from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "yujing.cadres"
    verbose_name = "干部名册"
