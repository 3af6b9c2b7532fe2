"""A local sandbox SMS and push provider on 127.0.0.1.

It records every accepted message and can be switched to fail, reject or
respond slowly, so the real adapter code runs against real HTTP in development and in
the tests.

API (JSON):
  POST /v1/sms/messages, POST /v1/push/messages
      {"to": ..., "body": ..., "title"?: ..., "reference"?: ...}
      -> 201 {"id": "...", ...}. A repeated Idempotency-Key header returns the
      first message again and records nothing new.
  GET  /v1/messages[?channel=sms]   every recorded message, oldest first
  GET  /v1/requests                 how many send requests arrived, per outcome
  GET  /v1/control                  the current mode
  POST /v1/control  {"mode": "ok" | "fail" | "reject" | "slow",
                     "times"?: N, "status"?: code, "delay"?: seconds}
      fail returns `status` (default 503), reject returns `status` (default
      400), slow waits `delay` seconds (default 5) then accepts. With `times`
      the mode applies to the next N send requests, then it returns to ok.
  DELETE /v1/messages               forget messages, counters and the mode
"""

import argparse
import json
import logging
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

logger = logging.getLogger(__name__)

CHANNELS = ("sms", "push")
MODES = ("ok", "fail", "reject", "slow")
DEFAULT_STATUS = {"fail": 503, "reject": 400}
# Providers also signal "try later" with 408 and 429, so fail accepts any error status.
STATUS_RANGES = {"fail": (400, 599), "reject": (400, 499)}
DEFAULT_DELAY = 5.0
MAX_DELAY = 120


class SandboxState:
    """Messages, counters and the failure mode, shared by the handler threads."""

    def __init__(self, record_path: Path | None = None):
        self.lock = threading.Lock()
        self.record_path = record_path
        self.reset()

    def reset(self):
        self.messages: list[dict] = []
        self.by_idempotency_key: dict[str, dict] = {}
        self.requests = {"accepted": 0, "failed": 0, "rejected": 0, "replayed": 0}
        self.set_mode("ok")

    def set_mode(self, mode: str, times: int | None = None, status: int | None = None, delay: float = 5.0):
        """Set the response mode of the next send requests; callers hold `lock` or own the state alone."""
        self.mode = mode
        self.mode_remaining = times
        self.status = status if status is not None else DEFAULT_STATUS.get(mode)
        self.delay = delay

    def take_mode(self) -> tuple[str, int | None, float]:
        """Return the mode for one send request and count it against `times`."""
        with self.lock:
            mode, status, delay = self.mode, self.status, self.delay
            if self.mode_remaining is not None:
                self.mode_remaining -= 1
                if self.mode_remaining <= 0:
                    self.set_mode("ok")
            return mode, status, delay

    def record(self, channel: str, payload: dict, idempotency_key: str | None) -> tuple[dict, bool]:
        with self.lock:
            if idempotency_key and idempotency_key in self.by_idempotency_key:
                self.requests["replayed"] += 1
                return self.by_idempotency_key[idempotency_key], False

            message = {
                "id": f"sbx_{uuid.uuid4().hex}",
                "channel": channel,
                "to": payload.get("to"),
                "title": payload.get("title", ""),
                "body": payload.get("body"),
                "reference": payload.get("reference"),
                "received_at": time.time(),
            }
            self.messages.append(message)
            self.requests["accepted"] += 1
            if idempotency_key:
                self.by_idempotency_key[idempotency_key] = message
            if self.record_path:
                with self.record_path.open("a", encoding="utf-8") as record_file:
                    record_file.write(json.dumps(message) + "\n")
            return message, True


class SandboxHandler(BaseHTTPRequestHandler):
    server_version = "NotifierSandbox/1"
    state: SandboxState

    def log_message(self, format, *args):
        logger.debug("sandbox %s", format % args)

    def do_GET(self):
        if self.path.startswith("/v1/messages"):
            channel = None
            if "?channel=" in self.path:
                channel = self.path.split("?channel=", 1)[1]
            with self.state.lock:
                messages = [m for m in self.state.messages if channel is None or m["channel"] == channel]
            self._reply(200, {"messages": messages})
        elif self.path == "/v1/control":
            with self.state.lock:
                self._reply(200, {"mode": self.state.mode, "times": self.state.mode_remaining,
                                  "status": self.state.status, "delay": self.state.delay})
        elif self.path == "/v1/requests":
            with self.state.lock:
                self._reply(200, dict(self.state.requests))
        elif self.path == "/healthz":
            self._reply(200, {"status": "ok"})
        else:
            self._reply(404, {"error": f"no such path {self.path}"})

    def do_DELETE(self):
        if self.path == "/v1/messages":
            with self.state.lock:
                self.state.reset()
            self._reply(204, None)
        else:
            self._reply(404, {"error": f"no such path {self.path}"})

    def do_POST(self):
        payload = self._read_json()
        if payload is None:
            return
        if self.path == "/v1/control":
            self._control(payload)
            return
        for channel in CHANNELS:
            if self.path == f"/v1/{channel}/messages":
                self._send(channel, payload)
                return
        self._reply(404, {"error": f"no such path {self.path}"})

    def _control(self, payload: dict):
        mode = payload.get("mode")
        if mode not in MODES:
            self._reply(400, {"error": f"mode must be one of {', '.join(MODES)}"})
            return
        times = payload.get("times")
        status = payload.get("status", DEFAULT_STATUS.get(mode))
        delay = payload.get("delay", DEFAULT_DELAY)
        low, high = STATUS_RANGES.get(mode, (400, 599))
        if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
            self._reply(400, {"error": "times must be a whole number of at least 1, or absent"})
            return
        if status is not None and (isinstance(status, bool) or not isinstance(status, int) or not low <= status <= high):
            self._reply(400, {"error": f"status for mode {mode} must be from {low} to {high}"})
            return
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or not 0 <= delay <= MAX_DELAY:
            self._reply(400, {"error": f"delay must be a number of seconds from 0 to {MAX_DELAY}"})
            return
        with self.state.lock:
            self.state.set_mode(mode, times, status, float(delay))
        self._reply(200, {"mode": mode, "times": times, "status": status, "delay": float(delay)})

    def _send(self, channel: str, payload: dict):
        if not payload.get("to") or not isinstance(payload.get("body"), str):
            with self.state.lock:
                self.state.requests["rejected"] += 1
            self._reply(400, {"error": "fields 'to' and 'body' are required"})
            return

        mode, status, delay = self.state.take_mode()
        if mode == "fail":
            with self.state.lock:
                self.state.requests["failed"] += 1
            self._reply(status, {"error": "sandbox told to fail"})
            return
        if mode == "reject":
            with self.state.lock:
                self.state.requests["rejected"] += 1
            self._reply(status, {"error": "sandbox told to reject"})
            return
        if mode == "slow":
            time.sleep(delay)

        message, created = self.state.record(channel, payload, self.headers.get("Idempotency-Key"))
        self._reply(201 if created else 200, message)

    def _read_json(self) -> dict | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._reply(400, {"error": "Content-Length must be a whole number"})
            return None
        raw = self.rfile.read(length) if length else b"{}"
        try:
            payload = json.loads(raw or b"{}")
        except ValueError:
            self._reply(400, {"error": "body is not valid JSON"})
            return None
        if not isinstance(payload, dict):
            self._reply(400, {"error": "body must be a JSON object"})
            return None
        return payload

    def _reply(self, status: int, body: dict | None):
        data = b"" if body is None else json.dumps(body).encode("utf-8")
        try:
            self.send_response(status)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            # The client timed out and left; a real provider would have accepted the message all the same.
            logger.info("sandbox client disconnected before the %d reply to %s", status, self.path)


class SandboxServer:
    """The sandbox on a background thread; port 0 picks a free port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, record_path: Path | None = None):
        self.state = SandboxState(record_path)
        handler = type("BoundSandboxHandler", (SandboxHandler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="sandbox", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "SandboxServer":
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def main():
    parser = argparse.ArgumentParser(description="Run the local sandbox SMS and push provider.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8025, help="TCP port to listen on (default 8025)")
    parser.add_argument("--record", type=Path, default=None,
                        help="append every accepted message to this JSON-lines file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    if args.record:
        args.record.parent.mkdir(parents=True, exist_ok=True)
    server = SandboxServer(args.host, args.port, args.record)
    logger.info("sandbox provider listening on %s, recording to %s", server.url, args.record)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
        logger.info("sandbox provider stopped")


if __name__ == "__main__":
    main()
