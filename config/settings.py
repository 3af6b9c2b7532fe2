"""Django settings for Notifier.

Every value that differs between machines comes from an environment variable
(see the configuration table in README.md). The defaults run against the local
PostgreSQL, Redis and provider sinks that `make run` uses.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_float, env_int, env_list, env_str, env_url

REDIS_SCHEMES = ("redis", "rediss", "unix")

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "notifier-development-only-secret-key-change-me"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY, allow_empty=False)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"], allow_empty=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "apps.core",
    "apps.tenants",
    "apps.recipients",
    "apps.notifications",
    "apps.deadletters",
    "apps.webhooks",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.core.middleware.RequireContentLengthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.AdminLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
# The API paths are fixed without a trailing slash (POST /notify), so Django
# must not redirect them.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": env_str("POSTGRES_HOST", "127.0.0.1"),
        "PORT": env_int("POSTGRES_PORT", 5432, minimum=1, maximum=65535),
        "NAME": env_str("POSTGRES_DB", "notifier"),
        "USER": env_str("POSTGRES_USER", "postgres"),
        "PASSWORD": env_str("POSTGRES_PASSWORD", ""),
        "CONN_MAX_AGE": env_int("POSTGRES_CONN_MAX_AGE", 60, minimum=0),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 5},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "redis://127.0.0.1:6379/0", REDIS_SCHEMES)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hant", "Traditional Chinese")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Larger request bodies get 413 payload_too_large. The largest valid POST
# /notify (1,000 recipient ids, a 10,000-character message, 4 KiB of
# metadata) is well under 1 MiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("NOTIFIER_MAX_BODY_BYTES", 1024 * 1024, minimum=1024)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["apps.tenants.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["apps.tenants.authentication.IsTenant"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apps.core.parsers.StrictJSONParser"],
    "EXCEPTION_HANDLER": "apps.core.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Notifier API",
    "DESCRIPTION": "Multi-tenant notification service: email, SMS and push with retries and dead letters.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI's files come from the installed sidecar package, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    # Swagger UI otherwise sends the schema to an online validator.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery reads every CELERY_* name below (namespace "CELERY" in config/celery.py).
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", "redis://127.0.0.1:6379/1", REDIS_SCHEMES)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Take the queues in -Q order, so <channel>.high is drained before normal and low.
    "queue_order_strategy": "priority",
    # Must stay above the longest retry countdown (16 s) plus the longest task,
    # or Redis hands the message to a second worker while the first still runs it.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# A worker child killed mid-task puts its message back on the queue.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One reserved message per process: a larger prefetch lets low-priority work
# that is already reserved run before newly queued high-priority work.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "maintenance"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "sweep-stalled-deliveries": {
        "task": "notifications.sweep_stalled_deliveries",
        "schedule": env_float("NOTIFIER_SWEEP_INTERVAL", 60.0, minimum=1.0),
    },
}

NOTIFIER = {
    # Channel name to the dotted path of its Channel class.
    "CHANNELS": {
        "email": "notifier.channels.EmailChannel",
        "sms": "notifier.channels.SmsChannel",
        "push": "notifier.channels.PushChannel",
    },
    # Providers per channel, tried in order. Each entry names a provider class
    # and its options; credentials belong in options read from the environment.
    "PROVIDERS": {
        "email": [
            {
                "name": "smtp",
                "class": "notifier.providers.smtp.SmtpProvider",
                "options": {
                    "host": env_str("NOTIFIER_SMTP_HOST", "127.0.0.1"),
                    "port": env_int("NOTIFIER_SMTP_PORT", 2525, minimum=1, maximum=65535),
                    "username": env_str("NOTIFIER_SMTP_USERNAME", ""),
                    "password": env_str("NOTIFIER_SMTP_PASSWORD", ""),
                    "use_tls": env_bool("NOTIFIER_SMTP_USE_TLS", False),
                    "timeout": env_float("NOTIFIER_PROVIDER_TIMEOUT", 10.0, minimum=0.1),
                    "from_email": env_str("NOTIFIER_EMAIL_FROM", "notifier@localhost"),
                },
            }
        ],
        "sms": [
            {
                "name": "sandbox",
                "class": "notifier.providers.sandbox.SandboxProvider",
                "options": {
                    "base_url": env_url("NOTIFIER_SANDBOX_URL", "http://127.0.0.1:8025", ("http", "https")),
                    "timeout": env_float("NOTIFIER_PROVIDER_TIMEOUT", 10.0, minimum=0.1),
                },
            }
        ],
        "push": [
            {
                "name": "sandbox",
                "class": "notifier.providers.sandbox.SandboxProvider",
                "options": {
                    "base_url": env_url("NOTIFIER_SANDBOX_URL", "http://127.0.0.1:8025", ("http", "https")),
                    "timeout": env_float("NOTIFIER_PROVIDER_TIMEOUT", 10.0, minimum=0.1),
                },
            }
        ],
    },
    "DEVELOPMENT_WEBHOOK_SECRET": "notifier-development-webhook-secret",
    "WEBHOOK_SECRET": env_str("NOTIFIER_WEBHOOK_SECRET", "notifier-development-webhook-secret", allow_empty=False),
    "WEBHOOK_TOLERANCE_SECONDS": env_int("NOTIFIER_WEBHOOK_TOLERANCE", 300, minimum=1),
    # A queued or retrying delivery this long past its due time is published again.
    "SWEEP_GRACE_SECONDS": env_int("NOTIFIER_SWEEP_GRACE", 300, minimum=0),
    # How long a worker owns a delivery in `sending` before another may take it over.
    "SEND_LEASE_SECONDS": env_int("NOTIFIER_SEND_LEASE", 120, minimum=1),
    # Deliveries per dispatch task: one Celery task sends up to this many.
    "DISPATCH_BATCH_SIZE": env_int("NOTIFIER_DISPATCH_BATCH_SIZE", 50, minimum=1),
    "MAX_MESSAGE_LENGTH": env_int("NOTIFIER_MAX_MESSAGE_LENGTH", 10000, minimum=1, maximum=1_000_000),
    "MAX_RECIPIENTS": env_int("NOTIFIER_MAX_RECIPIENTS", 1000, minimum=1, maximum=100_000),
}

SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.utils import BadDsn

    try:
        sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False)
    except BadDsn as error:
        raise ImproperlyConfigured(f"SENTRY_DSN is not a valid Sentry DSN: {error}") from None

LOG_LEVEL = env_choice("NOTIFIER_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), upper=True)
LOG_FORMAT = env_choice("NOTIFIER_LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "apps.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django logs these client errors with a traceback at ERROR; the JSON
        # 400 and 413 handlers log one warning line each instead.
        "django.security.RequestDataTooBig": {"level": "CRITICAL"},
        "django.security.DisallowedHost": {"level": "CRITICAL"},
    },
}
