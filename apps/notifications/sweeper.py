"""Finding deliveries whose Celery work was lost, and publishing them again.

Work is lost when the process dies between commit and publish, when the
broker drops messages on restart, when a worker is killed mid-send, or when a
retry publish fails. Each leaves a delivery `queued` or `retrying` well past
its due time, or `sending` after its lease ran out. Publishing moves the due
time to now, so the sweeper publishes a delivery again at most once per grace
period.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.notifications.dispatch import publish_delivery
from apps.notifications.idempotency import purge_expired
from apps.notifications.models import Delivery
from notifier.backoff import MAX_RETRIES
from notifier.states import DeliveryStatus

logger = logging.getLogger(__name__)

SWEEP_LIMIT = 1000


def sweep_stalled(now=None) -> dict:
    """Publish up to SWEEP_LIMIT stalled deliveries, dead-letter those out of attempts,
    and delete expired idempotency records."""
    from apps.deadletters.services import dead_letter_unsettled

    now = now or timezone.now()
    grace = timedelta(seconds=settings.NOTIFIER["SWEEP_GRACE_SECONDS"])
    stalled = (
        Delivery.objects.filter(
            Q(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.RETRYING], next_attempt_at__lt=now - grace)
            | Q(status=DeliveryStatus.SENDING, lease_expires_at__lt=now, next_attempt_at__lt=now - grace)
        )
        .select_related("notification")
        .order_by("next_attempt_at")[:SWEEP_LIMIT]
    )

    counts = {"published": 0, "dead": 0, "failed_to_publish": 0}
    for delivery in stalled:
        if delivery.attempt_count > MAX_RETRIES:
            dead_letter_unsettled(str(delivery.id), "retries exhausted; the last retry was lost")
            counts["dead"] += 1
            continue

        # Moving the due time keeps the next sweep from publishing it again at once.
        Delivery.objects.filter(pk=delivery.pk, status=delivery.status).update(next_attempt_at=now)
        if publish_delivery(str(delivery.id), delivery.channel, delivery.notification.priority,
                            retries=delivery.attempt_count):
            counts["published"] += 1
        else:
            counts["failed_to_publish"] += 1

    if any(counts.values()):
        logger.warning("sweeper found stalled deliveries: %s", counts)
    counts["expired_idempotency_keys"] = purge_expired(now)
    return counts
