from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.notifications.models import Delivery
from apps.tenants.models import Tenant


class DeadLetter(models.Model):
    """A delivery that ran out of retries, kept until an operator replays or discards it."""

    class Resolution(models.TextChoices):
        REPLAYED = "replayed", _("replayed")
        DISCARDED = "discarded", _("discarded")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="dead_letters",
                                 verbose_name=_("delivery"))
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="dead_letters", verbose_name=_("tenant"))
    channel = models.CharField(_("channel"), max_length=32)
    provider = models.CharField(_("provider"), max_length=64, blank=True)
    error = models.TextField(_("last error"))
    attempts = models.PositiveIntegerField(_("attempts"))
    # What a replay publishes: the task name, its arguments and its queue.
    replay_payload = models.JSONField(_("replay payload"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    resolution = models.CharField(_("resolution"), max_length=16, choices=Resolution.choices, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.CharField(_("resolved by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")
        ordering = ["-created_at"]
        indexes = [
            # The admin list and replay_dead_letters: open letters by tenant and channel.
            models.Index(fields=["resolution", "tenant", "channel", "created_at"], name="deadletter_open_lookup"),
        ]

    def __str__(self):
        return f"dead letter {self.pk} for delivery {self.delivery_id}"

    @property
    def is_open(self) -> bool:
        return not self.resolution
