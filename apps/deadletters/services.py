"""Recording, replaying and discarding dead letters."""

import logging

from django.db import transaction
from django.utils import timezone

from apps.deadletters.models import DeadLetter
from apps.notifications.dispatch import publish_delivery
from apps.notifications.models import Delivery
from notifier.channels import queue_name
from notifier.states import TERMINAL, DeliveryStatus

logger = logging.getLogger(__name__)


class ReplayError(Exception):
    """The dead letter cannot be replayed (already resolved, or its delivery moved on)."""


def record_dead_letter(delivery: Delivery, provider: str, error: str) -> DeadLetter:
    """Create the dead letter of a delivery that has just become dead; call inside its transaction."""
    priority = delivery.notification.priority
    dead_letter = DeadLetter.objects.create(
        delivery=delivery,
        tenant_id=delivery.tenant_id,
        channel=delivery.channel,
        provider=provider,
        error=error,
        attempts=delivery.attempt_count,
        replay_payload={
            "task": "notifications.send_delivery",
            "args": [str(delivery.id)],
            "queue": queue_name(delivery.channel, priority),
        },
    )
    logger.error("delivery %s of tenant %s is dead after %d attempts with %s; dead letter %s: %s",
                 delivery.id, delivery.tenant_id, delivery.attempt_count, provider, dead_letter.pk, error)
    return dead_letter


def dead_letter_unsettled(delivery_id: str, error: str) -> DeadLetter | None:
    """Mark a delivery dead and dead-letter it unless it already settled."""
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",)).select_related("notification")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.status in TERMINAL or delivery.status == DeliveryStatus.SENT:
            return None
        delivery.status = DeliveryStatus.DEAD
        delivery.status_reason = error[:500]
        delivery.lease_expires_at = None
        delivery.save(update_fields=["status", "status_reason", "lease_expires_at", "updated_at"])
        return record_dead_letter(delivery, delivery.provider, error)


def replay(dead_letter_id: int, actor: str) -> Delivery:
    """Queue the dead letter's delivery again with a fresh retry budget."""
    with transaction.atomic():
        dead_letter = _lock_open(dead_letter_id)
        delivery = Delivery.objects.select_for_update(of=("self",)).select_related("notification").get(
            pk=dead_letter.delivery_id)
        if delivery.status != DeliveryStatus.DEAD:
            raise ReplayError(f"delivery {delivery.id} is {delivery.status}, not dead")

        now = timezone.now()
        delivery.status = DeliveryStatus.QUEUED
        delivery.status_reason = ""
        delivery.attempt_count = 0
        delivery.next_attempt_at = now
        delivery.save(update_fields=["status", "status_reason", "attempt_count", "next_attempt_at", "updated_at"])
        _resolve(dead_letter, DeadLetter.Resolution.REPLAYED, actor, now)

        priority = delivery.notification.priority
        transaction.on_commit(lambda: publish_delivery(str(delivery.id), delivery.channel, priority, retries=0))

    logger.info("dead letter %s replayed by %s: delivery %s of tenant %s queued again",
                dead_letter.pk, actor, delivery.id, delivery.tenant_id)
    return delivery


def discard(dead_letter_id: int, actor: str) -> None:
    """Close a dead letter without sending; its delivery stays dead."""
    with transaction.atomic():
        dead_letter = _lock_open(dead_letter_id)
        _resolve(dead_letter, DeadLetter.Resolution.DISCARDED, actor, timezone.now())

    logger.info("dead letter %s for delivery %s discarded by %s", dead_letter.pk, dead_letter.delivery_id, actor)


def _lock_open(dead_letter_id: int) -> DeadLetter:
    """Lock an open dead letter for the current transaction, or raise ReplayError."""
    dead_letter = DeadLetter.objects.select_for_update().filter(pk=dead_letter_id).first()
    if dead_letter is None:
        raise ReplayError(f"dead letter {dead_letter_id} not found")
    if not dead_letter.is_open:
        raise ReplayError(f"dead letter {dead_letter_id} is already {dead_letter.resolution}")
    return dead_letter


def _resolve(dead_letter: DeadLetter, resolution: str, actor: str, now) -> None:
    dead_letter.resolution = resolution
    dead_letter.resolved_at = now
    dead_letter.resolved_by = actor[:150]
    dead_letter.save(update_fields=["resolution", "resolved_at", "resolved_by"])
