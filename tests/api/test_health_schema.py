"""Health probes and the OpenAPI schema and docs."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/Error"


def test_healthz_ok(anonymous):
    response = anonymous.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_checks(anonymous):
    response = anonymous.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"postgres": "ok", "redis": "ok", "broker": "ok"}}


def test_readyz_redis_down(anonymous, settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"

    response = anonymous.get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["redis"] == "error: ConnectionError"
    assert response.json()["checks"]["postgres"] == "ok"


@pytest.fixture
def schema(anonymous):
    response = anonymous.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_has_error_component(schema):
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"error"}


def test_schema_lists_public_paths(schema):
    for path in ["/notify", "/status/{notification_id}", "/metrics", "/recipients/{recipient_id}",
                 "/webhook/callback"]:
        assert path in schema["paths"], path


def test_schema_notify_errors_use_error(schema):
    responses = schema["paths"]["/notify"]["post"]["responses"]

    for status in ("400", "401"):
        assert responses[status]["content"]["application/json"]["schema"]["$ref"] == ERROR_REF, status


def test_schema_yaml_served(anonymous):
    response = anonymous.get("/api/schema/")

    assert response.status_code == 200
    assert b"openapi: 3" in response.content


def test_docs_page_served(anonymous):
    response = anonymous.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content


def test_schema_valid_without_warnings(tmp_path):
    # --validate checks the document against the OpenAPI 3 JSON schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "openapi.yml"))

    assert (tmp_path / "openapi.yml").read_text().startswith("openapi: 3")
