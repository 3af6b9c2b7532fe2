"""Liveness and readiness probes."""

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request):
    """Report 200 when PostgreSQL and both Redis roles (cache, broker) answer, else 503."""
    checks = {"postgres": _check_postgres(), "redis": _check_redis(settings.REDIS_URL),
              "broker": _check_redis(settings.CELERY_BROKER_URL)}
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks},
                        status=200 if ready else 503)


def _check_postgres() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # any driver error means not ready
        logger.warning("readiness check: PostgreSQL unreachable: %s", error)
        return f"error: {type(error).__name__}"


def _check_redis(url: str) -> str:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
        return "ok"
    except redis.RedisError as error:
        logger.warning("readiness check: Redis at %s unreachable: %s", url.split("@")[-1], error)
        return f"error: {type(error).__name__}"
