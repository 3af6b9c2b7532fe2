import hashlib
import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "ntf_"


class Tenant(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_authenticated(self) -> bool:
        # DRF stores the authenticated tenant in request.user and some of its
        # parts read request.user.is_authenticated.
        return True


def hash_key(raw_key: str) -> str:
    # Keys carry 256 random bits, so a plain SHA-256 is enough: there is no
    # small key space for a slow hash to protect.
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


class ApiKeyManager(models.Manager):
    def issue(self, tenant: Tenant, name: str = "") -> tuple["ApiKey", str]:
        """Create a key for `tenant` and return it with the raw key, which is not stored."""
        raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
        api_key = self.create(tenant=tenant, name=name, prefix=raw_key[:12], key_hash=hash_key(raw_key))
        return api_key, raw_key


class ApiKey(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("tenant"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False,
                              help_text=_("The first characters of the key, to tell keys apart."))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ApiKeyManager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.tenant})"
