from django.contrib import admin, messages

from yujing.audit.services import Origin

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "name")
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token, text = services.create_token(user=obj.user, name=obj.name, by=request.user,
                                            origin=Origin.from_request(request))
        obj.pk = token.pk
        messages.warning(request, f"令牌只显示这一次，请立即交给对接方妥善保存：{text}")

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_token(token=token, by=request.user, origin=Origin.from_request(request))
