"""The worker's records: claims, lease takeover, early receipts and the sweeper.

These call the delivery services in the test process; the provider is the
sandbox on 127.0.0.1, and the sweeper publishes to the test broker.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notifications.delivery import Outcome, attempt_delivery
from apps.notifications.models import Delivery
from apps.notifications.sweeper import sweep_stalled
from apps.webhooks.models import WebhookEvent
from apps.webhooks.services import apply_early_receipts, apply_receipt
from notifier.providers import registry
from notifier.sinks.sandbox import SandboxServer
from tests.api.conftest import create_notification


@pytest.fixture
def sandbox(settings):
    server = SandboxServer().start()
    providers = {channel: [{**entry, "options": {**entry["options"], "base_url": server.url, "timeout": 2}}
                           for entry in entries]
                 for channel, entries in settings.NOTIFIER["PROVIDERS"].items()}
    settings.NOTIFIER = {**settings.NOTIFIER, "PROVIDERS": providers}
    registry._cache.clear()
    yield server
    registry._cache.clear()
    server.stop()


def sms_delivery(persona, status="queued") -> Delivery:
    persona.put_recipient("ada", phone="+886912345678")
    return create_notification(persona.tenant, [("sms", "ada", status)]).deliveries.get()


@pytest.mark.django_db
def test_attempt_sends_and_records(owner, sandbox):
    delivery = sms_delivery(owner)

    result = attempt_delivery(str(delivery.id))

    delivery.refresh_from_db()
    assert result.outcome == Outcome.SENT
    assert delivery.status == "sent"
    assert delivery.attempt_count == 1
    assert delivery.provider_message_id == sandbox.state.messages[0]["id"]
    assert delivery.lease_expires_at is None


@pytest.mark.django_db
def test_sent_delivery_is_not_sent_again(owner, sandbox):
    delivery = sms_delivery(owner)
    attempt_delivery(str(delivery.id))

    result = attempt_delivery(str(delivery.id))

    assert result.outcome == Outcome.SKIPPED
    assert len(sandbox.state.messages) == 1
    assert delivery.attempts.count() == 1


@pytest.mark.django_db
def test_leased_delivery_is_skipped(owner, sandbox):
    delivery = sms_delivery(owner, status="sending")
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=1,
                                                   lease_expires_at=timezone.now() + timedelta(seconds=60))

    result = attempt_delivery(str(delivery.id))

    assert result.outcome == Outcome.SKIPPED
    assert sandbox.state.messages == []
    assert delivery.attempts.count() == 0


@pytest.mark.django_db
def test_expired_lease_is_taken_over(owner, sandbox):
    delivery = sms_delivery(owner, status="sending")
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=1,
                                                   lease_expires_at=timezone.now() - timedelta(seconds=1))

    result = attempt_delivery(str(delivery.id))

    attempts = list(delivery.attempts.order_by("number"))
    assert result.outcome == Outcome.SENT
    assert [attempt.outcome for attempt in attempts] == ["transient_error", "sent"]
    assert "worker lost" in attempts[0].error
    assert Delivery.objects.get(pk=delivery.pk).attempt_count == 2


@pytest.mark.django_db
def test_stale_worker_cannot_overwrite_new_owner(owner):
    delivery = sms_delivery(owner)
    from apps.notifications import delivery as delivery_module

    claimed = delivery_module._claim(str(delivery.id))
    # The first worker's send outlasts its lease, and a second worker takes the delivery over.
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=2, status="sending",
                                                   lease_expires_at=timezone.now() + timedelta(seconds=60))

    delivery_module._record_failure(claimed, "sandbox", timezone.now(), 5, "sandbox answered 503", False, 503)

    current = Delivery.objects.get(pk=delivery.pk)
    assert current.status == "sending"
    assert current.attempt_count == 2
    assert current.status_reason == ""


@pytest.mark.django_db
def test_early_receipt_applied_after_send(owner):
    delivery = sms_delivery(owner, status="sending")
    receipt = apply_receipt("sandbox", "evt-early", "delivered", {"provider_message_id": "sbx_early"},
                            {"event_id": "evt-early"})
    assert receipt.result == "unmatched"
    Delivery.objects.filter(pk=delivery.pk).update(status="sent", provider="sandbox", provider_message_id="sbx_early")

    applied = apply_early_receipts(str(delivery.id), "sbx_early")

    assert applied == 1
    assert Delivery.objects.get(pk=delivery.pk).status == "delivered"
    event = WebhookEvent.objects.get(event_id="evt-early")
    assert event.result == "applied"
    assert event.delivery_id == delivery.id


@pytest.mark.django_db
def test_sweeper_publishes_overdue_only(owner, settings):
    settings.NOTIFIER = {**settings.NOTIFIER, "SWEEP_GRACE_SECONDS": 300}
    now = timezone.now()
    notification = create_notification(owner.tenant, [("sms", "overdue", "queued"), ("sms", "recent", "queued"),
                                                      ("sms", "lost", "sending"), ("sms", "leased", "sending"),
                                                      ("sms", "done", "sent")])
    deliveries = {delivery.recipient_id: delivery for delivery in notification.deliveries.all()}
    long_ago = now - timedelta(seconds=301)
    Delivery.objects.filter(pk=deliveries["overdue"].pk).update(next_attempt_at=long_ago)
    Delivery.objects.filter(pk=deliveries["recent"].pk).update(next_attempt_at=now - timedelta(seconds=10))
    Delivery.objects.filter(pk=deliveries["lost"].pk).update(next_attempt_at=long_ago, attempt_count=1,
                                                             lease_expires_at=now - timedelta(seconds=1))
    Delivery.objects.filter(pk=deliveries["leased"].pk).update(next_attempt_at=long_ago, attempt_count=1,
                                                               lease_expires_at=now + timedelta(seconds=60))
    Delivery.objects.filter(pk=deliveries["done"].pk).update(next_attempt_at=long_ago)

    counts = sweep_stalled(now)

    assert counts["published"] == 2
    assert counts["dead"] == 0
    assert Delivery.objects.get(pk=deliveries["overdue"].pk).next_attempt_at == now
    assert Delivery.objects.get(pk=deliveries["lost"].pk).next_attempt_at == now
    assert sweep_stalled(now)["published"] == 0


@pytest.mark.django_db
def test_sweeper_dead_letters_exhausted(owner):
    notification = create_notification(owner.tenant, [("sms", "ada", "retrying")])
    delivery = notification.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=6,
                                                   next_attempt_at=timezone.now() - timedelta(hours=1))

    counts = sweep_stalled()

    assert counts["dead"] == 1
    assert counts["published"] == 0
    assert Delivery.objects.get(pk=delivery.pk).status == "dead"
    assert delivery.dead_letters.count() == 1


@pytest.mark.django_db
def test_retrying_delivery_not_sent_early(owner, sandbox):
    delivery = sms_delivery(owner, status="retrying")
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=1,
                                                   next_attempt_at=timezone.now() + timedelta(seconds=8))

    result = attempt_delivery(str(delivery.id))

    assert result.outcome == Outcome.SKIPPED
    assert sandbox.state.messages == []
    assert Delivery.objects.get(pk=delivery.pk).status == "retrying"


@pytest.mark.django_db
def test_retrying_delivery_sent_when_due(owner, sandbox):
    delivery = sms_delivery(owner, status="retrying")
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=1,
                                                   next_attempt_at=timezone.now() - timedelta(seconds=1))

    result = attempt_delivery(str(delivery.id))

    assert result.outcome == Outcome.SENT
    assert len(sandbox.state.messages) == 1
