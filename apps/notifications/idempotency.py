"""Idempotency-Key handling for POST /notify.

The first request with a key inserts an in-progress record. The unique
constraint on (tenant, key) makes a concurrent duplicate fail that insert and
get 409. The record is completed with the response in the same transaction
that stores the notification, so a repeat either finds the whole response or
nothing. A request that fails validation deletes its record, since it stored
nothing to replay.
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.notifications.models import IdempotencyRecord

logger = logging.getLogger(__name__)

MAX_KEY_LENGTH = 255
# How long a repeat returns the first response.
RETENTION = timedelta(hours=24)
# An in-progress record this old belongs to a request that died; a repeat may take it over.
ABANDONED_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Claim:
    """The outcome of presenting a key: own it, replay it, or reject the request."""

    record: IdempotencyRecord | None = None
    replay: IdempotencyRecord | None = None
    conflict: str = ""


def request_hash(body) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def claim_key(tenant, key: str, body_hash: str) -> Claim:
    """Take ownership of `key` for this request, or return why the request cannot have it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(tenant=tenant, key=key, request_hash=body_hash)
        return Claim(record=record)
    except IntegrityError:
        pass

    with transaction.atomic():
        existing = IdempotencyRecord.objects.select_for_update().filter(tenant=tenant, key=key).first()
        if existing is None:
            # The other request failed validation and released the key in between; the client may retry.
            return Claim(conflict="in_progress")

        expired = existing.created_at < now - RETENTION
        abandoned = existing.state == IdempotencyRecord.State.IN_PROGRESS and existing.created_at < now - ABANDONED_AFTER
        if expired or abandoned:
            logger.warning("idempotency key %s of tenant %s was %s; reusing it", key, tenant.id,
                           "expired" if expired else "abandoned")
            existing.request_hash = body_hash
            existing.state = IdempotencyRecord.State.IN_PROGRESS
            existing.notification = None
            existing.response_status = None
            existing.response_body = None
            existing.created_at = now
            existing.save()
            return Claim(record=existing)

    if existing.request_hash != body_hash:
        return Claim(conflict="mismatch")
    if existing.state == IdempotencyRecord.State.IN_PROGRESS:
        return Claim(conflict="in_progress")
    return Claim(replay=existing)


def complete(record: IdempotencyRecord, notification, status_code: int, body: dict) -> None:
    """Store the response; call inside the transaction that stores the notification."""
    record.state = IdempotencyRecord.State.COMPLETED
    record.notification = notification
    record.response_status = status_code
    record.response_body = body
    record.save(update_fields=["state", "notification", "response_status", "response_body"])


def release(record: IdempotencyRecord) -> None:
    """Forget the key of a request that stored nothing."""
    IdempotencyRecord.objects.filter(pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS).delete()


def purge_expired(now=None) -> int:
    now = now or timezone.now()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=now - RETENTION).delete()
    return deleted
