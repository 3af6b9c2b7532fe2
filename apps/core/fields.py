"""Serializer fields and a base serializer stricter than DRF's defaults."""

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A CharField that rejects numbers and booleans instead of turning them into text."""

    default_error_messages = {"not_a_string": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """A serializer that rejects unknown fields and reports every error at once.

    DRF runs `validate()` only after every field is valid, so a cross-field
    rule would stay silent while another field is wrong. Subclasses put such
    rules in `raw_errors(data)`, which reads the raw input and always runs.
    """

    def raw_errors(self, data: dict) -> dict[str, list[str]]:
        return {}

    def to_internal_value(self, data):
        errors: dict = {}
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            for name in sorted(set(data) - writable):
                errors[name] = ["Read-only field." if name in self.fields else "Unknown field."]
            errors.update(self.raw_errors(data))

        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not isinstance(error.detail, dict):
                raise
            raise serializers.ValidationError({**error.detail, **errors}) from None

        if errors:
            raise serializers.ValidationError(errors)
        return value
