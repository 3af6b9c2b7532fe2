"""Provider lookup from settings.NOTIFIER["PROVIDERS"]."""

from django.conf import settings
from django.utils.module_loading import import_string

from notifier.providers.base import Provider

_cache: dict[str, list[Provider]] = {}


def providers_for(channel: str) -> list[Provider]:
    """Return the providers of `channel` in the order they are tried."""
    if channel not in _cache:
        entries = settings.NOTIFIER["PROVIDERS"].get(channel, [])
        if not entries:
            raise LookupError(f"no provider configured for channel {channel!r}")
        _cache[channel] = [
            import_string(entry["class"])(entry["name"], channel, entry.get("options", {}))
            for entry in entries
        ]
    return _cache[channel]


def primary_provider(channel: str) -> Provider:
    # NOTE: only the first provider is used; fallback through a circuit
    # breaker to the next one in the list is not built yet.
    return providers_for(channel)[0]
