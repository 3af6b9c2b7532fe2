"""The sandbox HTTP adapter against a local SandboxServer on 127.0.0.1."""

import pytest
import requests

from notifier.providers import ProviderError
from notifier.providers.sandbox import SandboxProvider
from notifier.sinks.sandbox import SandboxServer

ADAPTER_TIMEOUT = 0.3


@pytest.fixture
def sandbox():
    # Each test gets its own server, so a slow-mode request still sleeping in
    # a handler thread cannot record its message into the next test's server.
    server = SandboxServer().start()
    yield server
    server.stop()


def control(sandbox, **body):
    requests.post(f"{sandbox.url}/v1/control", json=body, timeout=5).raise_for_status()


def recorded_messages(sandbox) -> list[dict]:
    return requests.get(f"{sandbox.url}/v1/messages", timeout=5).json()["messages"]


def request_counts(sandbox) -> dict:
    return requests.get(f"{sandbox.url}/v1/requests", timeout=5).json()


def provider_for(base_url: str, channel: str = "sms") -> SandboxProvider:
    return SandboxProvider("sandbox", channel, {"base_url": base_url, "timeout": ADAPTER_TIMEOUT})


def test_send_returns_message_id(sandbox, make_message):
    result = provider_for(sandbox.url).send(make_message())

    messages = recorded_messages(sandbox)
    assert len(messages) == 1
    assert result.provider_message_id == messages[0]["id"]
    assert result.status_code == 201


def test_send_posts_address_and_body(sandbox, make_message):
    message = make_message()

    provider_for(sandbox.url).send(message)

    recorded = recorded_messages(sandbox)[0]
    assert recorded["channel"] == "sms"
    assert recorded["to"] == "+886912345678"
    assert recorded["body"] == "Your code is 314159."
    assert recorded["reference"] == message.delivery_id


def test_push_sends_subject_as_title(sandbox, make_message):
    tokens = [{"token": "device-token-1", "platform": "android"}]
    message = make_message(channel="push", address=tokens, subject="Sign-in code")

    provider_for(sandbox.url, channel="push").send(message)

    recorded = recorded_messages(sandbox)[0]
    assert recorded["channel"] == "push"
    assert recorded["to"] == tokens
    assert recorded["title"] == "Sign-in code"


def test_server_error_is_transient(sandbox, make_message):
    control(sandbox, mode="fail", status=503)

    with pytest.raises(ProviderError) as raised:
        provider_for(sandbox.url).send(make_message())

    assert raised.value.permanent is False
    assert raised.value.status_code == 503
    assert recorded_messages(sandbox) == []


def test_bad_request_is_permanent(sandbox, make_message):
    control(sandbox, mode="reject", status=400)

    with pytest.raises(ProviderError) as raised:
        provider_for(sandbox.url).send(make_message())

    assert raised.value.permanent is True
    assert raised.value.status_code == 400
    assert recorded_messages(sandbox) == []


def test_too_many_requests_is_transient(sandbox, make_message):
    control(sandbox, mode="fail", status=429)

    with pytest.raises(ProviderError) as raised:
        provider_for(sandbox.url).send(make_message())

    assert raised.value.permanent is False
    assert raised.value.status_code == 429
    assert recorded_messages(sandbox) == []


def test_slow_provider_times_out(sandbox, make_message):
    control(sandbox, mode="slow", delay=ADAPTER_TIMEOUT + 1.5)

    with pytest.raises(ProviderError) as raised:
        provider_for(sandbox.url).send(make_message())

    assert raised.value.permanent is False
    assert raised.value.status_code is None
    assert "timed out" in str(raised.value)


def test_connection_refused_is_transient(closed_port, make_message):
    with pytest.raises(ProviderError) as raised:
        provider_for(f"http://127.0.0.1:{closed_port}").send(make_message())

    assert raised.value.permanent is False
    assert raised.value.status_code is None


def test_repeated_idempotency_key_records_once(sandbox, make_message):
    message = make_message()
    provider = provider_for(sandbox.url)

    first = provider.send(message)
    second = provider.send(message)

    assert second.provider_message_id == first.provider_message_id
    assert len(recorded_messages(sandbox)) == 1
    assert request_counts(sandbox) == {"accepted": 1, "failed": 0, "rejected": 0, "replayed": 1}


def test_distinct_deliveries_record_twice(sandbox, make_message):
    provider = provider_for(sandbox.url)

    first = provider.send(make_message())
    second = provider.send(make_message())

    assert second.provider_message_id != first.provider_message_id
    assert len(recorded_messages(sandbox)) == 2


@pytest.mark.parametrize("body", [{"mode": "slow", "delay": -5}, {"mode": "slow", "delay": "abc"},
                                  {"mode": "reject", "status": 500}, {"mode": "fail", "status": 200},
                                  {"mode": "fail", "times": 0}, {"mode": "loud"}])
def test_control_rejects_bad_settings(sandbox, body):
    response = requests.post(f"{sandbox.url}/v1/control", json=body, timeout=5)

    assert response.status_code == 400
    assert sandbox.state.mode == "ok"
