"""Request checks that must run before Django or DRF read the body."""

from apps.core.errors import json_error


class RequireContentLengthMiddleware:
    """Reject chunked request bodies with 411.

    Under WSGI, Django reads a body only up to Content-Length, so a chunked
    body without one would reach the views as empty and fail validation with
    a misleading "field is required".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not request.META.get("CONTENT_LENGTH"):
            return json_error(411, "length_required",
                              "Chunked request bodies are not accepted; send a Content-Length header.")
        return self.get_response(request)
