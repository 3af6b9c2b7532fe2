"""The retry schedule and the Celery options that carry it."""

import pytest
from celery.utils.time import get_exponential_backoff_interval

from apps.notifications.tasks import DeliveryTask, TransientDeliveryError, send_delivery
from notifier.backoff import retry_delay, schedule, task_retry_options


def test_schedule_is_exact():
    assert schedule() == [1, 2, 4, 8, 16]


def test_retry_delay_capped_at_16():
    assert retry_delay(7) == 16


def test_retry_delay_negative_raises():
    with pytest.raises(ValueError):
        retry_delay(-1)


def test_retry_options_jitter_off():
    assert task_retry_options()["retry_jitter"] is False


def test_retry_options_max_retries():
    assert task_retry_options()["max_retries"] == 5


def test_retry_options_backoff_bounds():
    options = task_retry_options()

    assert options["retry_backoff"] == 1
    assert options["retry_backoff_max"] == 16


def test_celery_backoff_matches_schedule():
    options = task_retry_options()

    # Celery's autoretry passes the task's retry count as `retries`.
    waits = [
        get_exponential_backoff_interval(
            factor=options["retry_backoff"],
            retries=retries,
            maximum=options["retry_backoff_max"],
            full_jitter=options["retry_jitter"],
        )
        for retries in range(options["max_retries"])
    ]

    assert waits == [1, 2, 4, 8, 16]


def test_send_task_uses_retry_options():
    options = task_retry_options()

    assert send_delivery.max_retries == options["max_retries"]
    assert send_delivery.retry_backoff == options["retry_backoff"]
    assert send_delivery.retry_backoff_max == options["retry_backoff_max"]
    assert send_delivery.retry_jitter is False


def test_send_task_autoretries_transient_only():
    assert DeliveryTask.autoretry_for == (TransientDeliveryError,)
