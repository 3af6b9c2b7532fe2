import re

from django.core.validators import RegexValidator
from rest_framework import serializers

from apps.core.fields import StrictCharField, StrictSerializer

from apps.recipients.models import Recipient

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
RECIPIENT_ID = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")
RECIPIENT_ID_MESSAGE = "Invalid recipient id: use 1 to 128 letters, digits or . _ : @ -"
RECIPIENT_ID_VALIDATOR = RegexValidator(RECIPIENT_ID, RECIPIENT_ID_MESSAGE)
PLATFORMS = ("ios", "android", "web")
MAX_PUSH_TOKENS = 20


class PushTokenSerializer(StrictSerializer):
    """A device token and the platform it belongs to."""

    token = StrictCharField(max_length=4096, trim_whitespace=True)
    platform = serializers.ChoiceField(choices=PLATFORMS)


class RecipientSerializer(StrictSerializer):
    """The addresses of one recipient: email, E.164 phone and push tokens."""

    recipient_id = serializers.CharField(read_only=True)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=16,
                                  help_text="E.164 number such as +886912345678.")
    push_tokens = PushTokenSerializer(many=True, required=False, max_length=MAX_PUSH_TOKENS)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate_phone(self, value):
        if value and not E164.match(value):
            raise serializers.ValidationError("Must be an E.164 number: '+', country code and number, 7 to 15 digits.")
        return value

    def validate_push_tokens(self, value):
        tokens = [item["token"] for item in value]
        if len(tokens) != len(set(tokens)):
            raise serializers.ValidationError("Push tokens must be unique.")
        return value

    def validate(self, attrs):
        if not any(attrs.get(field) for field in ("email", "phone", "push_tokens")):
            raise serializers.ValidationError("Give at least one of email, phone or push_tokens.")
        return attrs

    def to_representation(self, instance: Recipient):
        return {
            "recipient_id": instance.recipient_id,
            "email": instance.email,
            "phone": instance.phone,
            "push_tokens": instance.push_tokens,
            "created_at": serializers.DateTimeField().to_representation(instance.created_at),
            "updated_at": serializers.DateTimeField().to_representation(instance.updated_at),
        }
