import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.tenants.models import Tenant
from notifier.channels import PRIORITIES
from notifier.states import DeliveryStatus, notification_status

# Literal gettext calls, so that makemessages finds every label.
DELIVERY_STATUS_LABELS = {
    DeliveryStatus.QUEUED: _("queued"),
    DeliveryStatus.SENDING: _("sending"),
    DeliveryStatus.RETRYING: _("retrying"),
    DeliveryStatus.SENT: _("sent"),
    DeliveryStatus.DELIVERED: _("delivered"),
    DeliveryStatus.FAILED: _("failed"),
    DeliveryStatus.DEAD: _("dead"),
    DeliveryStatus.SUPPRESSED: _("suppressed"),
}
NOTIFICATION_STATUS_LABELS = {
    "queued": _("queued"),
    "processing": _("processing"),
    "completed": _("completed"),
    "partially_failed": _("partially failed"),
    "failed": _("failed"),
}
PRIORITY_LABELS = {"high": _("high"), "normal": _("normal"), "low": _("low")}
DELIVERY_STATUS_CHOICES = [(status.value, DELIVERY_STATUS_LABELS[status]) for status in DeliveryStatus]
PRIORITY_CHOICES = [(priority, PRIORITY_LABELS[priority]) for priority in PRIORITIES]


class Notification(models.Model):
    """One accepted POST /notify request."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="notifications",
                               verbose_name=_("tenant"))
    channels = models.JSONField(_("channels"))
    recipient_ids = models.JSONField(_("recipient ids"))
    priority = models.CharField(_("priority"), max_length=8, choices=PRIORITY_CHOICES, default="normal")
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    message = models.TextField(_("message"))
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.id)

    def status(self) -> str:
        return notification_status([delivery.status for delivery in self.deliveries.all()]).value


class Delivery(models.Model):
    """The notification for one (channel, recipient) pair, and its delivery status."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries",
                                     verbose_name=_("notification"))
    # Copied from the notification so that metrics and scoped reads need no join.
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("tenant"))
    channel = models.CharField(_("channel"), max_length=32)
    recipient_id = models.CharField(_("recipient id"), max_length=128)
    status = models.CharField(_("status"), max_length=16, choices=DELIVERY_STATUS_CHOICES,
                              default=DeliveryStatus.QUEUED.value)
    status_reason = models.CharField(_("status reason"), max_length=500, blank=True)
    provider = models.CharField(_("provider"), max_length=64, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    # Attempts since the delivery was last queued; a dead-letter replay resets it.
    attempt_count = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel", "recipient_id"],
                                    name="delivery_unique_per_channel_recipient"),
        ]
        indexes = [
            # GET /metrics: a tenant's deliveries in a time window.
            models.Index(fields=["tenant", "created_at"], name="delivery_tenant_created"),
            # The sweeper: unsettled deliveries past their due time.
            models.Index(fields=["status", "next_attempt_at"], name="delivery_status_due"),
            # Provider receipts name the provider's message id.
            models.Index(fields=["provider_message_id"], name="delivery_provider_message"),
        ]

    def __str__(self):
        return f"{self.channel}:{self.recipient_id} ({self.status})"


class DeliveryAttempt(models.Model):
    """One call to a provider for a delivery, successful or not."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("sent")
        TRANSIENT_ERROR = "transient_error", _("transient error")
        PERMANENT_ERROR = "permanent_error", _("permanent error")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts",
                                 verbose_name=_("delivery"))
    number = models.PositiveIntegerField(_("number"))
    provider = models.CharField(_("provider"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    status_code = models.IntegerField(_("status code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number"]

    def __str__(self):
        return f"attempt {self.number} of {self.delivery_id}: {self.outcome}"


class IdempotencyRecord(models.Model):
    """The first response to a POST /notify that carried an Idempotency-Key header."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="idempotency_records",
                               verbose_name=_("tenant"))
    key = models.CharField(_("idempotency key"), max_length=255)
    request_hash = models.CharField(_("request hash"), max_length=64)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("notification"))
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.JSONField(_("response body"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            # The insert that wins this constraint owns the key; a concurrent duplicate loses it.
            models.UniqueConstraint(fields=["tenant", "key"], name="idempotency_key_unique_per_tenant"),
        ]

    def __str__(self):
        return f"{self.key} ({self.state})"
