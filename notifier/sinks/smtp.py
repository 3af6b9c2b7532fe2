"""A local SMTP server that keeps every message it receives.

`make run` starts it on 127.0.0.1:2525 and appends each message to a
JSON-lines file; the tests start it on a free port and read `messages`.
"""

import argparse
import json
import logging
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

logger = logging.getLogger(__name__)


class RecordingHandler:
    """aiosmtpd handler that parses and stores each message."""

    def __init__(self, record_path: Path | None = None):
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.record_path = record_path

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        body_part = parsed.get_body(preferencelist=("plain", "html"))
        message = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "subject": str(parsed.get("Subject", "")),
            "message_id": str(parsed.get("Message-ID", "")),
            "body": body_part.get_content().replace("\r\n", "\n") if body_part is not None else "",
            "received_at": time.time(),
        }
        with self.lock:
            self.messages.append(message)
            if self.record_path:
                with self.record_path.open("a", encoding="utf-8") as record_file:
                    record_file.write(json.dumps(message) + "\n")
        logger.info("smtp sink received message %s for %s", message["message_id"], message["rcpt_tos"])
        return "250 Message accepted for delivery"


class SmtpSink:
    """The SMTP sink on a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, record_path: Path | None = None):
        if port == 0:
            port = _free_port(host)
        self.handler = RecordingHandler(record_path)
        self.controller = Controller(self.handler, hostname=host, port=port)

    @property
    def host(self) -> str:
        return self.controller.hostname

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self) -> list[dict]:
        with self.handler.lock:
            return list(self.handler.messages)

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


def _free_port(host: str) -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description="Run the local SMTP sink.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=2525, help="TCP port to listen on (default 2525)")
    parser.add_argument("--record", type=Path, default=None,
                        help="append every received message to this JSON-lines file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    if args.record:
        args.record.parent.mkdir(parents=True, exist_ok=True)
    sink = SmtpSink(args.host, args.port, args.record).start()
    logger.info("smtp sink listening on %s:%s, recording to %s", sink.host, sink.port, args.record)
    stop = threading.Event()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sink.stop()
        logger.info("smtp sink stopped")


if __name__ == "__main__":
    main()
