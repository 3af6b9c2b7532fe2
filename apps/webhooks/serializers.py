from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from apps.core.fields import StrictCharField, StrictSerializer
from apps.recipients.serializers import RECIPIENT_ID_VALIDATOR
from notifier.channels import channel_names

RECEIPT_STATUSES = ("sent", "delivered", "failed")
# Provider clocks may run a little ahead of ours.
MAX_CLOCK_AHEAD = timedelta(minutes=5)


class GenericReceiptSerializer(StrictSerializer):
    """The generic signed receipt format of POST /webhook/callback."""

    event_id = StrictCharField(max_length=255, help_text="Unique per provider; a repeat is ignored.")
    status = serializers.ChoiceField(choices=RECEIPT_STATUSES)
    provider = StrictCharField(max_length=64, required=False, default="generic",
                               help_text="Namespace of event_id; defaults to 'generic'.")
    provider_message_id = StrictCharField(max_length=255, required=False)
    notification_id = serializers.UUIDField(required=False)
    channel = StrictCharField(max_length=32, required=False)
    recipient_id = StrictCharField(max_length=128, required=False, validators=[RECIPIENT_ID_VALIDATOR])
    reason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")
    occurred_at = serializers.DateTimeField(required=False)

    def validate_occurred_at(self, value):
        if value > timezone.now() + MAX_CLOCK_AHEAD:
            raise serializers.ValidationError("Must not be in the future.")
        return value

    def validate_channel(self, value):
        if value not in channel_names():
            raise serializers.ValidationError(f"Unknown channel {value!r}. Registered: {', '.join(channel_names())}.")
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        target_fields = ("notification_id", "channel", "recipient_id")
        by_message_id = bool(attrs.get("provider_message_id"))
        by_target = all(attrs.get(name) for name in target_fields)
        if by_message_id and any(attrs.get(name) for name in target_fields):
            raise serializers.ValidationError(
                "Give either provider_message_id or notification_id with channel and recipient_id, not both.")
        if not by_message_id and not by_target:
            raise serializers.ValidationError(
                "Give provider_message_id, or notification_id with channel and recipient_id.")
        return attrs


class ReceiptResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["applied", "stale", "unmatched", "duplicate"])
    delivery_id = serializers.UUIDField(allow_null=True)
    delivery_status = serializers.CharField(allow_null=True)
