from django.apps import AppConfig


class CluesConfig(AppConfig):
    name = "yujing.clues"
    verbose_name = "预警线索"
