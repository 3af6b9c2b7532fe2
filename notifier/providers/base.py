"""The provider base class and the one error type adapters raise.

An adapter turns an OutboundMessage into one call to its provider and returns
a SendResult, or raises ProviderError saying whether the failure is permanent.
It never retries or sleeps: the task layer alone decides retry, dead letter
or failure, so every provider gets the same backoff and the same records.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutboundMessage:
    """Everything a provider needs to send one delivery, built inside the worker."""

    delivery_id: str
    notification_id: str
    tenant_id: str
    channel: str
    recipient_id: str
    address: object
    body: str
    subject: str = ""
    metadata: dict = field(default_factory=dict)

    @property
    def idempotency_key(self) -> str:
        # A redelivered task sends the same key, so providers that honour one
        # drop the duplicate.
        return self.delivery_id


@dataclass(frozen=True)
class SendResult:
    """A provider's acceptance of a message."""

    provider_message_id: str
    status_code: int | None = None


class ProviderError(Exception):
    """A failed send. `permanent` means retrying cannot help (invalid address, 4xx)."""

    def __init__(self, message: str, *, permanent: bool, status_code: int | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.status_code = status_code


class Provider:
    """Base class of provider adapters: subclasses implement `send`."""

    def __init__(self, name: str, channel: str, options: dict):
        self.name = name
        self.channel = channel
        self.options = options

    def send(self, message: OutboundMessage) -> SendResult:
        raise NotImplementedError
