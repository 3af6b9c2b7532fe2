"""Lost work is recovered: a worker killed mid-send, a broker restarted."""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis

from apps.notifications.sweeper import sweep_stalled
from tests.e2e.conftest import wait_for
from tests.e2e.helpers import attempts_of, status_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_killed_worker_send_is_recovered(start_worker, sandbox_api, owner, settings):
    owner.put_recipient("alice", phone="+886912345678")
    # The send hangs in the sandbox long enough to kill the worker process mid-task.
    # The worker's provider timeout (2 s) is longer than the hang, so the send is not cut short first.
    sandbox_api.control(mode="slow", delay=1.5, times=1)
    worker = start_worker(queues="sms.high,sms.normal,sms.low", concurrency=1)

    notification_id = owner.notify(channels=["sms"], recipient_ids=["alice"], message="Code 1").json()["notification_id"]
    wait_for(lambda: status_of(notification_id, "sms") == "sending", message="send started")
    for pid in worker.child_pids():
        os.kill(pid, signal.SIGKILL)

    # The lease of the lost attempt (5 s for the test worker) runs out, then the sweeper publishes it again.
    # The message requeued after the worker's loss is skipped while the lease is valid. On a slow machine
    # it may arrive after the lease ran out and take over first, and then the sweeper has nothing to do.
    time.sleep(5.5)
    settings.NOTIFIER = {**settings.NOTIFIER, "SWEEP_GRACE_SECONDS": 0}
    sweep_stalled()

    wait_for(lambda: status_of(notification_id, "sms") == "sent", message="recovered sms sent")
    attempts = attempts_of(notification_id, "sms")
    assert [attempt.outcome for attempt in attempts] == ["transient_error", "sent"]
    assert "worker lost" in attempts[0].error
    # The killed send reached the sandbox too; the retry reused its idempotency key.
    wait_for(lambda: sandbox_api.requests_count()["replayed"] == 1, message="sandbox saw the duplicate")
    assert len(sandbox_api.messages("sms")) == 1


@pytest.fixture
def private_broker(tmp_path):
    """A redis-server of the test's own on a free port, so restarting it touches no shared service."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    broker = PrivateRedis(port, tmp_path)
    broker.start()
    yield broker
    broker.stop()


class PrivateRedis:
    def __init__(self, port: int, directory):
        self.port = port
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: self._ping(), timeout=10, message="private redis up")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _ping(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.RedisError:
            return False


@pytest.fixture
def publish_to_private_broker(private_broker):
    """Point this process's Celery app at the private broker, and back afterwards."""
    from config.celery import app

    original_url = app.conf.broker_write_url
    _use_broker(app, private_broker.url)
    yield
    app.pool.force_close_all()
    _use_broker(app, original_url)


def _use_broker(app, url):
    # The app caches its connection pool and the producer pool built on it.
    app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = url
    app._pool = None
    app.amqp._producer_pool = None


def test_broker_restart_loses_nothing(start_worker, sandbox_api, owner, private_broker, publish_to_private_broker,
                                      settings):
    owner.put_recipient("alice", phone="+886912345678")
    start_worker(queues="sms.high,sms.normal,sms.low", concurrency=1, CELERY_BROKER_URL=private_broker.url)

    first = owner.notify(channels=["sms"], recipient_ids=["alice"], message="before restart").json()
    wait_for(lambda: status_of(first["notification_id"], "sms") == "sent", message="first sms sent")

    # With the broker down the API still accepts: the rows commit and the publish fails.
    private_broker.stop()
    second = owner.notify(channels=["sms"], recipient_ids=["alice"], message="while down")
    assert second.status_code == 202
    second_id = second.json()["notification_id"]
    assert status_of(second_id, "sms") == "queued"

    private_broker.start()
    settings.NOTIFIER = {**settings.NOTIFIER, "SWEEP_GRACE_SECONDS": 0}
    wait_for(lambda: sweep_stalled()["published"] == 1, timeout=20, message="sweeper published")

    wait_for(lambda: status_of(second_id, "sms") == "sent", timeout=60, message="second sms sent")
    bodies = [message["body"] for message in sandbox_api.messages("sms")]
    assert bodies == ["before restart", "while down"]
