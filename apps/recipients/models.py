from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.tenants.models import Tenant
from notifier.channels import Contact


class Recipient(models.Model):
    """A person in a tenant's directory, addressed by the tenant's own id."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("tenant"))
    recipient_id = models.CharField(_("recipient id"), max_length=128)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=16, blank=True)
    push_tokens = models.JSONField(_("push tokens"), default=list, blank=True,
                                   help_text=_('A list of {"token": ..., "platform": "ios" | "android" | "web"}.'))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "recipient_id"], name="recipient_unique_per_tenant"),
        ]

    def __str__(self):
        return f"{self.recipient_id} ({self.tenant})"

    def contact(self) -> Contact:
        return Contact(email=self.email, phone=self.phone, push_tokens=list(self.push_tokens or []))
