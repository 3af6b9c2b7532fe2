"""A real Celery worker process and the local provider sinks, on 127.0.0.1."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings

from notifier.sinks.sandbox import SandboxServer
from notifier.sinks.smtp import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
ALL_QUEUES = ",".join(f"{channel}.{priority}" for channel in ("email", "sms", "push")
                      for priority in ("high", "normal", "low")) + ",maintenance"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def sandbox():
    server = SandboxServer().start()
    yield server
    server.stop()


@pytest.fixture
def sandbox_api(sandbox):
    """The sandbox, emptied and set to accept, as an HTTP client helper."""
    requests.delete(f"{sandbox.url}/v1/messages", timeout=5).raise_for_status()
    yield SandboxClient(sandbox.url)
    requests.delete(f"{sandbox.url}/v1/messages", timeout=5).raise_for_status()


class SandboxClient:
    def __init__(self, url: str):
        self.url = url

    def control(self, **body):
        requests.post(f"{self.url}/v1/control", json=body, timeout=5).raise_for_status()

    def messages(self, channel: str | None = None) -> list[dict]:
        suffix = f"?channel={channel}" if channel else ""
        return requests.get(f"{self.url}/v1/messages{suffix}", timeout=5).json()["messages"]

    def requests_count(self) -> dict:
        return requests.get(f"{self.url}/v1/requests", timeout=5).json()


class WorkerProcess:
    """A `celery worker` child process with its own log file."""

    def __init__(self, queues: str, env: dict, log_path: Path, concurrency: int = 2):
        self.log_path = log_path
        self.log_file = log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queues, "-c", str(concurrency),
             "-n", f"e2e-{os.getpid()}-{time.monotonic_ns()}@%h", "-l", "info",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited with {self.process.returncode}:\n{self.log_path.read_text()}")
            if "ready." in self.log_path.read_text():
                return
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout} s:\n{self.log_path.read_text()}")

    def child_pids(self) -> list[int]:
        output = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in output.split()]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_file.close()


@pytest.fixture(scope="session")
def worker_env(django_db_setup, smtp_sink, sandbox):
    """Environment for worker processes: the test database, the test broker and the sinks."""
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "POSTGRES_DB": settings.DATABASES["default"]["NAME"],
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REDIS_URL": settings.REDIS_URL,
        "NOTIFIER_SMTP_HOST": smtp_sink.host,
        "NOTIFIER_SMTP_PORT": str(smtp_sink.port),
        "NOTIFIER_SANDBOX_URL": sandbox.url,
        "NOTIFIER_PROVIDER_TIMEOUT": "2",
        "NOTIFIER_SEND_LEASE": "5",
        "PYTHONUNBUFFERED": "1",
    })
    return env


@pytest.fixture(scope="module")
def start_worker(worker_env, tmp_path_factory):
    """Start workers on demand; every one started is stopped at the end of the module."""
    started: list[WorkerProcess] = []

    def start(queues: str = ALL_QUEUES, concurrency: int = 2, **extra_env) -> WorkerProcess:
        log_path = tmp_path_factory.mktemp("worker") / "worker.log"
        worker = WorkerProcess(queues, {**worker_env, **extra_env}, log_path, concurrency)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture(scope="module")
def worker(start_worker):
    """One worker consuming every channel queue and the maintenance queue."""
    return start_worker()


def wait_for(condition, timeout: float = 30, interval: float = 0.2, message: str = "condition"):
    """Poll `condition` until it returns a true value; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout} s waiting for {message}")
