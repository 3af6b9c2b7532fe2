"""What POST /notify stores: one delivery per (channel, recipient), suppressed when unsendable."""

import pytest

from apps.notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(owner):
    owner.put_recipient("ada", email="ada@example.test")
    response = owner.notify(channels=["email", "sms"], recipient_ids=["ada", "ghost"], subject="Sign-in code",
                            message="Your code is 314159.", metadata={"order": 42})
    return response


def test_accept_returns_202_queued(accepted):
    assert accepted.status_code == 202
    assert accepted.json()["status"] == "queued"
    assert accepted.json()["priority"] == "normal"


def test_accept_suppresses_unsendable(accepted):
    deliveries = accepted.json()["deliveries"]

    assert [(item["channel"], item["recipient_id"], item["status"], item["reason"]) for item in deliveries] == [
        ("email", "ada", "queued", ""),
        ("email", "ghost", "suppressed", "recipient_not_found"),
        ("sms", "ada", "suppressed", "no_address_for_channel"),
        ("sms", "ghost", "suppressed", "recipient_not_found"),
    ]


def test_accept_stores_one_notification(owner, accepted):
    notification = Notification.objects.get()

    assert str(notification.id) == accepted.json()["notification_id"]
    assert notification.tenant == owner.tenant
    assert notification.channels == ["email", "sms"]
    assert notification.recipient_ids == ["ada", "ghost"]
    assert notification.subject == "Sign-in code"
    assert notification.metadata == {"order": 42}


def test_accept_stores_four_deliveries(accepted):
    assert Delivery.objects.count() == 4
    assert Delivery.objects.filter(status="queued").count() == 1


def test_accept_high_priority(owner):
    owner.put_recipient("ada", phone="+886912345678")

    response = owner.notify(channels=["sms"], recipient_ids=["ada"], message="Your code is 314159.", priority="high")

    assert response.json()["priority"] == "high"
    assert Notification.objects.get().priority == "high"


def test_accept_push_without_tokens(owner):
    owner.put_recipient("ada", email="ada@example.test")

    response = owner.notify(channels=["push"], recipient_ids=["ada"], message="Your code is 314159.")

    delivery = response.json()["deliveries"][0]
    assert delivery["status"] == "suppressed"
    assert delivery["reason"] == "no_address_for_channel"


def test_accept_ignores_other_tenant_recipient(owner, outsider):
    owner.put_recipient("ada", phone="+886912345678")

    response = outsider.notify(channels=["sms"], recipient_ids=["ada"], message="Your code is 314159.")

    delivery = response.json()["deliveries"][0]
    assert delivery["status"] == "suppressed"
    assert delivery["reason"] == "recipient_not_found"


def test_accept_deliveries_belong_to_tenant(owner, accepted):
    assert Delivery.objects.exclude(tenant=owner.tenant).count() == 0
