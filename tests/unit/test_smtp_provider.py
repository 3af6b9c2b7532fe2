"""The SMTP adapter against local SMTP servers on 127.0.0.1."""

import socket

import pytest
from aiosmtpd.controller import Controller

from notifier.providers import ProviderError
from notifier.providers.smtp import SmtpProvider
from notifier.sinks.smtp import SmtpSink

FROM_EMAIL = "notifier@example.test"


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


class RcptReplyHandler:
    """An aiosmtpd handler that replies to every RCPT TO with one fixed SMTP reply."""

    def __init__(self, rcpt_reply: str):
        self.rcpt_reply = rcpt_reply
        self.data_count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return self.rcpt_reply

    async def handle_DATA(self, server, session, envelope):
        self.data_count += 1
        return "250 Message accepted for delivery"


@pytest.fixture
def rejecting_server():
    """Start SMTP servers with a chosen RCPT reply, and stop them after the test."""
    controllers = []

    def start(rcpt_reply: str) -> tuple[Controller, RcptReplyHandler]:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        handler = RcptReplyHandler(rcpt_reply)
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return controller, handler

    yield start
    for controller in controllers:
        controller.stop()


def provider_for(host: str, port: int) -> SmtpProvider:
    return SmtpProvider("smtp", "email", {"host": host, "port": port, "from_email": FROM_EMAIL, "timeout": 5})


def email_message(make_message):
    return make_message(channel="email", address="ada@example.test", subject="Your sign-in code",
                        body="Your code is 314159.")


def test_send_delivers_one_message(smtp_sink, make_message):
    provider_for(smtp_sink.host, smtp_sink.port).send(email_message(make_message))

    assert len(smtp_sink.messages) == 1


def test_send_sets_envelope_and_headers(smtp_sink, make_message):
    message = email_message(make_message)

    provider_for(smtp_sink.host, smtp_sink.port).send(message)

    received = smtp_sink.messages[0]
    assert received["mail_from"] == FROM_EMAIL
    assert received["rcpt_tos"] == ["ada@example.test"]
    assert received["subject"] == "Your sign-in code"
    assert received["message_id"] == f"<{message.delivery_id}@notifier>"


def test_send_sets_body(smtp_sink, make_message):
    provider_for(smtp_sink.host, smtp_sink.port).send(email_message(make_message))

    # SMTP carries CRLF line endings, which the sink keeps in the parsed body.
    assert smtp_sink.messages[0]["body"].splitlines() == ["Your code is 314159."]


def test_send_returns_message_id(smtp_sink, make_message):
    message = email_message(make_message)

    result = provider_for(smtp_sink.host, smtp_sink.port).send(message)

    assert result.provider_message_id == f"<{message.delivery_id}@notifier>"
    assert result.status_code == 250


def test_subject_line_break_is_permanent(smtp_sink, make_message):
    message = make_message(channel="email", address="ada@example.test", subject="Code\nBcc: eve@example.test")

    with pytest.raises(ProviderError) as raised:
        provider_for(smtp_sink.host, smtp_sink.port).send(message)

    assert raised.value.permanent is True
    assert smtp_sink.messages == []


def test_rcpt_550_is_permanent(rejecting_server, make_message):
    controller, handler = rejecting_server("550 5.1.1 Mailbox does not exist")

    with pytest.raises(ProviderError) as raised:
        provider_for(controller.hostname, controller.port).send(email_message(make_message))

    assert raised.value.permanent is True
    assert raised.value.status_code == 550
    assert handler.data_count == 0


def test_rcpt_451_is_transient(rejecting_server, make_message):
    controller, handler = rejecting_server("451 4.3.0 Mailbox temporarily unavailable")

    with pytest.raises(ProviderError) as raised:
        provider_for(controller.hostname, controller.port).send(email_message(make_message))

    assert raised.value.permanent is False
    assert raised.value.status_code == 451
    assert handler.data_count == 0


def test_connection_refused_is_transient(closed_port, make_message):
    with pytest.raises(ProviderError) as raised:
        provider_for("127.0.0.1", closed_port).send(email_message(make_message))

    assert raised.value.permanent is False
    assert raised.value.status_code is None
