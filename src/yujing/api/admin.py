from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from yujing.audit.services import Origin
from yujing.orgs.admin import RoleFilter, RoleTitles

from . import services
from .models import ApiToken


class ApiTokenForm(forms.ModelForm):
    by = None  # the administrator filling the form (ApiTokenAdmin.get_form)

    class Meta:
        model = ApiToken
        fields = ("user", "name", "role", "unit")
        help_texts = {"role": "令牌只具有该用户在该单位的这一角色；用户只有一个角色时可不填",
                      "unit": "用户只有一个角色时可不填"}

    def clean(self):
        data = super().clean()
        if data.get("user") is not None:
            try:
                grant = services.binding(data["user"], data.get("role") or "", data.get("unit"))
                services.check_grant(user=data["user"], role=grant.role, by=self.by)
            except ValidationError as error:
                self.add_error(None, error.messages)
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(RoleTitles, admin.ModelAdmin):
    """Integration tokens: created and revoked by the administrator; nothing else can be changed."""

    form = ApiTokenForm
    list_display = ("name", "user", "role_title", "unit", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (RoleFilter, "revoked_at")
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"by": request.user})

    def get_fields(self, request, obj=None):
        return ("user", "name", "role", "unit")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token, text = services.create_token(user=obj.user, name=obj.name, role=obj.role, unit=obj.unit,
                                            by=request.user, origin=Origin.from_request(request))
        obj.pk = token.pk
        messages.warning(request, f"令牌只显示这一次，请立即交给对接方妥善保存：{text}")

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_token(token=token, by=request.user, origin=Origin.from_request(request))
