"""GET /metrics: the tenant's delivery counts in a time window, by channel."""

from datetime import datetime, timedelta

import pytest

from tests.api.conftest import create_notification

pytestmark = pytest.mark.django_db

ZERO_COUNTS = {"accepted": 0, "queued": 0, "sending": 0, "retrying": 0, "sent": 0, "delivered": 0, "failed": 0,
               "dead": 0, "suppressed": 0}


def counts(**nonzero) -> dict:
    return {**ZERO_COUNTS, **nonzero}


def window_length(body: dict) -> timedelta:
    return datetime.fromisoformat(body["until"]) - datetime.fromisoformat(body["since"])


def test_metrics_default_window(owner):
    response = owner.client.get("/metrics")

    assert response.status_code == 200
    assert response.json()["window"] == "1h"
    assert window_length(response.json()) == timedelta(hours=1)


def test_metrics_empty_tenant(owner):
    body = owner.client.get("/metrics").json()

    assert body["notifications"] == 0
    assert body["totals"] == ZERO_COUNTS
    assert body["by_channel"] == {}


def test_metrics_counts_per_channel(owner):
    create_notification(owner.tenant, [("email", "r1", "sent"), ("email", "r2", "delivered"),
                                       ("sms", "r1", "queued")])
    create_notification(owner.tenant, [("email", "r1", "failed"), ("sms", "r1", "dead"),
                                       ("sms", "r2", "suppressed"), ("push", "r1", "retrying")])

    body = owner.client.get("/metrics").json()

    assert body["notifications"] == 2
    assert body["by_channel"] == {
        "email": counts(accepted=3, sent=1, delivered=1, failed=1),
        "push": counts(accepted=1, retrying=1),
        "sms": counts(accepted=3, queued=1, dead=1, suppressed=1),
    }
    assert body["totals"] == counts(accepted=7, queued=1, retrying=1, sent=1, delivered=1, failed=1, dead=1,
                                    suppressed=1)


def test_metrics_window_15m(owner):
    create_notification(owner.tenant, [("sms", "r1", "sent")], age=timedelta(minutes=5))
    create_notification(owner.tenant, [("sms", "r1", "delivered")], age=timedelta(minutes=20))

    body = owner.client.get("/metrics", {"window": "15m"}).json()

    assert body["window"] == "15m"
    assert window_length(body) == timedelta(minutes=15)
    assert body["notifications"] == 1
    assert body["by_channel"] == {"sms": counts(accepted=1, sent=1)}


def test_metrics_window_7d(owner):
    create_notification(owner.tenant, [("sms", "r1", "sent")], age=timedelta(days=2))
    create_notification(owner.tenant, [("sms", "r1", "delivered")], age=timedelta(days=8))

    body = owner.client.get("/metrics", {"window": "7d"}).json()

    assert body["window"] == "7d"
    assert window_length(body) == timedelta(days=7)
    assert body["notifications"] == 1
    assert body["by_channel"] == {"sms": counts(accepted=1, sent=1)}


def test_metrics_default_excludes_older(owner):
    create_notification(owner.tenant, [("email", "r1", "sent")], age=timedelta(hours=2))

    body = owner.client.get("/metrics").json()

    assert body["notifications"] == 0
    assert body["by_channel"] == {}


@pytest.mark.parametrize("window", ["90d", "2160h", "1m"])
def test_metrics_window_limits_accepted(owner, window):
    response = owner.client.get("/metrics", {"window": window})

    assert response.status_code == 200


@pytest.mark.parametrize("window", ["0m", "1y", "abc", "100d", "91d", "2161h", "", "-1h", "1.5h", "1 h"])
def test_metrics_invalid_window(owner, window):
    response = owner.client.get("/metrics", {"window": window})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_window"


def test_metrics_ignore_other_tenant(owner, outsider):
    create_notification(outsider.tenant, [("email", "r1", "delivered"), ("sms", "r1", "failed")])
    create_notification(owner.tenant, [("sms", "r1", "sent")])

    body = owner.client.get("/metrics").json()

    assert body["notifications"] == 1
    assert body["by_channel"] == {"sms": counts(accepted=1, sent=1)}
    assert body["totals"] == counts(accepted=1, sent=1)


def test_metrics_count_api_accepted(owner):
    owner.put_recipient("ada", email="ada@example.test")
    owner.notify(channels=["email", "sms"], recipient_ids=["ada"], subject="Sign-in code", message="Hello")

    body = owner.client.get("/metrics").json()

    assert body["by_channel"] == {"email": counts(accepted=1, queued=1), "sms": counts(accepted=1, suppressed=1)}


@pytest.mark.django_db
@pytest.mark.parametrize("window, status", [("129600m", 200), ("2160h", 200), ("90d", 200), ("91d", 400),
                                            ("1h\n", 400), ("1000000m", 400)])
def test_metrics_window_bounds(owner, window, status):
    response = owner.client.get("/metrics", {"window": window})

    assert response.status_code == status
