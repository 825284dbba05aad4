"""Administrators' screens. Every save goes through the app's services so it is audited."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from yujing.audit.services import Origin, record
from yujing.policy.words import in_force

from . import services
from .models import Relation, RoleAssignment, Unit, User
from .roles import Role


class RoleFilter(admin.SimpleListFilter):
    title = "角色"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(role, in_force().role(role)) for role in Role.values]

    def queryset(self, request, queryset):
        return queryset.filter(role=self.value()) if self.value() else queryset


class RoleTitles:
    """A ``role`` field shown, chosen and filtered by what the policy in force calls each role (its
    ``[roles]``), not by the neutral labels the database keeps."""

    @admin.display(description="角色", ordering="role")
    def role_title(self, obj) -> str:
        return in_force().role(obj.role) if obj.role else ""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "role":
            field.choices = [(value, in_force().role(value) if value else label) for value, label in field.choices]
        return field


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code", "kind", "parent", "is_joint_member", "is_active")
    list_filter = ("kind", "is_joint_member", "is_active")
    search_fields = ("name", "short_name", "code")
    ordering = ("path",)

    def get_readonly_fields(self, request, obj=None):
        return ("code", "kind", "parent", "path") if obj else ("path",)

    def has_delete_permission(self, request, obj=None):
        return False  # units are deactivated, never deleted: cases and the audit log refer to them

    def save_model(self, request, obj, form, change):
        origin = Origin.from_request(request)
        if not change:
            created = services.create_unit(
                name=obj.name, code=obj.code, kind=obj.kind, parent=obj.parent, short_name=obj.short_name,
                doc_prefix=obj.doc_prefix, is_joint_member=obj.is_joint_member, sort_order=obj.sort_order,
                by=request.user, origin=origin,
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        obj.save(update_fields=form.changed_data or None)
        record("orgs.unit.changed", by=request.user, obj=obj, unit_path=obj.path, origin=origin,
               data={k: form.cleaned_data[k] for k in form.changed_data})


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "unit", "title", "is_active", "last_login")
    search_fields = ("username", "full_name")
    list_filter = ("is_active", "is_staff")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "unit", "title", "phone", "email")}),
        ("状态", {"fields": ("is_active", "is_staff", "is_superuser", "must_change_password")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "full_name", "unit", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")

    def has_delete_permission(self, request, obj=None):
        return False  # users are deactivated: the audit log names them

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [k for k in form.changed_data if k not in {"password", "password1", "password2"}]
        record("orgs.user.changed" if change else "orgs.user.created", by=request.user, obj=obj,
               unit_path=obj.unit.path if obj.unit else "", origin=Origin.from_request(request),
               data={"fields": changed, "password_changed": any(k.startswith("password") for k in form.changed_data)})


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(RoleTitles, admin.ModelAdmin):
    list_display = ("user", "unit", "role_title", "is_active", "assigned_at")
    list_filter = (RoleFilter, "is_active")
    search_fields = ("user__username", "user__full_name", "unit__name")
    autocomplete_fields = ("user", "unit")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "unit", "role") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        origin = Origin.from_request(request)
        if not change:
            created = services.assign_role(user=obj.user, unit=obj.unit, role=obj.role, by=request.user, origin=origin)
            obj.pk = created.pk
        elif "is_active" in form.changed_data:
            if obj.is_active:
                services.assign_role(user=obj.user, unit=obj.unit, role=obj.role, by=request.user, origin=origin)
            else:
                services.revoke_role(assignment=obj, by=request.user, origin=origin)


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    """Declarations are made by the users themselves (账户 › 回避申报); here an administrator reviews them
    and withdraws one made in error, through the service so the audit trail keeps it."""

    list_display = ("user", "cadre", "kind", "declared_at")
    list_filter = ("kind",)
    search_fields = ("user__full_name", "user__username", "cadre__name", "cadre__code")
    readonly_fields = ("user", "cadre", "kind", "note", "declared_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.withdraw_relation(relation=obj, by=request.user, reason="管理员撤销",
                                   origin=Origin.from_request(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
