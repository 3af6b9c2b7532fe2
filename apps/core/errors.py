"""One error body for every endpoint.

    {"error": {"code": "validation_error", "message": "...",
               "fields": {"channels": ["..."]}}}

`code` is stable and meant for machines; `message` is for people; `fields`
appears only on validation errors and lists every invalid field.
"""

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.parsers import PayloadTooLarge

logger = logging.getLogger(__name__)

# The same compact JSON that DRF's renderer writes.
COMPACT = {"separators": (",", ":")}

CODES_BY_EXCEPTION = [
    (exceptions.ParseError, "malformed_request"),
    (exceptions.ValidationError, "validation_error"),
    (exceptions.NotAuthenticated, "unauthenticated"),
    (exceptions.AuthenticationFailed, "unauthenticated"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "rate_limited"),
    (PayloadTooLarge, "payload_too_large"),
]


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def exception_handler(exc, context):
    """DRF exception handler that renders every error in the one error shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        fields = _field_errors(exc.detail)
        count = sum(len(messages) for messages in fields.values())
        response.data = error_body("validation_error", f"The request is invalid: {count} field error(s).", fields)
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response

    code = next((code for cls, code in CODES_BY_EXCEPTION if isinstance(exc, cls)), "error")
    response.data = error_body(code, _message(exc.detail))
    return response


def _field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's nested error detail into {"field.sub[0]": [messages]}.

    DRF itself reports errors of list items under integer keys, which come out
    as "recipient_ids.1" or "push_tokens.0.platform".
    """
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == "non_field_errors":
                name = prefix or "non_field_errors"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            fields.update(_field_errors(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            fields[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    fields.update(_field_errors(item, f"{prefix}[{index}]"))
    else:
        fields[prefix or "non_field_errors"] = [str(detail)]
    return fields


def _message(detail) -> str:
    if isinstance(detail, list) and detail:
        return str(detail[0])
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {value}" for key, value in detail.items())
    return str(detail)


def json_bad_request(request, exception=None):
    """Render Django's own 400s (oversized body, unknown Host header) in the one error shape."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        logger.warning("rejected a request body over %d bytes on %s %s", limit, request.method, request.path)
        return json_error(413, "payload_too_large", f"The request body exceeds {limit} bytes.")
    if isinstance(exception, DisallowedHost):
        return json_error(400, "bad_request", "The Host header is not an allowed host name.")
    return json_error(400, "bad_request", "The request is malformed.")


def json_not_found(request, exception=None):
    return json_error(404, "not_found", f"No endpoint at {request.path}.")


def json_server_error(request):
    logger.error("unhandled server error on %s %r", request.method, request.path)
    return json_error(500, "server_error", "The server failed; the error is logged.")


def json_error(status_code: int, code: str, message: str) -> JsonResponse:
    """Build the error body as a plain Django response, for views outside DRF."""
    return JsonResponse(error_body(code, message), status=status_code, json_dumps_params=COMPACT)


def error_response(status_code: int, code: str, message: str, headers: dict | None = None) -> Response:
    return Response(error_body(code, message), status=status_code, headers=headers)
