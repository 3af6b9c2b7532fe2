import logging

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import error_response
from apps.core.parsers import StrictJSONParser
from apps.core.schema import ErrorSerializer
from apps.webhooks.serializers import GenericReceiptSerializer, ReceiptResultSerializer
from apps.webhooks.services import apply_receipt
from notifier import signing

logger = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Notifier-Timestamp"
SIGNATURE_HEADER = "X-Notifier-Signature"


class GenericCallbackView(APIView):
    """Provider receipts in Notifier's generic signed format."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [StrictJSONParser]

    @extend_schema(
        request=GenericReceiptSerializer,
        parameters=[
            OpenApiParameter(TIMESTAMP_HEADER, str, OpenApiParameter.HEADER, required=True,
                             description="Unix time in seconds when the receipt was signed."),
            OpenApiParameter(SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True,
                             description="'sha256=' + hex HMAC-SHA256 of '<timestamp>.<raw body>' with "
                                         "NOTIFIER_WEBHOOK_SECRET."),
        ],
        responses={
            200: ReceiptResultSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Signed, but the body is invalid."),
            401: OpenApiResponse(ErrorSerializer, description="Missing, stale or wrong signature."),
        },
    )
    def post(self, request):
        """Apply a signed receipt. Duplicates and unknown deliveries get 200 so the provider stops resending."""
        raw_body = request.body
        try:
            signing.verify(
                settings.NOTIFIER["WEBHOOK_SECRET"],
                request.headers.get(TIMESTAMP_HEADER),
                request.headers.get(SIGNATURE_HEADER),
                raw_body,
                settings.NOTIFIER["WEBHOOK_TOLERANCE_SECONDS"],
            )
        except signing.SignatureError as error:
            logger.warning("rejected webhook callback from %s: %s", request.META.get("REMOTE_ADDR"), error)
            return error_response(401, "invalid_signature", f"Webhook signature rejected: {error}.")

        serializer = GenericReceiptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        receipt = serializer.validated_data

        lookup = {name: str(receipt[name]) for name in
                  ("provider_message_id", "notification_id", "channel", "recipient_id") if receipt.get(name)}
        result = apply_receipt(receipt["provider"], receipt["event_id"], receipt["status"], lookup,
                               request.data, receipt.get("reason", ""), receipt.get("occurred_at"))
        return Response({"result": str(result.result), "delivery_id": result.delivery_id,
                         "delivery_status": result.delivery_status})
