"""Fixtures shared by all tests: tenant personas with API clients, and a closed port."""

import socket

import pytest
from rest_framework.test import APIClient

from apps.tenants.models import ApiKey, Tenant


class Persona:
    """A tenant with an API key and a client that sends it."""

    def __init__(self, name: str):
        self.tenant = Tenant.objects.create(name=name)
        self.api_key, self.raw_key = ApiKey.objects.issue(self.tenant, name="tests")
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.raw_key}")

    def put_recipient(self, recipient_id: str, **addresses):
        response = self.client.put(f"/recipients/{recipient_id}", addresses, format="json")
        assert response.status_code in (200, 201), response.content
        return response

    def notify(self, **body):
        return self.client.post("/notify", body, format="json")


@pytest.fixture
def owner(db):
    """The tenant whose data a test works on."""
    return Persona("acme")


@pytest.fixture
def outsider(db):
    """A second tenant that must never see the owner's data."""
    return Persona("globex")


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def closed_port():
    """A TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return port
