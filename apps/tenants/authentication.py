"""Bearer API key authentication: every request acts as one tenant."""

import logging

from rest_framework import authentication, exceptions, permissions

from apps.tenants.models import ApiKey, hash_key

logger = logging.getLogger(__name__)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None

        scheme, _, raw_key = header.partition(" ")
        # Auth schemes are case-insensitive (RFC 9110, section 11.1).
        if scheme.lower() != self.keyword.lower() or not raw_key.strip():
            raise exceptions.AuthenticationFailed("Authorization header must be 'Bearer <api key>'.")

        api_key = (
            ApiKey.objects.select_related("tenant")
            .filter(key_hash=hash_key(raw_key.strip()), is_active=True, tenant__is_active=True)
            .first()
        )
        if api_key is None:
            logger.info("rejected an unknown, revoked or inactive API key with prefix %s", raw_key.strip()[:12])
            raise exceptions.AuthenticationFailed("Invalid API key.")
        return (api_key.tenant, api_key)

    def authenticate_header(self, request):
        return self.keyword


class IsTenant(permissions.BasePermission):
    """Allow a request only when an API key authenticated it."""

    def has_permission(self, request, view):
        if request.auth is None:
            raise exceptions.NotAuthenticated("Missing API key: send 'Authorization: Bearer <api key>'.")
        return True
