"""Management commands: create_tenant, create_api_key and replay_dead_letters."""

import hashlib
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from apps.notifications.models import Delivery
from apps.tenants.models import ApiKey, Tenant
from tests.api.conftest import make_dead_letter

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_create_tenant_prints_id():
    stdout, _ = run("create_tenant", "initech")

    tenant = Tenant.objects.get(name="initech")
    assert stdout == f"{tenant.id}\n"


def test_create_tenant_duplicate_fails():
    run("create_tenant", "initech")

    with pytest.raises(CommandError, match="already exists"):
        run("create_tenant", "initech")
    assert Tenant.objects.filter(name="initech").count() == 1


def test_create_tenant_if_missing():
    first, _ = run("create_tenant", "initech")

    second, _ = run("create_tenant", "initech", "--if-missing")

    assert second == first
    assert Tenant.objects.filter(name="initech").count() == 1


def test_create_tenant_blank_name():
    with pytest.raises(CommandError, match="must not be empty"):
        run("create_tenant", "   ")
    assert Tenant.objects.count() == 0


@pytest.fixture
def issued_key():
    run("create_tenant", "initech")
    stdout, _ = run("create_api_key", "initech", "--name", "billing")
    return stdout.splitlines()[-1]


def test_api_key_alone_on_last_line(issued_key):
    # "ntf_" and 43 URL-safe characters (32 random bytes), nothing else on the line.
    assert re.fullmatch(r"ntf_[A-Za-z0-9_-]{43}", issued_key)


def test_api_key_stored_hashed(issued_key):
    api_key = ApiKey.objects.get()

    assert api_key.key_hash == hashlib.sha256(issued_key.encode()).hexdigest()
    assert api_key.name == "billing"


def test_api_key_raw_not_stored(issued_key):
    api_key = ApiKey.objects.get()

    for field in ApiKey._meta.concrete_fields:
        assert issued_key not in str(getattr(api_key, field.attname)), field.name


def test_api_key_authenticates(issued_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued_key}")

    response = client.get("/metrics")

    assert response.status_code == 200


def test_api_key_unknown_tenant():
    with pytest.raises(CommandError, match="not found"):
        run("create_api_key", "nobody")
    assert ApiKey.objects.count() == 0


def test_dead_letter_setup_marks_dead(owner):
    dead_letter = make_dead_letter(owner.tenant)

    assert dead_letter.delivery.status == "dead"
    assert dead_letter.attempts == 6
    assert dead_letter.replay_payload == {"task": "notifications.send_delivery",
                                          "args": [str(dead_letter.delivery_id)], "queue": "sms.normal"}


def test_replay_dry_run_lists(owner):
    dead_letter = make_dead_letter(owner.tenant)

    stdout, _ = run("replay_dead_letters", "--dry-run")

    lines = stdout.splitlines()
    assert lines[0] == "Would replay 1 dead letter(s)."
    assert lines[1].startswith(f"dead letter {dead_letter.pk}: delivery {dead_letter.delivery_id}, tenant acme, sms")
    assert len(lines) == 2


def test_replay_dry_run_changes_nothing(owner):
    dead_letter = make_dead_letter(owner.tenant)

    run("replay_dead_letters", "--dry-run")

    dead_letter.refresh_from_db()
    assert dead_letter.resolution == ""
    assert Delivery.objects.get(pk=dead_letter.delivery_id).status == "dead"
    assert Delivery.objects.get(pk=dead_letter.delivery_id).attempt_count == 6


def test_replay_requeues_delivery(owner):
    dead_letter = make_dead_letter(owner.tenant)

    stdout, _ = run("replay_dead_letters")

    delivery = Delivery.objects.get(pk=dead_letter.delivery_id)
    assert delivery.status == "queued"
    assert delivery.attempt_count == 0
    assert delivery.status_reason == ""
    assert stdout.splitlines()[-1] == "Replayed 1 of 1."


def test_replay_resolves_dead_letter(owner):
    dead_letter = make_dead_letter(owner.tenant)

    run("replay_dead_letters")

    dead_letter.refresh_from_db()
    assert dead_letter.resolution == "replayed"
    assert dead_letter.resolved_by == "replay_dead_letters"
    assert dead_letter.resolved_at is not None


def test_replay_skips_resolved(owner):
    make_dead_letter(owner.tenant)
    run("replay_dead_letters")

    stdout, _ = run("replay_dead_letters")

    assert stdout.splitlines() == ["Replaying 0 dead letter(s).", "Replayed 0 of 0."]


def selected_ids(stdout: str) -> set[int]:
    return {int(line.split(":")[0].removeprefix("dead letter ")) for line in stdout.splitlines()[1:]}


def test_replay_filter_tenant(owner, outsider):
    own = make_dead_letter(owner.tenant)
    make_dead_letter(outsider.tenant)

    stdout, _ = run("replay_dead_letters", "--dry-run", "--tenant", "acme")

    assert selected_ids(stdout) == {own.pk}


def test_replay_filter_channel(owner):
    make_dead_letter(owner.tenant, channel="sms")
    email = make_dead_letter(owner.tenant, channel="email")

    stdout, _ = run("replay_dead_letters", "--dry-run", "--channel", "email")

    assert selected_ids(stdout) == {email.pk}


def test_replay_filter_older_than(owner):
    old = make_dead_letter(owner.tenant, age=timedelta(hours=1))
    make_dead_letter(owner.tenant, channel="email", age=timedelta(minutes=2))

    stdout, _ = run("replay_dead_letters", "--dry-run", "--older-than", "10m")

    assert selected_ids(stdout) == {old.pk}


def test_replay_filtered_leaves_others(owner, outsider):
    make_dead_letter(owner.tenant)
    other = make_dead_letter(outsider.tenant)

    run("replay_dead_letters", "--tenant", "acme")

    other.refresh_from_db()
    assert other.resolution == ""
    assert Delivery.objects.get(pk=other.delivery_id).status == "dead"


@pytest.mark.parametrize(("args", "message"), [
    (["--tenant", "nobody"], "not found"),
    (["--channel", "fax"], "Unknown channel"),
    (["--older-than", "10 minutes"], "Invalid duration"),
    (["--limit", "0"], "from 1 to 100000"),
])
def test_replay_invalid_options(owner, args, message):
    dead_letter = make_dead_letter(owner.tenant)

    with pytest.raises(CommandError, match=message):
        run("replay_dead_letters", *args)
    assert Delivery.objects.get(pk=dead_letter.delivery_id).status == "dead"


@pytest.mark.django_db
def test_create_tenant_name_too_long():
    with pytest.raises(CommandError) as raised:
        call_command("create_tenant", "x" * 101)

    assert "maximum is 100" in str(raised.value)
    assert Tenant.objects.count() == 0


@pytest.mark.django_db
def test_create_api_key_name_too_long():
    call_command("create_tenant", "acme-long", stdout=StringIO())

    with pytest.raises(CommandError) as raised:
        call_command("create_api_key", "acme-long", "--name", "k" * 101, stdout=StringIO(), stderr=StringIO())

    assert "maximum is 100" in str(raised.value)
    assert ApiKey.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("age", ["99999999999d", "3651d", "10m\n"])
def test_replay_rejects_bad_age(age):
    with pytest.raises(CommandError):
        call_command("replay_dead_letters", "--older-than", age, "--dry-run", stdout=StringIO())
