"""Edge cases found by trying the service as a new user: chunked bodies, paths, settings and commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.notifications.models import Notification
from apps.recipients.models import Recipient
from apps.tenants.models import ApiKey


@pytest.mark.django_db
def test_chunked_body_is_411(owner):
    response = owner.client.generic("POST", "/notify", b"", content_type="application/json",
                                    HTTP_TRANSFER_ENCODING="chunked")

    assert response.status_code == 411
    assert response.json()["error"]["code"] == "length_required"
    assert Notification.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "delete"])
def test_nul_in_recipient_path_is_400(owner, method):
    response = getattr(owner.client, method)("/recipients/a%00b")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_recipient_id"


@pytest.mark.django_db
def test_put_read_only_field_rejected(owner):
    response = owner.client.put("/recipients/bob", {"phone": "+886912345678", "recipient_id": "mallory"},
                                format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"recipient_id": ["Read-only field."]}
    assert Recipient.objects.count() == 0


@pytest.mark.django_db
def test_push_token_number_rejected(owner):
    response = owner.client.put("/recipients/bob", {"push_tokens": [{"token": 123, "platform": "ios"}]},
                                format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"push_tokens.0.token": ["Must be a string."]}


@pytest.mark.django_db
def test_too_many_push_tokens_named(owner):
    tokens = [{"token": f"t{index}", "platform": "ios"} for index in range(21)]

    response = owner.client.put("/recipients/bob", {"push_tokens": tokens}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["push_tokens"]


@pytest.mark.django_db
def test_metadata_size_counts_utf8_bytes(owner):
    owner.put_recipient("ada", phone="+886912345678")

    response = owner.notify(channels=["sms"], recipient_ids=["ada"], message="hi", metadata={"k": "é" * 2000})

    assert response.status_code == 202


@pytest.mark.django_db
@pytest.mark.parametrize("subject", ["line\u2028break", "tab\there", "next\u0085line"])
def test_subject_control_characters_rejected(owner, subject):
    response = owner.notify(channels=["email"], recipient_ids=["ada"], subject=subject, message="hi")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["subject"]


@pytest.mark.django_db
def test_idempotency_key_must_be_ascii(owner):
    response = owner.client.post("/notify", {"channels": ["sms"], "recipient_ids": ["ada"], "message": "hi"},
                                 format="json", HTTP_IDEMPOTENCY_KEY="caf\u00e9")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"


@pytest.mark.django_db
@pytest.mark.parametrize("option", ["--tenant", "--channel", "--older-than", "--newer-than"])
def test_replay_rejects_empty_filter(option):
    with pytest.raises(CommandError) as raised:
        call_command("replay_dead_letters", option, "", "--dry-run", stdout=StringIO())

    assert "must not be empty" in str(raised.value)


@pytest.mark.django_db
def test_replay_rejects_huge_limit():
    with pytest.raises(CommandError):
        call_command("replay_dead_letters", "--limit", str(10**20), "--dry-run", stdout=StringIO())


@pytest.mark.django_db
def test_create_api_key_replace_deactivates(owner):
    call_command("create_api_key", "acme", "--name", "make run", stdout=StringIO(), stderr=StringIO())

    call_command("create_api_key", "  acme ", "--name", "make run", "--replace", stdout=StringIO(),
                 stderr=StringIO())

    keys = ApiKey.objects.filter(tenant=owner.tenant, name="make run")
    assert keys.count() == 2
    assert keys.filter(is_active=True).count() == 1
    assert ApiKey.objects.get(pk=owner.api_key.pk).is_active is True


@pytest.mark.django_db
def test_prometheus_post_is_405(client):
    response = client.post("/prometheus/metrics")

    assert response.status_code == 405


@pytest.mark.django_db
def test_prometheus_get_exposes_metrics(client):
    response = client.get("/prometheus/metrics")

    assert response.status_code == 200
    assert b"django_http_requests" in response.content


@pytest.mark.parametrize("path, target", [("/api/docs", "/api/docs/"), ("/api/schema", "/api/schema/"),
                                          ("/admin", "/admin/")])
def test_paths_without_slash_redirect(client, path, target):
    response = client.get(path)

    assert response.status_code == 301
    assert response["Location"] == target


@pytest.mark.django_db
def test_api_messages_stay_english(owner):
    response = owner.client.post("/notify", {"channels": []}, format="json", HTTP_ACCEPT_LANGUAGE="zh-Hant")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["channels"] == ["This list may not be empty."]
