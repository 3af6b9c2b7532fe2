from django.contrib import admin

from apps.webhooks.models import WebhookEvent


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ("received_at", "provider", "event_id", "status", "result", "delivery")
    list_filter = ("provider", "status", "result", "received_at")
    search_fields = ("event_id", "delivery__id", "delivery__provider_message_id")
    readonly_fields = ("provider", "event_id", "delivery", "status", "result", "payload", "received_at")

    def has_add_permission(self, request):
        return False
