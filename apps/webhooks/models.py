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
    status = models.CharField(_("reported status"), max_length=16)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    payload = models.JSONField(_("raw payload"))
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
