import json
import unicodedata

from django.conf import settings
from rest_framework import serializers

from apps.core.fields import StrictCharField, StrictSerializer
from apps.recipients.serializers import RECIPIENT_ID_VALIDATOR
from notifier.channels import PRIORITIES, channel_names

MAX_METADATA_BYTES = 4096


class NotifyRequestSerializer(StrictSerializer):
    """A notification to send on each listed channel to each listed recipient."""

    channels = serializers.ListField(child=StrictCharField(max_length=32), allow_empty=False,
                                     help_text="Registered channels, e.g. email, sms, push.")
    recipient_ids = serializers.ListField(child=StrictCharField(max_length=128, validators=[RECIPIENT_ID_VALIDATOR]),
                                         allow_empty=False,
                                         help_text="Recipient ids registered with PUT /recipients/<id>.")
    message = StrictCharField(trim_whitespace=False)
    subject = StrictCharField(max_length=255, required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=PRIORITIES, default="normal")
    metadata = serializers.DictField(required=False, default=dict,
                                     help_text=f"Free-form JSON object, at most {MAX_METADATA_BYTES} bytes.")

    def validate_channels(self, value):
        registered = channel_names()
        unknown = [name for name in value if name not in registered]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown channel(s): {', '.join(unknown)}. Registered: {', '.join(registered)}.")
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Channels must not repeat.")
        return value

    def validate_recipient_ids(self, value):
        maximum = settings.NOTIFIER["MAX_RECIPIENTS"]
        if len(value) > maximum:
            raise serializers.ValidationError(f"At most {maximum} recipient ids per request, got {len(value)}.")
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Recipient ids must not repeat.")
        return value

    def validate_message(self, value):
        maximum = settings.NOTIFIER["MAX_MESSAGE_LENGTH"]
        if not value.strip():
            raise serializers.ValidationError("Message must not be blank.")
        if len(value) > maximum:
            raise serializers.ValidationError(f"Message is {len(value)} characters; the maximum is {maximum}.")
        return value

    def validate_metadata(self, value):
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        if size > MAX_METADATA_BYTES:
            raise serializers.ValidationError(f"Metadata is {size} bytes as JSON; the maximum is {MAX_METADATA_BYTES}.")
        return value

    def validate_subject(self, value):
        # Email headers are single lines, and Python's email package folds any line or
        # paragraph separator into a space, so such characters would change the subject.
        if any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in value):
            raise serializers.ValidationError("Subject must be a single line without control characters.")
        return value

    def raw_errors(self, data):
        channels = data.get("channels")
        subject = data.get("subject")
        wants_email = isinstance(channels, list) and "email" in channels
        if wants_email and (subject is None or (isinstance(subject, str) and not subject.strip())):
            return {"subject": ["Required when channels include email."]}
        return {}


class DeliveryStatusSerializer(serializers.Serializer):
    delivery_id = serializers.UUIDField(source="id")
    channel = serializers.CharField()
    recipient_id = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField(source="status_reason")
    provider = serializers.CharField()
    provider_message_id = serializers.CharField()
    attempts = serializers.IntegerField(source="attempt_count")
    sent_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class NotifyResponseSerializer(serializers.Serializer):
    notification_id = serializers.UUIDField()
    status = serializers.CharField()
    priority = serializers.CharField()
    created_at = serializers.DateTimeField()
    deliveries = DeliveryStatusSerializer(many=True)


class StatusResponseSerializer(NotifyResponseSerializer):
    channels = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()),
                                     help_text="Per channel, the number of deliveries in each status.")


class MetricsResponseSerializer(serializers.Serializer):
    window = serializers.CharField()
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    notifications = serializers.IntegerField()
    totals = serializers.DictField(child=serializers.IntegerField())
    by_channel = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
