"""Idempotency-Key on POST /notify."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.notifications.models import Delivery, IdempotencyRecord, Notification

BODY = {"channels": ["sms"], "recipient_ids": ["alice"], "message": "Code 1"}


def post(persona, body, key):
    return persona.client.post("/notify", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db(transaction=True)
def test_repeat_returns_first_response(owner):
    owner.put_recipient("alice", phone="+886912345678")

    first = post(owner, BODY, "order-1042")
    second = post(owner, BODY, "order-1042")

    assert first.status_code == 202
    assert second.status_code == 202
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_same_key_other_body_is_422(owner):
    post(owner, BODY, "order-1042")

    response = post(owner, {**BODY, "message": "Code 2"}, "order-1042")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Notification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_key_is_scoped_per_tenant(owner, outsider):
    post(owner, BODY, "shared-key")

    response = post(outsider, BODY, "shared-key")

    assert response.status_code == 202
    assert "Idempotent-Replayed" not in response
    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_invalid_body_releases_key(owner):
    invalid = post(owner, {**BODY, "channels": []}, "retry-me")
    valid = post(owner, BODY, "retry-me")

    assert invalid.status_code == 400
    assert valid.status_code == 202
    assert "Idempotent-Replayed" not in valid
    assert IdempotencyRecord.objects.get(key="retry-me").state == "completed"


@pytest.mark.django_db(transaction=True)
def test_in_progress_key_is_409(owner):
    # A first request that owns the key and has not finished yet.
    IdempotencyRecord.objects.create(tenant=owner.tenant, key="busy",
                                     request_hash=_hash_of(BODY))

    response = post(owner, BODY, "busy")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_in_progress"
    assert Notification.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_create_one(owner):
    owner.put_recipient("alice", phone="+886912345678")
    barrier = threading.Barrier(4)
    statuses = []

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {owner.raw_key}")
        barrier.wait()
        try:
            statuses.append(client.post("/notify", BODY, format="json", HTTP_IDEMPOTENCY_KEY="race").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(statuses) == 4
    assert statuses.count(202) >= 1
    assert set(statuses) <= {202, 409}
    assert Notification.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "tab\there"])
def test_invalid_key_is_400(owner, key):
    response = post(owner, BODY, key)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"
    assert Notification.objects.count() == 0


def _hash_of(body):
    from apps.notifications.idempotency import request_hash

    return request_hash(body)
