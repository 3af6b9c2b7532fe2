"""Bearer API key authentication on every tenant endpoint."""

import uuid

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import NOTHING, VALID_BODY, nothing_stored

pytestmark = pytest.mark.django_db

TENANT_ENDPOINTS = [
    ("post", "/notify"),
    ("get", f"/status/{uuid.UUID(int=1)}"),
    ("get", "/metrics"),
    ("get", "/recipients/ada"),
    ("put", "/recipients/ada"),
    ("delete", "/recipients/ada"),
]


def client_with(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_notify_without_key(anonymous):
    response = anonymous.post("/notify", VALID_BODY, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert nothing_stored() == NOTHING


@pytest.mark.parametrize("scheme", ["Token", "Basic", "ApiKey"])
def test_notify_wrong_scheme(owner, scheme):
    response = client_with(f"{scheme} {owner.raw_key}").post("/notify", VALID_BODY, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert nothing_stored() == NOTHING


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer ntf_not-a-real-key", "ntf_no-scheme"])
def test_notify_bad_key(owner, header):
    response = client_with(header).post("/notify", VALID_BODY, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert nothing_stored() == NOTHING


def test_notify_revoked_key(owner):
    owner.api_key.is_active = False
    owner.api_key.save()

    response = owner.notify(**VALID_BODY)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert nothing_stored() == NOTHING


def test_notify_inactive_tenant(owner):
    owner.tenant.is_active = False
    owner.tenant.save()

    response = owner.notify(**VALID_BODY)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert nothing_stored() == NOTHING


def test_scheme_case_insensitive(owner):
    # HTTP auth schemes are case-insensitive. DRF's own TokenAuthentication compares them that way.
    response = client_with(f"bearer {owner.raw_key}").get("/metrics")

    assert response.status_code == 200


@pytest.mark.parametrize(("method", "path"), TENANT_ENDPOINTS)
def test_endpoint_requires_key(anonymous, method, path):
    response = getattr(anonymous, method)(path, {}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
