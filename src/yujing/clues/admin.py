"""Only the configurable list of problem categories is kept in the admin. Clues themselves are not:
administrators have no need to know their content (第三十三条(六))."""

from django.contrib import admin

from yujing.audit.services import Origin, record

from .models import ProblemCategory


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False  # clues refer to categories; stop using one instead

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record("clues.category.changed" if change else "clues.category.created", by=request.user, obj=obj,
               origin=Origin.from_request(request), data={"name": obj.name, "active": obj.is_active})
