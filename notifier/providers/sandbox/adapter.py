"""SMS and push through the local sandbox provider over HTTP.

The sandbox (notifier/sinks/sandbox.py) speaks a small JSON API shaped like
the real SMS and push providers: POST a message, get 201 with an id. It replaces
Twilio and FCM until their adapters exist.
"""

import requests

from notifier.providers.base import OutboundMessage, Provider, ProviderError, SendResult

# Statuses a provider uses for "try again later" although they are 4xx.
TRANSIENT_CLIENT_STATUSES = {408, 409, 425, 429}


class SandboxProvider(Provider):
    """POST each delivery to <base_url>/v1/<channel>/messages."""

    def send(self, message: OutboundMessage) -> SendResult:
        url = f"{self.options['base_url'].rstrip('/')}/v1/{self.channel}/messages"
        payload = {"to": message.address, "body": message.body, "reference": message.delivery_id}
        if self.channel == "push" and message.subject:
            payload["title"] = message.subject

        try:
            response = requests.post(
                url,
                json=payload,
                headers={"Idempotency-Key": message.idempotency_key},
                timeout=self.options.get("timeout", 10),
            )
        except requests.Timeout as error:
            raise ProviderError(f"sandbox timed out after {self.options.get('timeout', 10)} s",
                                permanent=False) from error
        except requests.RequestException as error:
            raise ProviderError(f"sandbox request failed: {error}", permanent=False) from error

        if response.status_code >= 500 or response.status_code in TRANSIENT_CLIENT_STATUSES:
            raise ProviderError(f"sandbox returned {response.status_code}: {response.text[:200]}",
                                permanent=False, status_code=response.status_code)
        if response.status_code >= 400:
            raise ProviderError(f"sandbox rejected the message with {response.status_code}: {response.text[:200]}",
                                permanent=True, status_code=response.status_code)

        try:
            provider_message_id = response.json()["id"]
        except (ValueError, KeyError, TypeError) as error:
            raise ProviderError(f"sandbox returned {response.status_code} without a message id",
                                permanent=False, status_code=response.status_code) from error
        return SendResult(provider_message_id=str(provider_message_id), status_code=response.status_code)
