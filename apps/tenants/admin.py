import secrets

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.tenants.models import KEY_PREFIX, ApiKey, Tenant, hash_key


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    fields = ("prefix", "name", "is_active", "created_at")
    readonly_fields = ("prefix", "created_at")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Keys are added on the API key page, which shows the new key once.
        return False


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "id")
    readonly_fields = ("id", "created_at")
    inlines = [ApiKeyInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "tenant", "is_active", "created_at")
    list_filter = ("is_active", "tenant")
    search_fields = ("prefix", "name", "tenant__name")
    fields = ("tenant", "name", "is_active", "prefix", "created_at")
    readonly_fields = ("prefix", "created_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return self.readonly_fields + ("tenant",)
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return

        raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
        obj.prefix = raw_key[:12]
        obj.key_hash = hash_key(raw_key)
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            _("New API key for %(tenant)s: %(key)s. Copy it now: it is shown only once.")
            % {"tenant": obj.tenant.name, "key": raw_key},
            level=messages.WARNING,
        )
