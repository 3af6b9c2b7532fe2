"""System checks for settings that are dangerous or inconsistent."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from notifier.backoff import MAX_SECONDS


@register(Tags.security, deploy=True)
def check_development_secrets(app_configs, **kwargs):
    """Warn under `manage.py check --deploy` when a development secret is still in use."""
    problems = []
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        problems.append(Warning("DJANGO_SECRET_KEY is the development default.",
                                hint="Set DJANGO_SECRET_KEY to a long random value.", id="notifier.W001"))
    if settings.NOTIFIER["WEBHOOK_SECRET"] == settings.NOTIFIER["DEVELOPMENT_WEBHOOK_SECRET"]:
        problems.append(Warning("NOTIFIER_WEBHOOK_SECRET is the development default, so anyone can forge receipts.",
                                hint="Set NOTIFIER_WEBHOOK_SECRET and give it to your providers.",
                                id="notifier.W002"))
    return problems


MIN_WEBHOOK_SECRET_LENGTH = 32


@register(Tags.security)
def check_webhook_secret(app_configs, **kwargs):
    """Reject an empty webhook secret, which would let anyone sign receipts."""
    secret = settings.NOTIFIER["WEBHOOK_SECRET"]
    if not secret:
        return [Error("NOTIFIER_WEBHOOK_SECRET is empty, so anyone can sign webhook receipts.",
                      hint=f"Set it to a random value of at least {MIN_WEBHOOK_SECRET_LENGTH} characters.",
                      id="notifier.E003")]
    if len(secret) < MIN_WEBHOOK_SECRET_LENGTH:
        return [Warning(f"NOTIFIER_WEBHOOK_SECRET is {len(secret)} characters long; use at least "
                        f"{MIN_WEBHOOK_SECRET_LENGTH}.", id="notifier.W003")]
    return []


@register()
def check_timeouts(app_configs, **kwargs):
    """Reject lease and visibility timeouts that would let two workers send the same delivery."""
    problems = []
    lease = settings.NOTIFIER["SEND_LEASE_SECONDS"]
    for channel, entries in settings.NOTIFIER["PROVIDERS"].items():
        for entry in entries:
            timeout = entry.get("options", {}).get("timeout", 0)
            if timeout >= lease:
                problems.append(Error(
                    f"NOTIFIER_SEND_LEASE ({lease} s) must exceed the {channel} provider timeout ({timeout} s).",
                    hint="Raise NOTIFIER_SEND_LEASE or lower NOTIFIER_PROVIDER_TIMEOUT.", id="notifier.E001"))

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    if visibility <= MAX_SECONDS + lease:
        problems.append(Error(
            f"CELERY_VISIBILITY_TIMEOUT ({visibility} s) must exceed the longest retry wait ({MAX_SECONDS} s) "
            f"plus NOTIFIER_SEND_LEASE ({lease} s), or Redis redelivers tasks that are still running.",
            hint="Raise CELERY_VISIBILITY_TIMEOUT.", id="notifier.E002"))
    return problems
