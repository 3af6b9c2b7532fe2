from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.notifications.models import NOTIFICATION_STATUS_LABELS, Delivery, DeliveryAttempt, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("channel", "recipient_id", "status", "status_reason", "provider", "attempt_count", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "provider", "outcome", "status_code", "duration_ms", "started_at", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "tenant", "priority", "channels", "overall_status", "created_at")
    list_filter = ("priority", "tenant", "created_at")
    search_fields = ("id",)
    readonly_fields = ("id", "tenant", "channels", "recipient_ids", "priority", "subject", "message", "metadata",
                       "created_at")
    inlines = [DeliveryInline]
    list_select_related = ("tenant",)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("status"))
    def overall_status(self, notification):
        return NOTIFICATION_STATUS_LABELS[notification.status()]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "tenant", "channel", "recipient_id", "status", "provider", "attempt_count", "updated_at")
    list_filter = ("status", "channel", "provider", "tenant")
    search_fields = ("id", "recipient_id", "provider_message_id", "notification__id")
    readonly_fields = [field.name for field in Delivery._meta.fields]
    inlines = [DeliveryAttemptInline]
    list_select_related = ("tenant",)

    def has_add_permission(self, request):
        return False
