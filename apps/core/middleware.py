"""Request checks that run before the views: body framing and the language."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from apps.core.errors import json_error

ADMIN_PREFIX = "/admin/"


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


class AdminLocaleMiddleware(LocaleMiddleware):
    """Pick the language from the request in the admin only.

    The API keeps English everywhere, so that DRF's built-in messages and the
    project's own messages never come back in two languages at once.
    """

    def process_request(self, request):
        if request.path.startswith(ADMIN_PREFIX):
            super().process_request(request)
            return
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE

    def process_response(self, request, response):
        if request.path.startswith(ADMIN_PREFIX):
            return super().process_response(request, response)
        return response
