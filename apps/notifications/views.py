import re
from collections import defaultdict
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import error_response
from apps.core.schema import ERROR_RESPONSES
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

WINDOW = re.compile(r"^([1-9][0-9]{0,4})([mhd])$")
WINDOW_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
MAX_WINDOW = timedelta(days=90)


def notification_body(notification: Notification, deliveries: list[Delivery]) -> dict:
    return {
        "notification_id": str(notification.id),
        "status": notification_status([delivery.status for delivery in deliveries]).value,
        "priority": notification.priority,
        "created_at": notification.created_at.isoformat(),
        "deliveries": DeliveryStatusSerializer(deliveries, many=True).data,
    }


class NotifyView(APIView):
    @extend_schema(request=NotifyRequestSerializer, responses={202: NotifyResponseSerializer, **ERROR_RESPONSES})
    def post(self, request):
        """Accept a notification for delivery on each channel to each recipient."""
        serializer = NotifyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        notification = accept_notification(request.user, serializer.validated_data)
        deliveries = list(notification.deliveries.order_by("channel", "recipient_id"))
        return Response(notification_body(notification, deliveries), status=status.HTTP_202_ACCEPTED)


class StatusView(APIView):
    @extend_schema(responses={200: StatusResponseSerializer, **ERROR_RESPONSES})
    def get(self, request, notification_id):
        """Report a notification's overall status and each delivery's status."""
        notification = Notification.objects.filter(pk=notification_id, tenant=request.user).first()
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
        match = WINDOW.match(window)
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
            "since": since.isoformat(),
            "until": until.isoformat(),
            "notifications": notifications,
            "totals": totals,
            "by_channel": dict(sorted(by_channel.items())),
        })


def _empty_counts() -> dict[str, int]:
    return {"accepted": 0, **{status.value: 0 for status in DeliveryStatus}}
