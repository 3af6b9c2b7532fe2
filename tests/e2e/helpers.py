"""Reading delivery state from the database while a worker process changes it."""

from apps.notifications.models import Delivery, DeliveryAttempt


def delivery_of(notification_id: str, channel: str) -> Delivery:
    return Delivery.objects.get(notification_id=notification_id, channel=channel)


def status_of(notification_id: str, channel: str) -> str:
    return delivery_of(notification_id, channel).status


def attempts_of(notification_id: str, channel: str) -> list[DeliveryAttempt]:
    return list(DeliveryAttempt.objects.filter(delivery__notification_id=notification_id, delivery__channel=channel)
                .order_by("number"))
