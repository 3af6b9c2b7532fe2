"""The whole path from POST /notify to a provider, through a real Celery worker."""

import json
import time

import pytest
from django.test import Client

from apps.deadletters import services as dead_letters
from apps.deadletters.models import DeadLetter
from tests.e2e.conftest import wait_for
from notifier.signing import sign
from tests.e2e.helpers import attempts_of, delivery_of, status_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def send(persona, channels, subject="Order shipped", message="Your order 1042 is on its way."):
    response = persona.notify(channels=channels, recipient_ids=["alice"], subject=subject, message=message)
    assert response.status_code == 202, response.content
    return response.json()["notification_id"]


@pytest.fixture
def alice(owner):
    owner.put_recipient("alice", email="alice@example.com", phone="+886912345678",
                        push_tokens=[{"token": "device-token-1", "platform": "android"}])
    return owner


def test_email_arrives_at_smtp_server(worker, smtp_sink, alice):
    before = len(smtp_sink.messages)

    notification_id = send(alice, ["email"])

    wait_for(lambda: status_of(notification_id, "email") == "sent", message="email sent")
    received = smtp_sink.messages[before:]
    assert len(received) == 1
    assert received[0]["rcpt_tos"] == ["alice@example.com"]
    assert received[0]["subject"] == "Order shipped"
    assert received[0]["body"].strip() == "Your order 1042 is on its way."
    delivery = delivery_of(notification_id, "email")
    assert received[0]["message_id"] == delivery.provider_message_id
    assert delivery.provider == "smtp"
    attempts = attempts_of(notification_id, "email")
    assert [attempt.outcome for attempt in attempts] == ["sent"]


def test_email_status_endpoint_reports_sent(worker, smtp_sink, alice):
    notification_id = send(alice, ["email"])

    wait_for(lambda: status_of(notification_id, "email") == "sent", message="email sent")
    body = alice.client.get(f"/status/{notification_id}").json()
    assert body["status"] == "completed"
    assert body["deliveries"][0]["status"] == "sent"
    assert body["deliveries"][0]["attempts"] == 1
    assert body["channels"] == {"email": {"sent": 1}}


def test_sms_through_sandbox(worker, sandbox_api, alice):
    notification_id = send(alice, ["sms"], message="Code 4711")

    wait_for(lambda: status_of(notification_id, "sms") == "sent", message="sms sent")
    messages = sandbox_api.messages("sms")
    assert len(messages) == 1
    assert messages[0]["to"] == "+886912345678"
    assert messages[0]["body"] == "Code 4711"
    assert messages[0]["id"] == delivery_of(notification_id, "sms").provider_message_id


def test_push_through_sandbox(worker, sandbox_api, alice):
    notification_id = send(alice, ["push"], subject="Sale", message="Half price today")

    wait_for(lambda: status_of(notification_id, "push") == "sent", message="push sent")
    messages = sandbox_api.messages("push")
    assert len(messages) == 1
    assert messages[0]["to"] == [{"token": "device-token-1", "platform": "android"}]
    assert messages[0]["title"] == "Sale"
    assert messages[0]["body"] == "Half price today"


def test_three_failures_then_sent(worker, sandbox_api, alice):
    sandbox_api.control(mode="fail", status=503, times=3)

    notification_id = send(alice, ["sms"])

    wait_for(lambda: status_of(notification_id, "sms") == "sent", timeout=40, message="sms sent after retries")
    attempts = attempts_of(notification_id, "sms")
    assert [attempt.outcome for attempt in attempts] == ["transient_error"] * 3 + ["sent"]
    assert [attempt.status_code for attempt in attempts[:3]] == [503, 503, 503]
    assert all(attempt.provider == "sandbox" for attempt in attempts)
    assert delivery_of(notification_id, "sms").attempt_count == 4
    assert len(sandbox_api.messages("sms")) == 1
    # Backoff waits 1, 2 and 4 s between the attempts; allow for clock granularity only downwards.
    gaps = [(later.started_at - earlier.started_at).total_seconds() for earlier, later in zip(attempts, attempts[1:])]
    for gap, expected in zip(gaps, [1, 2, 4]):
        assert gap >= expected * 0.9, gaps


def test_failing_always_ends_dead_then_replays(worker, sandbox_api, alice):
    sandbox_api.control(mode="fail", status=502)

    notification_id = send(alice, ["sms"])

    wait_for(lambda: status_of(notification_id, "sms") == "dead", timeout=60, message="sms dead")
    attempts = attempts_of(notification_id, "sms")
    assert len(attempts) == 6
    assert all(attempt.outcome == "transient_error" for attempt in attempts)
    dead_letter = DeadLetter.objects.get(delivery__notification_id=notification_id)
    assert dead_letter.attempts == 6
    assert dead_letter.provider == "sandbox"
    assert "502" in dead_letter.error
    assert dead_letter.replay_payload["queue"] == "sms.normal"
    assert sandbox_api.messages("sms") == []
    assert alice.client.get(f"/status/{notification_id}").json()["status"] == "failed"

    sandbox_api.control(mode="ok")
    dead_letters.replay(dead_letter.pk, actor="test")

    wait_for(lambda: status_of(notification_id, "sms") == "sent", message="replayed sms sent")
    assert len(attempts_of(notification_id, "sms")) == 7
    assert len(sandbox_api.messages("sms")) == 1
    dead_letter.refresh_from_db()
    assert dead_letter.resolution == "replayed"


def test_provider_rejection_fails_once(worker, sandbox_api, alice):
    sandbox_api.control(mode="reject", status=422)

    notification_id = send(alice, ["sms"])

    wait_for(lambda: status_of(notification_id, "sms") == "failed", message="sms failed")
    attempts = attempts_of(notification_id, "sms")
    assert [attempt.outcome for attempt in attempts] == ["permanent_error"]
    assert attempts[0].status_code == 422
    assert not DeadLetter.objects.filter(delivery__notification_id=notification_id).exists()
    assert sandbox_api.requests_count()["rejected"] == 1


def test_provider_timeout_is_retried(worker, sandbox_api, alice):
    # The worker's provider timeout is 2 s, and the sandbox delays the first request by 3 s.
    sandbox_api.control(mode="slow", delay=3, times=1)

    notification_id = send(alice, ["sms"])

    wait_for(lambda: status_of(notification_id, "sms") == "sent", timeout=30, message="sms sent after timeout")
    attempts = attempts_of(notification_id, "sms")
    assert [attempt.outcome for attempt in attempts] == ["transient_error", "sent"]
    assert "timed out" in attempts[0].error
    # The slow request still landed; the retry carried the same idempotency key.
    wait_for(lambda: sandbox_api.requests_count()["replayed"] == 1 or len(sandbox_api.messages("sms")) == 1,
             message="sandbox settled")
    assert len(sandbox_api.messages("sms")) == 1


def test_fan_out_to_all_channels(worker, smtp_sink, sandbox_api, alice):
    alice.put_recipient("bob", email="bob@example.com")
    response = alice.notify(channels=["email", "sms", "push"], recipient_ids=["alice", "bob", "carol"],
                            subject="Hello", message="Hi all")
    notification_id = response.json()["notification_id"]

    def settled():
        body = alice.client.get(f"/status/{notification_id}").json()
        return body if body["status"] in ("completed", "partially_failed", "failed") else None

    body = wait_for(settled, message="notification settled")
    assert body["status"] == "completed"
    statuses = {(d["channel"], d["recipient_id"]): (d["status"], d["reason"]) for d in body["deliveries"]}
    assert statuses == {
        ("email", "alice"): ("sent", ""),
        ("email", "bob"): ("sent", ""),
        ("email", "carol"): ("suppressed", "recipient_not_found"),
        ("sms", "alice"): ("sent", ""),
        ("sms", "bob"): ("suppressed", "no_address_for_channel"),
        ("sms", "carol"): ("suppressed", "recipient_not_found"),
        ("push", "alice"): ("sent", ""),
        ("push", "bob"): ("suppressed", "no_address_for_channel"),
        ("push", "carol"): ("suppressed", "recipient_not_found"),
    }


def test_receipt_after_real_send(worker, sandbox_api, alice, settings):
    notification_id = send(alice, ["sms"])
    wait_for(lambda: status_of(notification_id, "sms") == "sent", message="sms sent")
    message_id = delivery_of(notification_id, "sms").provider_message_id
    body = json.dumps({"event_id": "evt-e2e-1", "provider": "sandbox", "provider_message_id": message_id,
                       "status": "delivered"}).encode()
    timestamp = str(int(time.time()))

    response = Client().post("/webhook/callback", data=body, content_type="application/json", headers={
        "X-Notifier-Timestamp": timestamp,
        "X-Notifier-Signature": sign(settings.NOTIFIER["WEBHOOK_SECRET"], timestamp, body),
    })

    assert response.status_code == 200
    assert response.json()["result"] == "applied"
    assert status_of(notification_id, "sms") == "delivered"
    metrics = alice.client.get("/metrics", {"window": "15m"}).json()
    assert metrics["by_channel"]["sms"]["delivered"] == 1
    assert metrics["by_channel"]["sms"]["accepted"] == 1
