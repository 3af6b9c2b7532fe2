"""Publishing delivery work onto the per-channel priority queues.

First attempts travel in batches: one `dispatch_batch` task carries up to
NOTIFIER["DISPATCH_BATCH_SIZE"] delivery ids of one channel, so a notification
to many recipients costs a few broker messages instead of one per delivery.
Retries, replays and sweeps travel one delivery per `send_delivery` task,
because each delivery keeps its own backoff clock.

A publish that fails is logged and not raised: the rows are committed, and
the sweeper publishes deliveries that stay queued past their due time.
"""

import logging
from itertools import groupby

from django.conf import settings

from config.celery import app
from notifier.channels import queue_name

logger = logging.getLogger(__name__)


def publish_first_attempts(notification, deliveries) -> None:
    """Publish dispatch batches for the queued deliveries of a just-committed notification."""
    batch_size = settings.NOTIFIER["DISPATCH_BATCH_SIZE"]
    by_channel = groupby(sorted(deliveries, key=lambda d: d.channel), key=lambda d: d.channel)

    try:
        with app.producer_or_acquire() as producer:
            for channel, channel_deliveries in by_channel:
                ids = [str(delivery.id) for delivery in channel_deliveries]
                queue = queue_name(channel, notification.priority)
                for start in range(0, len(ids), batch_size):
                    app.send_task("notifications.dispatch_batch", args=[ids[start:start + batch_size]],
                                  queue=queue, producer=producer)
    except Exception as error:  # a broker outage must not lose the committed notification
        logger.error("publishing notification %s of tenant %s failed, the sweeper will retry: %s",
                     notification.id, notification.tenant_id, error)


def publish_delivery(delivery_id: str, channel: str, priority: str, retries: int, countdown: float = 0) -> bool:
    """Publish one `send_delivery` task; return False when the broker rejected it.

    `retries` is the number of attempts already made in this cycle, so that
    Celery's autoretry continues the same backoff schedule.
    """
    try:
        app.send_task("notifications.send_delivery", args=[str(delivery_id)], queue=queue_name(channel, priority),
                      retries=retries, countdown=countdown or None)
        return True
    except Exception as error:  # the sweeper publishes it again later
        logger.error("publishing delivery %s to %s.%s failed, the sweeper will retry: %s",
                     delivery_id, channel, priority, error)
        return False
