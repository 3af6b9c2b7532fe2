"""Applying provider receipts to deliveries, once each and never backwards."""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.notifications.models import Delivery
from apps.webhooks.models import WebhookEvent
from notifier.states import DeliveryStatus, can_transition

logger = logging.getLogger(__name__)

GENERIC_PROVIDER = "generic"


@dataclass(frozen=True)
class ReceiptResult:
    result: str
    delivery_id: str | None
    delivery_status: str | None


def apply_receipt(provider: str, event_id: str, status: str, lookup: dict, payload: dict,
                  reason: str = "", occurred_at=None) -> ReceiptResult:
    """Store the event and move its delivery to `status` if that is a step forward.

    `lookup` is either {"provider_message_id": ...} or {"notification_id",
    "channel", "recipient_id"}. A repeated (provider, event_id) changes nothing.
    An unmatched receipt that names a provider message id is applied later by
    `apply_early_receipts`, when a worker stores that id.
    """
    try:
        with transaction.atomic():
            delivery = _find_delivery(provider, lookup)
            event = WebhookEvent.objects.create(
                provider=provider, event_id=event_id, status=status, delivery=delivery, payload=payload,
                provider_message_id=lookup.get("provider_message_id", ""), reason=reason[:500],
                occurred_at=occurred_at, result=WebhookEvent.Result.UNMATCHED,
            )
            if delivery is None:
                logger.warning("receipt %s from %s matches no delivery (%s)", event_id, provider, lookup)
                return ReceiptResult(WebhookEvent.Result.UNMATCHED, None, None)

            result = _apply_status(delivery, status, reason, occurred_at)
            event.result = result
            event.save(update_fields=["result"])
    except IntegrityError:
        existing = WebhookEvent.objects.filter(provider=provider, event_id=event_id).first()
        logger.info("receipt %s from %s is a duplicate; ignored", event_id, provider)
        delivery_id = str(existing.delivery_id) if existing and existing.delivery_id else None
        delivery_status = existing.delivery.status if existing and existing.delivery_id else None
        return ReceiptResult("duplicate", delivery_id, delivery_status)

    logger.info("receipt %s from %s for delivery %s (tenant %s): %s -> %s",
                event_id, provider, delivery.id, delivery.tenant_id, status, result)
    return ReceiptResult(result, str(delivery.id), delivery.status)


def _find_delivery(provider: str, lookup: dict) -> Delivery | None:
    deliveries = Delivery.objects.select_for_update(of=("self",))
    if lookup.get("provider_message_id"):
        deliveries = deliveries.filter(provider_message_id=lookup["provider_message_id"])
        # A named provider only matches its own messages; "generic" receipts match any provider.
        if provider != GENERIC_PROVIDER:
            deliveries = deliveries.filter(provider=provider)
        return deliveries.first()
    return deliveries.filter(notification_id=lookup["notification_id"], channel=lookup["channel"],
                             recipient_id=lookup["recipient_id"]).first()


def apply_early_receipts(delivery_id: str, provider_message_id: str) -> int:
    """Apply the unmatched receipts for `provider_message_id`, oldest first; return how many applied."""
    waiting = WebhookEvent.objects.filter(provider_message_id=provider_message_id,
                                          result=WebhookEvent.Result.UNMATCHED)
    if not waiting.exists():
        # The usual case: no receipt came early, so no lock is taken.
        return 0

    applied = 0
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update(of=("self",)).filter(pk=delivery_id).first()
        if delivery is None:
            return 0
        events = (WebhookEvent.objects.select_for_update()
                  .filter(provider_message_id=provider_message_id, result=WebhookEvent.Result.UNMATCHED,
                          provider__in=[GENERIC_PROVIDER, delivery.provider])
                  .order_by("received_at"))
        for event in events:
            event.delivery = delivery
            event.result = _apply_status(delivery, event.status, event.reason, event.occurred_at)
            event.save(update_fields=["delivery", "result"])
            applied += event.result == WebhookEvent.Result.APPLIED
            logger.info("early receipt %s from %s for delivery %s: %s -> %s", event.event_id, event.provider,
                        delivery.id, event.status, event.result)
    return applied


def _apply_status(delivery: Delivery, status: str, reason: str, occurred_at=None) -> str:
    if delivery.status == status or not can_transition(delivery.status, status):
        return WebhookEvent.Result.STALE

    now = occurred_at or timezone.now()
    delivery.status = status
    fields = ["status", "updated_at"]
    if status == DeliveryStatus.DELIVERED:
        delivery.delivered_at = now
        fields.append("delivered_at")
    if status == DeliveryStatus.SENT and delivery.sent_at is None:
        delivery.sent_at = now
        fields.append("sent_at")
    if status == DeliveryStatus.FAILED:
        delivery.status_reason = (reason or "provider reported failure")[:500]
        fields.append("status_reason")
    delivery.lease_expires_at = None
    fields.append("lease_expires_at")
    delivery.save(update_fields=fields)
    return WebhookEvent.Result.APPLIED
