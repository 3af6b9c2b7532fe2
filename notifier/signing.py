"""HMAC-SHA256 signatures for the generic webhook callback.

The signed text is the decimal Unix timestamp, a dot, then the raw request
body bytes. Signing the raw bytes matters: re-serialized JSON differs in key
order and spacing, so a receiver must verify what arrived, not what it parsed.
"""

import hashlib
import hmac
import time

SIGNATURE_PREFIX = "sha256="


class SignatureError(Exception):
    """The signature is missing, malformed, expired or does not match."""


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """Return the signature header value for `body` sent at `timestamp`."""
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes,
           tolerance_seconds: int, now: float | None = None) -> None:
    """Raise SignatureError unless `signature` signs `body` at a recent `timestamp`."""
    if not timestamp or not signature:
        raise SignatureError("missing timestamp or signature header")
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise SignatureError("timestamp must be a Unix time in whole seconds")

    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance_seconds:
        raise SignatureError(f"timestamp is more than {tolerance_seconds} s from the server clock")

    expected = sign(secret, timestamp, body)
    if not hmac.compare_digest(expected, signature.strip()):
        raise SignatureError("signature does not match the body")
