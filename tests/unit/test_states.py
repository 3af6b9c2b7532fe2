"""The delivery state machine and the notification status derived from it."""

import pytest

from notifier.states import DeliveryStatus, NotificationStatus, can_transition, notification_status

ALLOWED_MOVES = [
    ("queued", "sending"),
    ("queued", "suppressed"),
    # The sweeper dead-letters queued work whose retry budget is spent.
    ("queued", "dead"),
    ("sending", "sent"),
    ("sending", "retrying"),
    ("sending", "failed"),
    ("sending", "dead"),
    # A worker takes over a delivery whose lease ran out.
    ("sending", "sending"),
    # The worker finds that the recipient lost the address after acceptance.
    ("sending", "suppressed"),
    # A receipt can arrive before the worker records its own `sent`.
    ("sending", "delivered"),
    ("retrying", "sending"),
    ("retrying", "dead"),
    ("retrying", "failed"),
    ("sent", "delivered"),
    # A bounce after the provider accepted the message.
    ("sent", "failed"),
    # Only a dead-letter replay leaves a terminal state.
    ("dead", "queued"),
]

FORBIDDEN_MOVES = [
    ("delivered", "sent"),
    ("delivered", "sending"),
    ("delivered", "queued"),
    ("delivered", "failed"),
    ("delivered", "retrying"),
    ("failed", "delivered"),
    ("failed", "queued"),
    ("failed", "sending"),
    ("suppressed", "queued"),
    ("suppressed", "sending"),
    ("suppressed", "sent"),
    ("dead", "sending"),
    ("dead", "delivered"),
    ("sent", "sending"),
    ("sent", "retrying"),
    ("sent", "queued"),
    ("sent", "sent"),
    ("queued", "retrying"),
    ("retrying", "queued"),
]


@pytest.mark.parametrize(("current", "target"), ALLOWED_MOVES)
def test_transition_allowed(current, target):
    assert can_transition(current, target) is True


@pytest.mark.parametrize(("current", "target"), FORBIDDEN_MOVES)
def test_transition_forbidden(current, target):
    assert can_transition(current, target) is False


@pytest.mark.parametrize("target", [status.value for status in DeliveryStatus])
def test_delivered_never_moves(target):
    assert can_transition("delivered", target) is False


@pytest.mark.parametrize("terminal", ["failed", "suppressed"])
@pytest.mark.parametrize("target", [status.value for status in DeliveryStatus])
def test_final_states_never_move(terminal, target):
    assert can_transition(terminal, target) is False


@pytest.mark.parametrize("target", [status.value for status in DeliveryStatus if status != DeliveryStatus.QUEUED])
def test_dead_moves_only_to_queued(target):
    assert can_transition("dead", target) is False


def test_transition_unknown_status_raises():
    with pytest.raises(ValueError):
        can_transition("bounced", "sent")


NOTIFICATION_CASES = [
    (["queued", "queued"], NotificationStatus.QUEUED),
    (["queued", "suppressed"], NotificationStatus.QUEUED),
    (["suppressed", "suppressed"], NotificationStatus.COMPLETED),
    (["sending", "queued"], NotificationStatus.PROCESSING),
    (["retrying", "suppressed"], NotificationStatus.PROCESSING),
    (["sent", "queued"], NotificationStatus.PROCESSING),
    (["delivered", "queued"], NotificationStatus.PROCESSING),
    (["failed", "queued"], NotificationStatus.PROCESSING),
    (["sent", "sent"], NotificationStatus.COMPLETED),
    (["delivered", "sent"], NotificationStatus.COMPLETED),
    (["delivered", "suppressed"], NotificationStatus.COMPLETED),
    (["delivered", "failed"], NotificationStatus.PARTIALLY_FAILED),
    (["sent", "dead"], NotificationStatus.PARTIALLY_FAILED),
    # Suppressed counts as settled, not as failed.
    (["suppressed", "failed"], NotificationStatus.PARTIALLY_FAILED),
    (["failed", "dead"], NotificationStatus.FAILED),
    (["failed"], NotificationStatus.FAILED),
    (["dead", "dead", "dead"], NotificationStatus.FAILED),
]


@pytest.mark.parametrize(("statuses", "expected"), NOTIFICATION_CASES)
def test_notification_status_derivation(statuses, expected):
    assert notification_status(statuses) == expected


def test_notification_status_values():
    assert [status.value for status in NotificationStatus] == [
        "queued", "processing", "completed", "partially_failed", "failed"]
