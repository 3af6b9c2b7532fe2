"""A channel worker serves its high queue before normal and low.

The notifications are queued while no worker runs, then one worker with a
single process starts. The sandbox receives the messages in the order the
worker took them.
"""

import pytest

from tests.e2e.conftest import wait_for
from tests.e2e.helpers import status_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_high_priority_served_first(start_worker, sandbox_api, owner):
    owner.put_recipient("alice", phone="+886912345678")
    sent = []
    for index in range(4):
        sent.append(_notify(owner, "low", f"low {index}"))
    for index in range(2):
        sent.append(_notify(owner, "normal", f"normal {index}"))
    sent.append(_notify(owner, "high", "high 0"))

    start_worker(queues="sms.high,sms.normal,sms.low", concurrency=1)

    wait_for(lambda: all(status_of(notification_id, "sms") == "sent" for notification_id in sent),
             message="all sms sent")
    bodies = [message["body"] for message in sandbox_api.messages("sms")]
    assert bodies == ["high 0", "normal 0", "normal 1", "low 0", "low 1", "low 2", "low 3"]


def _notify(persona, priority, message):
    response = persona.notify(channels=["sms"], recipient_ids=["alice"], priority=priority, message=message)
    assert response.status_code == 202, response.content
    return response.json()["notification_id"]
