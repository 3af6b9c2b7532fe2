from django.contrib import admin

from apps.recipients.models import Recipient


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ("recipient_id", "tenant", "email", "phone", "updated_at")
    list_filter = ("tenant",)
    search_fields = ("recipient_id", "email", "phone")
    readonly_fields = ("created_at", "updated_at")
