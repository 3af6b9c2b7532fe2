"""Liveness and readiness probes."""

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from apps.core.errors import json_error

logger = logging.getLogger(__name__)


@csrf_exempt
def healthz(request):
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed(request)
    return JsonResponse({"status": "ok"})


@csrf_exempt
def readyz(request):
    """Report 200 when PostgreSQL and both Redis roles (cache, broker) respond, else 503."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed(request)
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
    except (redis.RedisError, ValueError) as error:  # ValueError: a malformed URL
        logger.warning("readiness check: Redis at %s unreachable: %s", url.split("@")[-1], error)
        return f"error: {type(error).__name__}"


def _method_not_allowed(request):
    response = json_error(405, "method_not_allowed", f"Method {request.method} is not allowed; use GET.")
    response["Allow"] = "GET, HEAD"
    return response
