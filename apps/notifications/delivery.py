"""One attempt at sending one delivery, and the record it leaves.

The attempt claims the delivery under a row lock, sends outside any
transaction, then records the attempt and the new status in one transaction.
A delivery already sent or settled is skipped, so a redelivered task does not
send again. A delivery that another worker is sending is skipped until that
worker's lease runs out. Every write after the send is conditional on the
attempt number the claim took, so a worker whose lease ran out and was taken
over cannot overwrite the new owner's record.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.notifications.models import Delivery, DeliveryAttempt
from apps.recipients.models import Recipient
from apps.webhooks.services import apply_early_receipts
from notifier.backoff import MAX_RETRIES, retry_delay
from notifier.channels import get_channel
from notifier.providers import OutboundMessage, ProviderError
from notifier.providers.registry import primary_provider
from notifier.states import TERMINAL, DeliveryStatus

logger = logging.getLogger(__name__)

# Clock skew allowed between the host that scheduled a retry and the one that runs it.
EARLY_TOLERANCE = timedelta(seconds=1)
WORKER_LOST_ERROR = "worker lost during the send; the provider may or may not have accepted it"


class Outcome:
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    DEAD = "dead"
    SUPPRESSED = "suppressed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class AttemptResult:
    outcome: str
    delivery_id: str
    channel: str = ""
    priority: str = ""
    attempts: int = 0
    error: str = ""
    retry_in: int = 0


def attempt_delivery(delivery_id: str) -> AttemptResult:
    """Try to send one delivery once and record the result."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return AttemptResult(Outcome.SKIPPED, delivery_id)

    notification = delivery.notification
    recipient = Recipient.objects.filter(tenant_id=delivery.tenant_id, recipient_id=delivery.recipient_id).first()
    if recipient is None:
        return _suppress(delivery, "recipient_not_found")
    address = get_channel(delivery.channel).address_for(recipient.contact())
    if address is None:
        return _suppress(delivery, "no_address_for_channel")

    provider = primary_provider(delivery.channel)
    message = OutboundMessage(
        delivery_id=str(delivery.id),
        notification_id=str(notification.id),
        tenant_id=str(delivery.tenant_id),
        channel=delivery.channel,
        recipient_id=delivery.recipient_id,
        address=address,
        subject=notification.subject,
        body=notification.message,
        metadata=notification.metadata,
    )

    started_at = timezone.now()
    clock = time.monotonic()
    try:
        result = provider.send(message)
    except ProviderError as error:
        duration_ms = int((time.monotonic() - clock) * 1000)
        return _record_failure(delivery, provider.name, started_at, duration_ms, str(error),
                               error.permanent, error.status_code)
    except Exception as error:  # an adapter bug is recorded and retried like a transient failure
        duration_ms = int((time.monotonic() - clock) * 1000)
        logger.exception("provider %s raised an unexpected error for delivery %s", provider.name, delivery.id)
        return _record_failure(delivery, provider.name, started_at, duration_ms,
                               f"unexpected {type(error).__name__}: {error}", False, None)

    duration_ms = int((time.monotonic() - clock) * 1000)
    return _record_success(delivery, provider.name, started_at, duration_ms, result)


def _claim(delivery_id: str) -> Delivery | None:
    now = timezone.now()
    lease = timedelta(seconds=settings.NOTIFIER["SEND_LEASE_SECONDS"])

    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",)).select_related("notification")
                    .filter(pk=delivery_id).first())
        if delivery is None:
            logger.warning("delivery %s not found; skipping its task", delivery_id)
            return None
        if delivery.status == DeliveryStatus.SENT or delivery.status in TERMINAL:
            logger.info("delivery %s is already %s; skipping", delivery.id, delivery.status)
            return None
        if delivery.status == DeliveryStatus.RETRYING and delivery.next_attempt_at > now + EARLY_TOLERANCE:
            # A duplicate message (a sweep behind a long backlog) must not cut the backoff short.
            logger.info("delivery %s is not due until %s; skipping an early message", delivery.id,
                        delivery.next_attempt_at.isoformat())
            return None
        if delivery.status == DeliveryStatus.SENDING:
            if delivery.lease_expires_at and delivery.lease_expires_at > now:
                logger.info("delivery %s is being sent by another worker until %s; skipping",
                            delivery.id, delivery.lease_expires_at.isoformat())
                return None
            _record_lost_attempt(delivery, now)

        delivery.status = DeliveryStatus.SENDING
        delivery.attempt_count += 1
        delivery.lease_expires_at = now + lease
        delivery.save(update_fields=["status", "attempt_count", "lease_expires_at", "updated_at"])

    logger.info("delivery %s of notification %s (tenant %s, %s) attempt %d started",
                delivery.id, delivery.notification_id, delivery.tenant_id, delivery.channel, delivery.attempt_count)
    return delivery


def _record_lost_attempt(delivery: Delivery, now) -> None:
    logger.warning("delivery %s: the worker of attempt %d was lost; taking over", delivery.id, delivery.attempt_count)
    DeliveryAttempt.objects.create(
        delivery=delivery, number=delivery.attempts.count() + 1, provider=delivery.provider or "unknown",
        outcome=DeliveryAttempt.Outcome.TRANSIENT_ERROR, error=WORKER_LOST_ERROR, started_at=now, duration_ms=0,
    )


def _suppress(delivery: Delivery, reason: str) -> AttemptResult:
    # The recipient changed after the notification was accepted.
    with transaction.atomic():
        _owned(delivery).filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.SUPPRESSED, status_reason=reason, lease_expires_at=None, updated_at=timezone.now())
    logger.info("delivery %s suppressed: %s", delivery.id, reason)
    return AttemptResult(Outcome.SUPPRESSED, str(delivery.id), delivery.channel)


def _record_success(delivery, provider_name, started_at, duration_ms, result) -> AttemptResult:
    now = timezone.now()
    with transaction.atomic():
        _create_attempt(delivery, provider_name, DeliveryAttempt.Outcome.SENT, started_at, duration_ms,
                        status_code=result.status_code)
        # Only a delivery still in `sending` moves: a receipt that arrived first
        # (delivered, failed) must not be overwritten by this later `sent`.
        moved = _owned(delivery).filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.SENT, status_reason="", provider=provider_name,
            provider_message_id=result.provider_message_id, sent_at=now, lease_expires_at=None, updated_at=now)
        if not moved:
            _owned(delivery).update(provider=provider_name, provider_message_id=result.provider_message_id,
                                    sent_at=now)

    logger.info("delivery %s sent by %s as %s in %d ms (attempt %d)", delivery.id, provider_name,
                result.provider_message_id, duration_ms, delivery.attempt_count)
    # A fast provider can post its receipt before this send was recorded.
    apply_early_receipts(str(delivery.id), result.provider_message_id)
    return AttemptResult(Outcome.SENT, str(delivery.id), delivery.channel, delivery.notification.priority,
                         delivery.attempt_count)


def _record_failure(delivery, provider_name, started_at, duration_ms, error, permanent, status_code) -> AttemptResult:
    from apps.deadletters.services import record_dead_letter

    now = timezone.now()
    outcome_kind = DeliveryAttempt.Outcome.PERMANENT_ERROR if permanent else DeliveryAttempt.Outcome.TRANSIENT_ERROR
    exhausted = delivery.attempt_count > MAX_RETRIES
    base = dict(outcome="", delivery_id=str(delivery.id), channel=delivery.channel,
                priority=delivery.notification.priority, attempts=delivery.attempt_count, error=error)

    with transaction.atomic():
        _create_attempt(delivery, provider_name, outcome_kind, started_at, duration_ms, status_code, error)
        pending = _owned(delivery).filter(status=DeliveryStatus.SENDING)

        if permanent:
            pending.update(status=DeliveryStatus.FAILED, status_reason=error[:500], provider=provider_name,
                           lease_expires_at=None, updated_at=now)
            result = AttemptResult(**{**base, "outcome": Outcome.FAILED})
        elif exhausted:
            if pending.update(status=DeliveryStatus.DEAD, status_reason=error[:500], provider=provider_name,
                              lease_expires_at=None, updated_at=now):
                record_dead_letter(delivery, provider_name, error)
            result = AttemptResult(**{**base, "outcome": Outcome.DEAD})
        else:
            wait = retry_delay(delivery.attempt_count - 1)
            pending.update(status=DeliveryStatus.RETRYING, status_reason=error[:500], provider=provider_name,
                           next_attempt_at=now + timedelta(seconds=wait), lease_expires_at=None, updated_at=now)
            result = AttemptResult(**{**base, "outcome": Outcome.RETRY, "retry_in": wait})

    log = logger.warning if result.outcome == Outcome.RETRY else logger.error
    log("delivery %s attempt %d with %s failed (%s), outcome %s%s: %s", delivery.id, delivery.attempt_count,
        provider_name, "permanent" if permanent else "transient", result.outcome,
        f", retry in {result.retry_in} s" if result.outcome == Outcome.RETRY else "", error)
    return result


def _owned(delivery: Delivery):
    """Select the delivery only while it still carries the attempt number this worker claimed."""
    return Delivery.objects.filter(pk=delivery.pk, attempt_count=delivery.attempt_count)


def _create_attempt(delivery, provider_name, outcome, started_at, duration_ms, status_code=None, error=""):
    DeliveryAttempt.objects.create(
        delivery=delivery, number=delivery.attempts.count() + 1, provider=provider_name, outcome=outcome,
        status_code=status_code, error=error, started_at=started_at, duration_ms=duration_ms,
    )
