import re
import uuid
from collections import defaultdict
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import error_response
from apps.core.schema import ERROR_RESPONSES, ErrorSerializer
from apps.notifications import idempotency
from apps.notifications.accept import accept_notification
from apps.notifications.models import Delivery, Notification
from apps.notifications.serializers import (
    DeliveryStatusSerializer,
    MetricsResponseSerializer,
    NotifyRequestSerializer,
    NotifyResponseSerializer,
    StatusResponseSerializer,
)
from notifier.states import DeliveryStatus, notification_status

IDEMPOTENCY_HEADER = "Idempotency-Key"
# Renders timestamps as DRF does everywhere else in the API (UTC with a "Z").
TIMESTAMP = serializers.DateTimeField()
WINDOW = re.compile(r"([1-9][0-9]{0,6})([mhd])")
WINDOW_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
MAX_WINDOW = timedelta(days=90)


def notification_body(notification: Notification, deliveries: list[Delivery]) -> dict:
    return {
        "notification_id": str(notification.id),
        "status": notification_status([delivery.status for delivery in deliveries]).value,
        "priority": notification.priority,
        "created_at": TIMESTAMP.to_representation(notification.created_at),
        "deliveries": DeliveryStatusSerializer(deliveries, many=True).data,
    }


class NotifyView(APIView):
    @extend_schema(
        request=NotifyRequestSerializer,
        parameters=[OpenApiParameter(
            IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER,
            description="Repeat a request safely: the same key and body return the first response with "
                        "`Idempotent-Replayed: true` (kept 24 h); the same key with another body is 422; "
                        "a repeat while the first is still running is 409.")],
        responses={202: NotifyResponseSerializer, 409: ErrorSerializer, 422: ErrorSerializer, **ERROR_RESPONSES},
    )
    def post(self, request):
        """Accept a notification for delivery on each channel to each recipient."""
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return self._accept(request, record=None)

        if not key.strip() or len(key) > idempotency.MAX_KEY_LENGTH or not (key.isascii() and key.isprintable()):
            return error_response(400, "invalid_idempotency_key",
                                  f"{IDEMPOTENCY_HEADER} must be 1 to {idempotency.MAX_KEY_LENGTH} printable "
                                  "ASCII characters.")
        claim = idempotency.claim_key(request.user, key, idempotency.request_hash(request.data))
        if claim.conflict == "mismatch":
            return error_response(422, "idempotency_key_reused",
                                  f"{IDEMPOTENCY_HEADER} {key!r} was used with a different request body.")
        if claim.conflict == "in_progress":
            return error_response(409, "idempotency_key_in_progress",
                                  f"A request with {IDEMPOTENCY_HEADER} {key!r} is still being processed; "
                                  "retry shortly.", headers={"Retry-After": "1"})
        if claim.replay is not None:
            return Response(claim.replay.response_body, status=claim.replay.response_status,
                            headers={"Idempotent-Replayed": "true"})

        try:
            return self._accept(request, record=claim.record)
        except BaseException:
            idempotency.release(claim.record)
            raise

    def _accept(self, request, record):
        serializer = NotifyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        body = {}

        def on_stored(notification, deliveries):
            ordered = sorted(deliveries, key=lambda delivery: (delivery.channel, delivery.recipient_id))
            body.update(notification_body(notification, ordered))
            if record is not None:
                idempotency.complete(record, notification, status.HTTP_202_ACCEPTED, body)

        accept_notification(request.user, serializer.validated_data, on_stored=on_stored)
        return Response(body, status=status.HTTP_202_ACCEPTED)


class StatusView(APIView):
    @extend_schema(responses={200: StatusResponseSerializer, **ERROR_RESPONSES})
    def get(self, request, notification_id: str):
        """Report a notification's overall status and each delivery's status."""
        try:
            notification_uuid = uuid.UUID(notification_id)
        except ValueError:
            return error_response(404, "not_found", f"Notification {notification_id} not found.")
        notification = Notification.objects.filter(pk=notification_uuid, tenant=request.user).first()
        if notification is None:
            return error_response(404, "not_found", f"Notification {notification_id} not found.")

        deliveries = list(notification.deliveries.order_by("channel", "recipient_id"))
        by_channel: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for delivery in deliveries:
            by_channel[delivery.channel][delivery.status] += 1

        body = notification_body(notification, deliveries)
        body["channels"] = {channel: dict(counts) for channel, counts in sorted(by_channel.items())}
        return Response(body)


class MetricsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("window", str, description="Time window such as 15m, 1h, 24h or 7d (max 90d); "
                                                                "default 1h.")],
        responses={200: MetricsResponseSerializer, **ERROR_RESPONSES},
    )
    def get(self, request):
        """Count the tenant's deliveries created in the window, by current status and channel.

        `accepted` counts every delivery; each status counts the deliveries now
        in that status, so a delivered message is counted under delivered, not sent.
        """
        window = request.query_params.get("window", "1h")
        match = WINDOW.fullmatch(window)
        if not match or WINDOW_UNITS[match.group(2)] * int(match.group(1)) > MAX_WINDOW:
            return error_response(400, "invalid_window",
                                  f"Invalid window {window!r}: use a number and m, h or d, such as 15m, 1h, 24h "
                                  "or 7d, at most 90d.")

        until = timezone.now()
        since = until - WINDOW_UNITS[match.group(2)] * int(match.group(1))
        rows = (Delivery.objects.filter(tenant=request.user, created_at__gte=since, created_at__lte=until)
                .values("channel", "status").annotate(count=Count("id")))

        totals = _empty_counts()
        by_channel: dict[str, dict[str, int]] = {}
        for row in rows:
            channel_counts = by_channel.setdefault(row["channel"], _empty_counts())
            for counts in (totals, channel_counts):
                counts[row["status"]] += row["count"]
                counts["accepted"] += row["count"]

        notifications = Notification.objects.filter(tenant=request.user, created_at__gte=since,
                                                    created_at__lte=until).count()
        return Response({
            "window": window,
            "since": TIMESTAMP.to_representation(since),
            "until": TIMESTAMP.to_representation(until),
            "notifications": notifications,
            "totals": totals,
            "by_channel": dict(sorted(by_channel.items())),
        })


def _empty_counts() -> dict[str, int]:
    return {"accepted": 0, **{status.value: 0 for status in DeliveryStatus}}
