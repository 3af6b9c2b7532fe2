from notifier.providers.smtp.adapter import SmtpProvider

__all__ = ["SmtpProvider"]
