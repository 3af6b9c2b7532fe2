"""A JSON parser that rejects what PostgreSQL or JSON itself cannot hold.

PostgreSQL text and jsonb reject NUL characters and unpaired surrogates, and
JSON has no Infinity or NaN, so such input would otherwise pass validation and
fail as a 500 when stored. Duplicate object keys are rejected too, because
Python's json keeps only the last one without a word.
"""

import json
import math

from django.conf import settings
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


class PayloadTooLarge(APIException):
    status_code = 413
    default_code = "payload_too_large"


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # DRF reads the request stream directly, past Django's own body size check.
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(f"The request body exceeds {limit} bytes.")
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(f"JSON parse error: the body is not valid {encoding}.") from error

        try:
            data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_reject_constant,
                              parse_float=_finite_float)
        except RecursionError:
            raise ParseError(f"JSON parse error: nested more than {MAX_DEPTH} levels deep.") from None
        except ValueError as error:
            raise ParseError(f"JSON parse error: {error}") from None

        _check_values(data)
        return data


def _unique_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text} is out of range")
    return value


def _check_values(data):
    """Walk the parsed value without recursion, limiting depth and checking every string."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"JSON parse error: nested more than {MAX_DEPTH} levels deep.")
        if isinstance(value, str):
            _check_string(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_string(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
            raise ParseError("JSON parse error: integer out of the 64-bit range.")


def _check_string(text: str):
    if "\x00" in text:
        raise ParseError("JSON parse error: strings must not contain the NUL character (\\u0000).")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError("JSON parse error: strings must not contain unpaired surrogates.") from None
