from django.contrib import admin

from yujing.orgs.admin import ReadOnlyAdmin

from .models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("id", "at", "actor_name", "action", "object_repr", "ip")
    list_filter = ("action",)
    search_fields = ("actor_name", "action", "object_repr", "object_id")
    date_hierarchy = "at"
