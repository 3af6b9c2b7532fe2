"""Email over SMTP through Django's SMTP email backend."""

import smtplib
import socket

from django.core.mail import BadHeaderError, EmailMessage, get_connection

from notifier.providers.base import OutboundMessage, Provider, ProviderError, SendResult


class SmtpProvider(Provider):
    """Send one email per delivery to a configured SMTP server."""

    def send(self, message: OutboundMessage) -> SendResult:
        options = self.options
        message_id = f"<{message.delivery_id}@notifier>"

        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=options["from_email"],
            to=[message.address],
            headers={"Message-ID": message_id, "X-Notifier-Delivery": message.delivery_id},
        )
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host=options["host"],
            port=options["port"],
            username=options.get("username") or None,
            password=options.get("password") or None,
            use_tls=options.get("use_tls", False),
            timeout=options.get("timeout", 10),
            fail_silently=False,
        )

        try:
            connection.send_messages([email])
        except BadHeaderError as error:
            # A header with a line break can never be sent; retrying cannot help.
            raise ProviderError(f"invalid email header: {error}", permanent=True) from error
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            code = codes[0] if codes else None
            raise ProviderError(f"SMTP server rejected the recipient: {error.recipients}",
                                permanent=_is_permanent(code), status_code=code) from error
        except smtplib.SMTPResponseException as error:
            raise ProviderError(f"SMTP server replied {error.smtp_code}: {error.smtp_error!r}",
                                permanent=_is_permanent(error.smtp_code),
                                status_code=error.smtp_code) from error
        except (smtplib.SMTPException, socket.timeout, OSError) as error:
            raise ProviderError(f"SMTP connection failed: {error}", permanent=False) from error

        return SendResult(provider_message_id=message_id, status_code=250)


def _is_permanent(smtp_code: int | None) -> bool:
    # SMTP 5yz replies are permanent negative completions; 4yz are transient.
    return smtp_code is not None and 500 <= smtp_code < 600
