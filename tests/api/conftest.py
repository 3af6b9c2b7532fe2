"""Helpers for the API tests: request bodies and rows created through the ORM."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.deadletters.models import DeadLetter
from apps.deadletters.services import dead_letter_unsettled
from apps.notifications.models import Delivery, Notification
from apps.webhooks.models import WebhookEvent

VALID_BODY = {"channels": ["sms"], "recipient_ids": ["ada"], "message": "Your code is 314159."}


def nothing_stored() -> dict:
    """Count the rows a rejected request must not create."""
    return {
        "notifications": Notification.objects.count(),
        "deliveries": Delivery.objects.count(),
        "webhook_events": WebhookEvent.objects.count(),
    }


NOTHING = {"notifications": 0, "deliveries": 0, "webhook_events": 0}


def create_notification(tenant, deliveries: list[tuple[str, str, str]], age: timedelta = timedelta(0),
                        priority: str = "normal") -> Notification:
    """Store a notification with deliveries given as (channel, recipient_id, status), created `age` ago."""
    notification = Notification.objects.create(
        tenant=tenant,
        channels=sorted({channel for channel, _, _ in deliveries}),
        recipient_ids=sorted({recipient_id for _, recipient_id, _ in deliveries}),
        priority=priority,
        subject="Sign-in code",
        message="Your code is 314159.",
    )
    for channel, recipient_id, status in deliveries:
        Delivery.objects.create(notification=notification, tenant=tenant, channel=channel,
                                recipient_id=recipient_id, status=status)
    if age:
        created_at = timezone.now() - age
        Notification.objects.filter(pk=notification.pk).update(created_at=created_at)
        Delivery.objects.filter(notification=notification).update(created_at=created_at)
    return notification


def make_dead_letter(tenant, channel: str = "sms", age: timedelta = timedelta(0)) -> DeadLetter:
    """Dead-letter a retrying delivery the way the worker does when retries run out."""
    notification = create_notification(tenant, [(channel, "ada", "retrying")])
    delivery = notification.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=6, provider="sandbox")
    dead_letter = dead_letter_unsettled(str(delivery.id), "retries exhausted: sandbox answered 503")
    if age:
        DeadLetter.objects.filter(pk=dead_letter.pk).update(created_at=timezone.now() - age)
    return dead_letter
