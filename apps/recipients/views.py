import logging

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import error_response
from apps.core.schema import ERROR_RESPONSES
from apps.recipients.models import Recipient
from apps.recipients.serializers import RECIPIENT_ID, RECIPIENT_ID_MESSAGE, RecipientSerializer

logger = logging.getLogger(__name__)


def invalid_id_response():
    return error_response(400, "invalid_recipient_id", RECIPIENT_ID_MESSAGE + ".")


class RecipientView(APIView):
    """The tenant's directory entry for one recipient id."""

    @extend_schema(request=RecipientSerializer, responses={200: RecipientSerializer, 201: RecipientSerializer,
                                                           **ERROR_RESPONSES})
    def put(self, request, recipient_id: str):
        """Create or replace the addresses of a recipient."""
        if not RECIPIENT_ID.fullmatch(recipient_id):
            return invalid_id_response()
        serializer = RecipientSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        recipient, created = Recipient.objects.update_or_create(
            tenant=request.user,
            recipient_id=recipient_id,
            defaults={
                "email": data.get("email", ""),
                "phone": data.get("phone", ""),
                "push_tokens": [dict(item) for item in data.get("push_tokens", [])],
            },
        )
        logger.info("recipient %s %s for tenant %s", recipient_id, "created" if created else "replaced",
                    request.user.id)
        return Response(RecipientSerializer(recipient).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses={200: RecipientSerializer, **ERROR_RESPONSES})
    def get(self, request, recipient_id: str):
        """Return the addresses of a recipient."""
        if not RECIPIENT_ID.fullmatch(recipient_id):
            return invalid_id_response()
        recipient = self._get(request, recipient_id)
        if recipient is None:
            return error_response(404, "not_found", f"Recipient {recipient_id!r} not found.")
        return Response(RecipientSerializer(recipient).data)

    @extend_schema(responses={204: OpenApiResponse(description="Deleted."), **ERROR_RESPONSES})
    def delete(self, request, recipient_id: str):
        """Delete a recipient. Queued deliveries to it are suppressed when a worker picks them up."""
        if not RECIPIENT_ID.fullmatch(recipient_id):
            return invalid_id_response()
        deleted, _ = Recipient.objects.filter(tenant=request.user, recipient_id=recipient_id).delete()
        if not deleted:
            return error_response(404, "not_found", f"Recipient {recipient_id!r} not found.")
        logger.info("recipient %s deleted for tenant %s", recipient_id, request.user.id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _get(self, request, recipient_id):
        return Recipient.objects.filter(tenant=request.user, recipient_id=recipient_id).first()
