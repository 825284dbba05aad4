"""Administrators' screens. Every save goes through the app's services so it is audited."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from yujing.audit.services import Origin, record
from yujing.policy.words import in_force

from . import accounts, services
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


class PasswordSetForm(AdminPasswordChangeForm):
    """The admin's password form; the password is set by ``accounts.set_password`` only."""

    def save(self, commit=True):
        raise RuntimeError("passwords are set through yujing.orgs.accounts.set_password")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts. Every change is an audited service call (``orgs.accounts``); the password of another user is
    set on its own page through ``accounts.set_password`` (all password validators, change at next sign-in)."""

    change_password_form = PasswordSetForm
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
        origin = Origin.from_request(request)
        if not change:
            password = form.cleaned_data.get("password1") if form.cleaned_data.get("usable_password", True) else None
            created = services.create_user(
                username=obj.username, full_name=obj.full_name, unit=obj.unit, password=password or None,
                must_change_password=True, by=request.user, origin=origin)
            obj.pk, obj.password, obj.must_change_password = created.pk, created.password, True
            obj._state.adding = False
            return
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name in accounts.EDITABLE}
        try:
            accounts.update_user(user=obj, changes=changed, by=request.user, origin=origin)
        except ValidationError as error:
            raise PermissionDenied("；".join(error.messages)) from error

    def user_change_password(self, request, id, form_url=""):
        """A valid POST goes to ``accounts.set_password``; everything else (the form, its errors) is Django's."""
        user = self.get_object(request, unquote(id))
        if request.method == "POST" and user is not None and self.has_change_permission(request, user):
            form = self.change_password_form(user, request.POST)
            if form.is_valid() and (form.cleaned_data["set_usable_password"] or "unset-password" in request.POST):
                usable = form.cleaned_data["set_usable_password"]
                try:
                    accounts.set_password(user=user, password=form.cleaned_data["password1"] if usable else None,
                                          by=request.user, origin=Origin.from_request(request))
                except ValidationError as error:
                    messages.error(request, "；".join(error.messages))
                    return HttpResponseRedirect(request.get_full_path())
                self.log_change(request, user, [{"changed": {"fields": ["password"]}}])
                messages.success(request, "密码已重置，该用户下次登录时须修改密码。" if usable else "已停用该用户的密码登录。")
                update_session_auth_hash(request, user) if user.pk == request.user.pk else None
                return HttpResponseRedirect(reverse("admin:orgs_user_change", args=(user.pk,)))
        if user is None:
            raise Http404("没有这个用户")
        return super().user_change_password(request, id, form_url)


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
        try:
            if not change:
                created = services.assign_role(user=obj.user, unit=obj.unit, role=obj.role, by=request.user,
                                               origin=origin)
                obj.pk = created.pk
            elif "is_active" in form.changed_data:
                if obj.is_active:
                    services.assign_role(user=obj.user, unit=obj.unit, role=obj.role, by=request.user, origin=origin)
                else:
                    services.revoke_role(assignment=obj, by=request.user, origin=origin)
        except ValidationError as error:
            raise PermissionDenied("；".join(error.messages)) from error


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


class TOTPDeviceAdmin(admin.ModelAdmin):
    """Authenticators: listed and removed (a lost phone) here, never added — the user enrols their own at
    sign-in, so no administrator knows its secret; the key is not shown."""

    list_display = ("user", "name", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__full_name")
    fields = ("user", "name", "confirmed")
    readonly_fields = ("user", "name", "confirmed")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        accounts.remove_device(device=obj, by=request.user, origin=Origin.from_request(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class AccessAttemptAdmin(BaseAccessAttemptAdmin):
    """Sign-in locks: an administrator lifts one (deletes it) through ``accounts.unlock``, audited."""

    def delete_model(self, request, obj):
        accounts.unlock(attempt=obj, by=request.user, origin=Origin.from_request(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


# The admin is for accounts, units and settings only (SECURITY.md lists what is kept): the authenticators'
# admin of django-otp shows their secret keys and lets anyone add one, so it is replaced; the sign-in logs of
# django-axes are the auditors' and Django's groups are unused (permissions come from roles).
for model in (Group, TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
admin.site.register(AccessAttempt, AccessAttemptAdmin)
