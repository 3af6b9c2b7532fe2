"""Celery tasks. They carry delivery ids only: addresses, bodies and
credentials are loaded inside the worker."""

import logging

from celery import Task, shared_task

from apps.notifications.delivery import Outcome, attempt_delivery
from apps.notifications.dispatch import publish_delivery
from apps.notifications.sweeper import sweep_stalled
from notifier.backoff import task_retry_options

logger = logging.getLogger(__name__)


class TransientDeliveryError(Exception):
    """A provider failure worth retrying; Celery's autoretry schedules the retry."""


@shared_task(name="notifications.dispatch_batch", bind=True)
def dispatch_batch(self, delivery_ids: list[str]) -> dict:
    """Make the first attempt of each delivery in the batch.

    A delivery that fails transiently continues as its own `send_delivery`
    task, so that its retries keep their own backoff clock.
    """
    counts: dict[str, int] = {}
    # NOTE: each delivery is claimed, resolved and recorded with its own queries
    # and sent in series; loading and recording per batch would cut that cost.
    for delivery_id in delivery_ids:
        try:
            result = attempt_delivery(delivery_id)
        except Exception:  # one broken row must not stop the rest; the sweeper retries it
            logger.exception("delivery %s failed inside dispatch batch %s", delivery_id, self.request.id)
            counts["error"] = counts.get("error", 0) + 1
            continue

        counts[result.outcome] = counts.get(result.outcome, 0) + 1
        if result.outcome == Outcome.RETRY:
            publish_delivery(delivery_id, result.channel, result.priority, retries=result.attempts,
                             countdown=result.retry_in)
    return counts


class DeliveryTask(Task):
    autoretry_for = (TransientDeliveryError,)
    # Backoff 1, 2, 4, 8, 16 s without jitter, at most 5 retries.
    retry_backoff = task_retry_options()["retry_backoff"]
    retry_backoff_max = task_retry_options()["retry_backoff_max"]
    retry_jitter = task_retry_options()["retry_jitter"]
    max_retries = task_retry_options()["max_retries"]

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from apps.deadletters.services import dead_letter_unsettled

        delivery_id = args[0] if args else kwargs.get("delivery_id")
        logger.error("send_delivery task %s for delivery %s failed: %r", task_id, delivery_id, exc)
        if isinstance(exc, TransientDeliveryError):
            # Celery ran out of retries before the delivery's own attempt count did.
            dead_letter_unsettled(delivery_id, f"retries exhausted: {exc}")


@shared_task(name="notifications.send_delivery", base=DeliveryTask, bind=True)
def send_delivery(self, delivery_id: str) -> str:
    """Attempt one delivery; a transient failure raises so that Celery retries it."""
    result = attempt_delivery(delivery_id)
    if result.outcome == Outcome.RETRY:
        raise TransientDeliveryError(result.error)
    return result.outcome


@shared_task(name="notifications.sweep_stalled_deliveries")
def sweep_stalled_deliveries() -> dict:
    """Publish again the deliveries whose work was lost (see apps.notifications.sweeper)."""
    return sweep_stalled()
