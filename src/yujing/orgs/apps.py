from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yujing.orgs"
    verbose_name = "单位与人员"
