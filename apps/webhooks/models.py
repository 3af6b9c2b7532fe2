from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.notifications.models import Delivery


class WebhookEvent(models.Model):
    """A provider receipt as received, with what it did to its delivery."""

    class Result(models.TextChoices):
        APPLIED = "applied", _("applied")
        STALE = "stale", _("ignored: would move the status backwards")
        UNMATCHED = "unmatched", _("no matching delivery")

    provider = models.CharField(_("provider"), max_length=64)
    event_id = models.CharField(_("event id"), max_length=255)
    delivery = models.ForeignKey(Delivery, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="webhook_events", verbose_name=_("delivery"))
    # Kept so that a receipt that arrives before the worker has stored the
    # provider's message id can be applied once it is stored.
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True, db_index=True)
    status = models.CharField(_("reported status"), max_length=16)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    payload = models.JSONField(_("payload"), help_text=_("The receipt's JSON body as received."))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]
        constraints = [
            # De-duplicates provider retries of the same event.
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_unique"),
        ]

    def __str__(self):
        return f"{self.provider}:{self.event_id} ({self.status}, {self.result})"
