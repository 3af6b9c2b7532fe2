"""GET /status/<notification_id>: overall and per-delivery status, scoped to the tenant."""

import uuid

import pytest

from apps.notifications.models import Delivery

pytestmark = pytest.mark.django_db

DELIVERY_FIELDS = {"delivery_id", "channel", "recipient_id", "status", "reason", "provider", "provider_message_id",
                   "attempts", "sent_at", "delivered_at", "updated_at"}


@pytest.fixture
def notification_id(owner):
    owner.put_recipient("ada", email="ada@example.test", phone="+886912345678")
    response = owner.notify(channels=["email", "sms"], recipient_ids=["ada"], subject="Sign-in code",
                            message="Your code is 314159.")
    assert response.status_code == 202, response.content
    return response.json()["notification_id"]


def test_status_own_notification(owner, notification_id):
    response = owner.client.get(f"/status/{notification_id}")

    assert response.status_code == 200
    assert response.json()["notification_id"] == notification_id
    assert response.json()["status"] == "queued"
    assert response.json()["priority"] == "normal"


def test_status_counts_per_channel(owner, notification_id):
    response = owner.client.get(f"/status/{notification_id}")

    assert response.json()["channels"] == {"email": {"queued": 1}, "sms": {"queued": 1}}


def test_status_lists_each_delivery(owner, notification_id):
    deliveries = owner.client.get(f"/status/{notification_id}").json()["deliveries"]

    assert [(item["channel"], item["recipient_id"], item["status"]) for item in deliveries] == [
        ("email", "ada", "queued"), ("sms", "ada", "queued")]
    assert set(deliveries[0]) == DELIVERY_FIELDS
    assert deliveries[0]["attempts"] == 0


def test_status_follows_deliveries(owner, notification_id):
    Delivery.objects.filter(notification_id=notification_id, channel="email").update(status="delivered")
    Delivery.objects.filter(notification_id=notification_id, channel="sms").update(
        status="failed", status_reason="invalid number")

    body = owner.client.get(f"/status/{notification_id}").json()

    assert body["status"] == "partially_failed"
    assert body["channels"] == {"email": {"delivered": 1}, "sms": {"failed": 1}}
    assert body["deliveries"][1]["reason"] == "invalid number"


def test_status_other_tenant_hidden(outsider, notification_id):
    response = outsider.client.get(f"/status/{notification_id}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_status_unknown_id(owner):
    response = owner.client.get(f"/status/{uuid.uuid4()}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "12345", "0" * 33])
def test_status_non_uuid_id(owner, bad_id):
    response = owner.client.get(f"/status/{bad_id}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_status_accepts_upper_case_id(owner):
    notification = owner.notify(channels=["sms"], recipient_ids=["nobody"], message="hi").json()

    response = owner.client.get(f"/status/{notification['notification_id'].upper()}")

    assert response.status_code == 200
    assert response.json()["notification_id"] == notification["notification_id"]
    assert response.json()["created_at"].endswith("Z")


@pytest.mark.django_db
def test_status_invalid_id_is_404(owner):
    response = owner.client.get("/status/not-a-uuid")

    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "Notification not-a-uuid not found."}
