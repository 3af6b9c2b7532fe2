"""The delivery state machine.

A delivery moves queued -> sending -> sent -> delivered, through retrying
between attempts, and ends in delivered, failed, dead or suppressed. Provider
receipts may arrive late or out of order, so they go through `can_transition`,
which keeps a status from moving backwards. The worker's own writes are
conditional updates on the status they expect and follow the same table.
"""

from enum import StrEnum


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    RETRYING = "retrying"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    DEAD = "dead"
    SUPPRESSED = "suppressed"


class NotificationStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    PARTIALLY_FAILED = "partially_failed"
    FAILED = "failed"


TERMINAL = frozenset(
    {DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.DEAD, DeliveryStatus.SUPPRESSED}
)

# Allowed moves. `sent` is not terminal because a receipt may still report
# delivered or failed (a bounce). A dead delivery may be queued again only by
# a dead-letter replay, which `replay` in the dead-letter service performs.
TRANSITIONS: dict[DeliveryStatus, frozenset[DeliveryStatus]] = {
    DeliveryStatus.QUEUED: frozenset(
        {DeliveryStatus.SENDING, DeliveryStatus.SUPPRESSED, DeliveryStatus.SENT,
         DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.DEAD}
    ),
    DeliveryStatus.SENDING: frozenset(
        {DeliveryStatus.SENT, DeliveryStatus.RETRYING, DeliveryStatus.FAILED, DeliveryStatus.DEAD,
         DeliveryStatus.DELIVERED, DeliveryStatus.SENDING, DeliveryStatus.SUPPRESSED}
    ),
    DeliveryStatus.RETRYING: frozenset(
        {DeliveryStatus.SENDING, DeliveryStatus.DEAD, DeliveryStatus.FAILED,
         DeliveryStatus.SENT, DeliveryStatus.DELIVERED}
    ),
    DeliveryStatus.SENT: frozenset({DeliveryStatus.DELIVERED, DeliveryStatus.FAILED}),
    DeliveryStatus.DELIVERED: frozenset(),
    DeliveryStatus.FAILED: frozenset(),
    DeliveryStatus.DEAD: frozenset({DeliveryStatus.QUEUED}),
    DeliveryStatus.SUPPRESSED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    """Return whether a delivery in `current` may move to `target`."""
    return DeliveryStatus(target) in TRANSITIONS[DeliveryStatus(current)]


def notification_status(delivery_statuses: list[str]) -> NotificationStatus:
    """Derive a notification's status from the statuses of its deliveries.

    Suppressed deliveries count as settled without failing the notification:
    a notification whose deliveries are all suppressed is completed, and one
    whose other deliveries are all still queued is queued.
    """
    statuses = [DeliveryStatus(status) for status in delivery_statuses]
    if not statuses:
        return NotificationStatus.COMPLETED

    unsettled = [status for status in statuses if status not in TERMINAL and status != DeliveryStatus.SENT]
    if unsettled:
        waiting = all(status in (DeliveryStatus.QUEUED, DeliveryStatus.SUPPRESSED) for status in statuses)
        return NotificationStatus.QUEUED if waiting else NotificationStatus.PROCESSING

    failed = [status for status in statuses if status in (DeliveryStatus.FAILED, DeliveryStatus.DEAD)]
    if not failed:
        return NotificationStatus.COMPLETED
    if len(failed) == len(statuses):
        return NotificationStatus.FAILED
    return NotificationStatus.PARTIALLY_FAILED
