"""Helpers for the provider adapter tests: outbound messages and free local ports."""

import uuid

import pytest

from notifier.providers import OutboundMessage


@pytest.fixture
def make_message():
    """Build an OutboundMessage with fresh ids. Keyword arguments override its fields."""

    def make(**overrides) -> OutboundMessage:
        fields = {
            "delivery_id": str(uuid.uuid4()),
            "notification_id": str(uuid.uuid4()),
            "tenant_id": str(uuid.uuid4()),
            "channel": "sms",
            "recipient_id": "ada",
            "address": "+886912345678",
            "body": "Your code is 314159.",
        }
        fields.update(overrides)
        return OutboundMessage(**fields)

    return make
