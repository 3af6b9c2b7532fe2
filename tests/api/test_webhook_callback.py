"""POST /webhook/callback: signed generic receipts, applied once and never backwards."""

import hashlib
import hmac
import json
import time

import pytest
from django.conf import settings
from django.test import Client

from apps.notifications.models import Delivery
from apps.webhooks.models import WebhookEvent
from tests.api.conftest import create_notification

pytestmark = pytest.mark.django_db

PROVIDER_MESSAGE_ID = "sbx_3f9a1c"


def signature_for(secret: str, timestamp: str, raw_body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + raw_body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post_receipt(body, *, secret: str | None = None, timestamp: int | None = None, signed_body: bytes | None = None,
                 headers: dict | None = None):
    """POST `body` as JSON, signed with the webhook secret.

    `secret`, `timestamp` and `signed_body` change what is signed, and `headers` replaces the signature headers.
    """
    raw_body = body if isinstance(body, bytes) else json.dumps(body).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    secret = settings.NOTIFIER["WEBHOOK_SECRET"] if secret is None else secret
    if headers is None:
        headers = {
            "X-Notifier-Timestamp": stamp,
            "X-Notifier-Signature": signature_for(secret, stamp, raw_body if signed_body is None else signed_body),
        }
    return Client().post("/webhook/callback", data=raw_body, content_type="application/json", headers=headers)


@pytest.fixture
def sent_delivery(owner) -> Delivery:
    notification = create_notification(owner.tenant, [("sms", "ada", "sent")])
    delivery = notification.deliveries.get()
    delivery.provider = "sandbox"
    delivery.provider_message_id = PROVIDER_MESSAGE_ID
    delivery.save()
    return delivery


def receipt(event_id: str = "evt_1", status: str = "delivered", **fields) -> dict:
    return {"event_id": event_id, "status": status, "provider": "sandbox",
            "provider_message_id": PROVIDER_MESSAGE_ID, **fields}


def status_of(delivery: Delivery) -> str:
    return Delivery.objects.get(pk=delivery.pk).status


@pytest.mark.parametrize("headers", [
    {},
    {"X-Notifier-Timestamp": "1700000000"},
    {"X-Notifier-Signature": "sha256=00"},
], ids=["no-headers", "no-signature", "no-timestamp"])
def test_callback_missing_signature(sent_delivery, headers):
    response = post_receipt(receipt(), headers=headers)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"
    assert WebhookEvent.objects.count() == 0
    assert status_of(sent_delivery) == "sent"


def test_callback_non_ascii_timestamp(sent_delivery):
    # "²" passes str.isdigit() but int() rejects it. The request must still get 401, not 500.
    headers = {"X-Notifier-Timestamp": "170000000\u00b2", "X-Notifier-Signature": "sha256=00"}

    response = post_receipt(receipt(), headers=headers)

    assert response.status_code == 401
    assert WebhookEvent.objects.count() == 0
    assert status_of(sent_delivery) == "sent"


def test_callback_wrong_secret(sent_delivery):
    response = post_receipt(receipt(), secret="not-the-webhook-secret")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"
    assert WebhookEvent.objects.count() == 0
    assert status_of(sent_delivery) == "sent"


def test_callback_tampered_body(sent_delivery):
    signed = json.dumps(receipt(status="sent")).encode()

    response = post_receipt(receipt(status="delivered"), signed_body=signed)

    assert response.status_code == 401
    assert WebhookEvent.objects.count() == 0
    assert status_of(sent_delivery) == "sent"


def test_callback_stale_timestamp(sent_delivery):
    tolerance = settings.NOTIFIER["WEBHOOK_TOLERANCE_SECONDS"]

    response = post_receipt(receipt(), timestamp=int(time.time()) - tolerance - 60)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"
    assert WebhookEvent.objects.count() == 0
    assert status_of(sent_delivery) == "sent"


def test_callback_marks_delivered(sent_delivery):
    response = post_receipt(receipt())

    assert response.status_code == 200
    assert response.json() == {"result": "applied", "delivery_id": str(sent_delivery.id),
                               "delivery_status": "delivered"}
    assert status_of(sent_delivery) == "delivered"
    assert Delivery.objects.get(pk=sent_delivery.pk).delivered_at is not None


def test_callback_stores_raw_event(sent_delivery):
    post_receipt(receipt())

    event = WebhookEvent.objects.get()
    assert event.provider == "sandbox"
    assert event.event_id == "evt_1"
    assert event.delivery_id == sent_delivery.id
    assert event.result == "applied"
    assert event.payload == receipt()


def test_callback_duplicate_changes_nothing(sent_delivery):
    post_receipt(receipt())
    delivered_at = Delivery.objects.get(pk=sent_delivery.pk).delivered_at

    # The same event id with another status is still the same event.
    response = post_receipt(receipt(status="failed", reason="bounced"))

    assert response.status_code == 200
    assert response.json()["result"] == "duplicate"
    assert WebhookEvent.objects.count() == 1
    assert status_of(sent_delivery) == "delivered"
    assert Delivery.objects.get(pk=sent_delivery.pk).delivered_at == delivered_at


def test_callback_event_ids_per_provider(sent_delivery):
    post_receipt(receipt(status="sent", provider="sandbox"))

    response = post_receipt(receipt(provider="generic"))

    assert response.json()["result"] == "applied"
    assert WebhookEvent.objects.count() == 2


def test_callback_late_sent_is_stale(sent_delivery):
    post_receipt(receipt(event_id="evt_delivered"))

    response = post_receipt(receipt(event_id="evt_sent", status="sent"))

    assert response.status_code == 200
    assert response.json() == {"result": "stale", "delivery_id": str(sent_delivery.id),
                               "delivery_status": "delivered"}
    assert status_of(sent_delivery) == "delivered"
    assert WebhookEvent.objects.get(event_id="evt_sent").result == "stale"


def test_callback_failed_keeps_reason(sent_delivery):
    response = post_receipt(receipt(status="failed", reason="mailbox full"))

    assert response.json()["result"] == "applied"
    assert status_of(sent_delivery) == "failed"
    assert Delivery.objects.get(pk=sent_delivery.pk).status_reason == "mailbox full"


def test_callback_lookup_by_target(sent_delivery):
    body = {"event_id": "evt_target", "status": "delivered", "notification_id": str(sent_delivery.notification_id),
            "channel": "sms", "recipient_id": "ada"}

    response = post_receipt(body)

    assert response.json() == {"result": "applied", "delivery_id": str(sent_delivery.id),
                               "delivery_status": "delivered"}
    assert status_of(sent_delivery) == "delivered"


def test_callback_unknown_message_id(sent_delivery):
    response = post_receipt(receipt(provider_message_id="sbx_unknown"))

    assert response.status_code == 200
    assert response.json() == {"result": "unmatched", "delivery_id": None, "delivery_status": None}
    assert WebhookEvent.objects.get().result == "unmatched"
    assert status_of(sent_delivery) == "sent"


INVALID_RECEIPTS = [
    pytest.param(receipt(status="bounced"), {"status": ['"bounced" is not a valid choice.']}, id="unknown-status"),
    pytest.param({"event_id": "evt_1", "status": "delivered"},
                 {"non_field_errors": ["Give provider_message_id, or notification_id with channel and recipient_id."]},
                 id="no-lookup"),
    pytest.param({**receipt(), "event_id": 17}, {"event_id": ["Must be a string."]}, id="number-as-event-id"),
    pytest.param({**receipt(), "extra": 1}, {"extra": ["Unknown field."]}, id="unknown-field"),
    pytest.param({"event_id": "evt_1", "status": "delivered", "notification_id": "not-a-uuid", "channel": "sms",
                  "recipient_id": "ada"},
                 {"notification_id": ["Must be a valid UUID."]}, id="bad-notification-id"),
]


@pytest.mark.parametrize(("body", "expected_fields"), INVALID_RECEIPTS)
def test_callback_signed_invalid_body(sent_delivery, body, expected_fields):
    response = post_receipt(body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["fields"] == expected_fields
    assert WebhookEvent.objects.count() == 0
    assert status_of(sent_delivery) == "sent"


def test_callback_signed_malformed_json(sent_delivery):
    response = post_receipt(b'{"event_id": ')

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
    assert WebhookEvent.objects.count() == 0


def test_callback_other_provider_unmatched(sent_delivery):
    response = post_receipt(receipt(provider="twilio"))

    assert response.status_code == 200
    assert response.json()["result"] == "unmatched"
    assert status_of(sent_delivery) == "sent"


def test_callback_both_lookups_rejected(sent_delivery):
    body = receipt(notification_id=str(sent_delivery.notification_id), channel="sms", recipient_id="ada")

    response = post_receipt(body)

    assert response.status_code == 400
    assert "not both" in response.json()["error"]["fields"]["non_field_errors"][0]
    assert WebhookEvent.objects.count() == 0


def test_callback_unknown_channel_rejected(sent_delivery):
    body = {"event_id": "evt_fax", "status": "delivered", "notification_id": str(sent_delivery.notification_id),
            "channel": "fax", "recipient_id": "ada"}

    response = post_receipt(body)

    assert response.status_code == 400
    assert "channel" in response.json()["error"]["fields"]
    assert WebhookEvent.objects.count() == 0


def test_callback_uses_occurred_at(sent_delivery):
    post_receipt(receipt(occurred_at="2026-01-02T03:04:05Z"))

    delivered_at = Delivery.objects.get(pk=sent_delivery.pk).delivered_at
    assert delivered_at.isoformat() == "2026-01-02T03:04:05+00:00"


def test_callback_future_occurred_at_rejected(sent_delivery):
    response = post_receipt(receipt(occurred_at="9999-12-31T23:59:59Z"))

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["occurred_at"]
    assert status_of(sent_delivery) == "sent"
