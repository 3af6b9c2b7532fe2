"""Channels and their registry.

A channel decides which address of a recipient it delivers to and which
providers can carry it. Adding a channel (voice, in-app) is a Channel subclass,
a line in settings.NOTIFIER["CHANNELS"] and a provider list under
settings.NOTIFIER["PROVIDERS"]; the API, the queues and the workers pick it up
from the registry without code changes.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

PRIORITIES = ("high", "normal", "low")


@dataclass(frozen=True)
class Contact:
    """The addresses the recipient directory holds for one recipient."""

    email: str = ""
    phone: str = ""
    push_tokens: list[dict] = field(default_factory=list)


class Channel:
    """One way of reaching a person. Subclasses set `name` and `address_for`."""

    name: str = ""

    def address_for(self, contact: Contact):
        """Return what the provider sends to for `contact`, or None when it has none."""
        raise NotImplementedError

    def queues(self) -> list[str]:
        """Return the Celery queues of this channel, highest priority first."""
        return [queue_name(self.name, priority) for priority in PRIORITIES]


class EmailChannel(Channel):
    name = "email"

    def address_for(self, contact: Contact):
        return contact.email or None


class SmsChannel(Channel):
    name = "sms"

    def address_for(self, contact: Contact):
        return contact.phone or None


class PushChannel(Channel):
    name = "push"

    def address_for(self, contact: Contact):
        return list(contact.push_tokens) or None


def queue_name(channel: str, priority: str) -> str:
    if priority not in PRIORITIES:
        raise ValueError(f"unknown priority {priority!r}; expected one of {', '.join(PRIORITIES)}")
    return f"{channel}.{priority}"


_registry: dict[str, Channel] | None = None


def registry() -> dict[str, Channel]:
    """Return the configured channels by name, loading them on first use."""
    global _registry
    if _registry is None:
        loaded = {}
        for name, dotted_path in settings.NOTIFIER["CHANNELS"].items():
            channel = import_string(dotted_path)()
            if channel.name != name:
                raise ValueError(f"channel class {dotted_path} has name {channel.name!r}, configured as {name!r}")
            loaded[name] = channel
        _registry = loaded
    return _registry


def get_channel(name: str) -> Channel:
    try:
        return registry()[name]
    except KeyError:
        raise LookupError(f"unknown channel {name!r}; registered: {', '.join(sorted(registry()))}") from None


def channel_names() -> list[str]:
    return sorted(registry())
