"""HMAC signatures of the generic webhook callback."""

import pytest

from notifier.signing import SignatureError, sign, verify

SECRET = "test-secret"
BODY = b'{"event_id":"evt_1"}'
TIMESTAMP = "1700000000"
NOW = 1700000000.0
TOLERANCE = 300
# `openssl dgst -sha256 -hmac test-secret` over b'1700000000.{"event_id":"evt_1"}'.
KNOWN_SIGNATURE = "sha256=7c82edf721281b231e781d7e1fff162ca4842c16952be503e06522650a58f242"


def test_sign_matches_known_vector():
    assert sign(SECRET, TIMESTAMP, BODY) == KNOWN_SIGNATURE


def test_sign_accepts_int_timestamp():
    assert sign(SECRET, 1700000000, BODY) == KNOWN_SIGNATURE


def test_verify_good_signature():
    assert verify(SECRET, TIMESTAMP, KNOWN_SIGNATURE, BODY, TOLERANCE, now=NOW) is None


def test_verify_at_tolerance_edge():
    assert verify(SECRET, TIMESTAMP, KNOWN_SIGNATURE, BODY, TOLERANCE, now=NOW + TOLERANCE) is None


def test_verify_wrong_secret():
    signature = sign("another-secret", TIMESTAMP, BODY)

    with pytest.raises(SignatureError, match="does not match"):
        verify(SECRET, TIMESTAMP, signature, BODY, TOLERANCE, now=NOW)


def test_verify_tampered_body():
    with pytest.raises(SignatureError, match="does not match"):
        verify(SECRET, TIMESTAMP, KNOWN_SIGNATURE, b'{"event_id":"evt_2"}', TOLERANCE, now=NOW)


def test_verify_signature_without_prefix():
    bare_digest = KNOWN_SIGNATURE.removeprefix("sha256=")

    with pytest.raises(SignatureError, match="does not match"):
        verify(SECRET, TIMESTAMP, bare_digest, BODY, TOLERANCE, now=NOW)


def test_verify_stale_timestamp():
    with pytest.raises(SignatureError, match="from the server clock"):
        verify(SECRET, TIMESTAMP, KNOWN_SIGNATURE, BODY, TOLERANCE, now=NOW + TOLERANCE + 1)


def test_verify_future_timestamp():
    with pytest.raises(SignatureError, match="from the server clock"):
        verify(SECRET, TIMESTAMP, KNOWN_SIGNATURE, BODY, TOLERANCE, now=NOW - TOLERANCE - 1)


@pytest.mark.parametrize(("timestamp", "signature"), [
    (None, KNOWN_SIGNATURE),
    (TIMESTAMP, None),
    ("", KNOWN_SIGNATURE),
    (TIMESTAMP, ""),
    (None, None),
])
def test_verify_missing_headers(timestamp, signature):
    with pytest.raises(SignatureError, match="missing"):
        verify(SECRET, timestamp, signature, BODY, TOLERANCE, now=NOW)


@pytest.mark.parametrize("timestamp", [
    "1700000000.5", "-1700000000", "17e8", "now", " 1700000000",
    # str.isdigit() accepts this Latin-1 superscript two, but int() does not.
    "170000000\u00b2",
])
def test_verify_non_digit_timestamp(timestamp):
    with pytest.raises(SignatureError, match="whole seconds"):
        verify(SECRET, timestamp, KNOWN_SIGNATURE, BODY, TOLERANCE, now=NOW)
