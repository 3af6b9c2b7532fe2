"""Two worker processes and duplicate messages still send each delivery once."""

import pytest

from apps.notifications.dispatch import publish_delivery
from apps.notifications.models import Delivery
from tests.e2e.conftest import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RECIPIENTS = 40


def test_two_workers_send_each_once(start_worker, sandbox_api, owner):
    recipient_ids = [f"user-{index}" for index in range(RECIPIENTS)]
    for recipient_id in recipient_ids:
        owner.put_recipient(recipient_id, phone="+886912345678")
    start_worker(queues="sms.high,sms.normal,sms.low", concurrency=2)
    start_worker(queues="sms.high,sms.normal,sms.low", concurrency=2)

    response = owner.notify(channels=["sms"], recipient_ids=recipient_ids, message="once each")
    notification_id = response.json()["notification_id"]
    # A second message for every delivery, as a redelivery or a sweep would publish.
    for delivery in Delivery.objects.filter(notification_id=notification_id):
        publish_delivery(str(delivery.id), "sms", "normal", retries=0)

    wait_for(lambda: Delivery.objects.filter(notification_id=notification_id, status="sent").count() == RECIPIENTS,
             timeout=60, message="every delivery sent")
    messages = sandbox_api.messages("sms")
    references = [message["reference"] for message in messages]
    assert len(messages) == RECIPIENTS
    assert len(set(references)) == RECIPIENTS
    assert sandbox_api.requests_count()["replayed"] == 0
    attempts = Delivery.objects.filter(notification_id=notification_id).values_list("attempt_count", flat=True)
    assert set(attempts) == {1}
