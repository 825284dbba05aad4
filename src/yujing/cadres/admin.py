from django.contrib import admin

from yujing.orgs.admin import ReadOnlyAdmin

from .models import Cadre, IntegrityRecord


@admin.register(Cadre)
class CadreAdmin(ReadOnlyAdmin):
    """Read-only: the roster changes through the import (one audited transaction per file)."""

    list_display = ("code", "name", "unit", "position", "is_principal", "managed_by", "is_active")
    list_filter = ("is_principal", "scope_category", "is_active")
    search_fields = ("code", "name", "position")


@admin.register(IntegrityRecord)
class IntegrityRecordAdmin(ReadOnlyAdmin):
    list_display = ("cadre", "recorded_on", "title", "source_ref")
