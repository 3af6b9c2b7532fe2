"""Accepting a notification: one transaction, then publishing after commit."""

import logging

from django.db import transaction
from django.utils import timezone

from apps.notifications.dispatch import publish_first_attempts
from apps.notifications.models import Delivery, Notification
from apps.recipients.models import Recipient
from apps.tenants.models import Tenant
from notifier.channels import get_channel
from notifier.states import DeliveryStatus

logger = logging.getLogger(__name__)

REASON_UNKNOWN_RECIPIENT = "recipient_not_found"
REASON_NO_ADDRESS = "no_address_for_channel"


def accept_notification(tenant: Tenant, request: dict, on_stored=None) -> tuple[Notification, list[Delivery]]:
    """Store a notification with one delivery per (channel, recipient) and queue the sendable ones.

    Deliveries to unknown recipients, or to recipients without an address for
    the channel, are stored as suppressed with a reason and are not queued.
    `on_stored(notification, deliveries)` runs inside the same transaction.
    """
    recipients = {
        recipient.recipient_id: recipient
        for recipient in Recipient.objects.filter(tenant=tenant, recipient_id__in=request["recipient_ids"])
    }
    now = timezone.now()

    with transaction.atomic():
        notification = Notification.objects.create(
            tenant=tenant,
            channels=request["channels"],
            recipient_ids=request["recipient_ids"],
            priority=request["priority"],
            subject=request.get("subject", ""),
            message=request["message"],
            metadata=request.get("metadata", {}),
        )
        deliveries = [
            _new_delivery(notification, channel_name, recipient_id, recipients.get(recipient_id), now)
            for channel_name in request["channels"]
            for recipient_id in request["recipient_ids"]
        ]
        Delivery.objects.bulk_create(deliveries)
        if on_stored is not None:
            on_stored(notification, deliveries)

        queued = [delivery for delivery in deliveries if delivery.status == DeliveryStatus.QUEUED]
        transaction.on_commit(lambda: publish_first_attempts(notification, queued))

    logger.info("notification %s accepted for tenant %s: %d deliveries, %d queued, priority %s",
                notification.id, tenant.id, len(deliveries), len(queued), notification.priority)
    return notification, deliveries


def _new_delivery(notification, channel_name, recipient_id, recipient, now) -> Delivery:
    delivery = Delivery(notification=notification, tenant_id=notification.tenant_id, channel=channel_name,
                        recipient_id=recipient_id, next_attempt_at=now)

    if recipient is None:
        delivery.status = DeliveryStatus.SUPPRESSED
        delivery.status_reason = REASON_UNKNOWN_RECIPIENT
    elif get_channel(channel_name).address_for(recipient.contact()) is None:
        delivery.status = DeliveryStatus.SUPPRESSED
        delivery.status_reason = REASON_NO_ADDRESS
    return delivery
