"""Provider adapters: one folder per provider, each a Provider subclass."""

from notifier.providers.base import OutboundMessage, Provider, ProviderError, SendResult

__all__ = ["OutboundMessage", "Provider", "ProviderError", "SendResult"]
