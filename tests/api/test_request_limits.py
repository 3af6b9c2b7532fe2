"""Bodies that JSON or PostgreSQL cannot hold, and Django's own 400s, in the one error shape."""

import json

import pytest

from apps.notifications.models import Delivery, Notification
from apps.webhooks.models import WebhookEvent

VALID = {"channels": ["sms"], "recipient_ids": ["ada"], "message": "hello"}


def post_raw(persona, path, raw: str):
    return persona.client.generic("POST", path, raw.encode("utf-8", "surrogatepass"),
                                  content_type="application/json")


def assert_nothing_stored():
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("raw, reason", [
    ('{"channels":["sms"],"recipient_ids":["ada"],"message":"hi","metadata":{"k":"a\\u0000b"}}', "NUL"),
    ('{"channels":["sms"],"recipient_ids":["ada"],"message":"hi","metadata":{"k\\u0000":1}}', "NUL"),
    ('{"channels":["sms"],"recipient_ids":["ada"],"message":"hi","metadata":{"k":"a\\ud800b"}}', "surrogates"),
    ('{"channels":["sms"],"recipient_ids":["ada"],"message":"hi","metadata":{"k":1e999}}', "out of range"),
    ('{"channels":["sms"],"recipient_ids":["ada"],"message":"hi","metadata":{"k":NaN}}', "NaN"),
    ('{"channels":["sms"],"recipient_ids":["ada"],"message":"hi","metadata":{"k":99999999999999999999}}', "64-bit"),
    ('{"channels":["sms"],"channels":["email"],"recipient_ids":["ada"],"message":"hi"}', "duplicate key"),
])
def test_unstorable_json_is_400(owner, raw, reason):
    response = post_raw(owner, "/notify", raw)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
    assert reason in response.json()["error"]["message"]
    assert_nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [40, 5000])
def test_deep_nesting_is_400(owner, depth):
    metadata = "[" * depth + "]" * depth
    raw = '{"channels":["sms"],"recipient_ids":["ada"],"message":"hi","metadata":{"k":' + metadata + "}}"

    response = post_raw(owner, "/notify", raw)

    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["error"]["message"]
    assert_nothing_stored()


@pytest.mark.django_db
def test_oversized_body_is_413(owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    raw = json.dumps({**VALID, "message": "x" * 2000})

    response = post_raw(owner, "/notify", raw)

    assert response.status_code == 413
    assert response.json()["error"] == {"code": "payload_too_large",
                                         "message": "The request body exceeds 1000 bytes."}
    assert_nothing_stored()


@pytest.mark.django_db
def test_oversized_webhook_is_413(anonymous, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"event_id": "e", "status": "sent", "provider_message_id": "x" * 2000})

    response = anonymous.generic("POST", "/webhook/callback", body, content_type="application/json",
                                 HTTP_X_NOTIFIER_TIMESTAMP="1", HTTP_X_NOTIFIER_SIGNATURE="sha256=00")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert WebhookEvent.objects.count() == 0


def test_unknown_host_is_json_400(client):
    response = client.get("/healthz", HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert "Host header" in response.json()["error"]["message"]
