from django.contrib import admin

from yujing.orgs.admin import ReadOnlyAdmin

from .models import HolidayNotice, PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("name", "version", "digest", "first_loaded_at")


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(ReadOnlyAdmin):
    """Read-only here: notices are entered on the 节假日 page, which checks every line."""

    list_display = ("year", "title", "entered_by", "entered_at")
