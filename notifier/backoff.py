"""The retry schedule for transient provider failures.

Retry n (counting from 0) waits BASE_SECONDS * 2**n seconds: 1, 2, 4, 8 and
16 s, then the delivery is dead. Jitter is off, so the waits are exact; the
Celery task options in `task_retry_options` give Celery the same numbers.
"""

MAX_RETRIES = 5
BASE_SECONDS = 1
MAX_SECONDS = 16


def retry_delay(retries_done: int) -> int:
    """Return the seconds to wait before the retry that follows `retries_done` retries."""
    if retries_done < 0:
        raise ValueError(f"retries_done must be >= 0, got {retries_done}")
    return min(MAX_SECONDS, BASE_SECONDS * 2**retries_done)


def schedule() -> list[int]:
    """Return every wait of a delivery that fails each attempt, in order."""
    return [retry_delay(retry) for retry in range(MAX_RETRIES)]


def task_retry_options() -> dict:
    """Return the Celery task options that make autoretry follow this schedule."""
    return {
        "retry_backoff": BASE_SECONDS,
        "retry_backoff_max": MAX_SECONDS,
        # Celery's default full jitter would draw each wait from [0, 2**n].
        "retry_jitter": False,
        "max_retries": MAX_RETRIES,
    }
