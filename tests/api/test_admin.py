"""The Django admin: dead-letter review and actions, API keys, notifications."""

import hashlib
import re

import pytest
from django.contrib.messages import get_messages
from rest_framework.test import APIClient

from apps.deadletters.models import DeadLetter
from apps.notifications.models import Delivery
from apps.tenants.models import ApiKey
from tests.api.conftest import create_notification, make_dead_letter

pytestmark = pytest.mark.django_db

DEAD_LETTERS_URL = "/admin/deadletters/deadletter/"
# "ntf_" and 43 URL-safe characters (32 random bytes), so the 12-character prefix alone does not match.
RAW_KEY = re.compile(r"ntf_[A-Za-z0-9_-]{43}")


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_dead_letter_list_renders(admin_client, owner):
    make_dead_letter(owner.tenant)

    response = admin_client.get(DEAD_LETTERS_URL)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_dead_letter_list_filters(admin_client, owner, outsider):
    # A related or all-values filter is shown only when it has two or more choices.
    make_dead_letter(owner.tenant, channel="sms")
    dead_letter = make_dead_letter(outsider.tenant, channel="email")
    DeadLetter.objects.filter(pk=dead_letter.pk).update(provider="smtp")

    response = admin_client.get(DEAD_LETTERS_URL)

    titles = [str(spec.title) for spec in response.context["cl"].filter_specs]
    assert titles == ["state", "channel", "provider", "tenant", "resolution", "created at"]


def test_dead_letter_open_filter(admin_client, owner):
    open_letter = make_dead_letter(owner.tenant, channel="sms")
    discarded = make_dead_letter(owner.tenant, channel="email")
    admin_client.post(DEAD_LETTERS_URL, {"action": "discard_selected", "_selected_action": [discarded.pk]})

    response = admin_client.get(DEAD_LETTERS_URL, {"state": "open"})

    assert [letter.pk for letter in response.context["cl"].result_list] == [open_letter.pk]


def test_replay_action_requeues(admin_client, owner):
    dead_letter = make_dead_letter(owner.tenant)

    response = admin_client.post(DEAD_LETTERS_URL, {"action": "replay_selected",
                                                    "_selected_action": [dead_letter.pk]})

    assert response.status_code == 302
    delivery = Delivery.objects.get(pk=dead_letter.delivery_id)
    assert delivery.status == "queued"
    assert delivery.attempt_count == 0


def test_replay_action_resolves(admin_client, admin_user, owner):
    dead_letter = make_dead_letter(owner.tenant)

    response = admin_client.post(DEAD_LETTERS_URL, {"action": "replay_selected",
                                                    "_selected_action": [dead_letter.pk]})

    dead_letter.refresh_from_db()
    assert dead_letter.resolution == "replayed"
    assert dead_letter.resolved_by == admin_user.get_username()
    assert message_texts(response) == ["Replayed 1 dead letter."]


def test_replay_action_twice_warns(admin_client, owner):
    dead_letter = make_dead_letter(owner.tenant)
    data = {"action": "replay_selected", "_selected_action": [dead_letter.pk]}
    admin_client.post(DEAD_LETTERS_URL, data, follow=True)

    response = admin_client.post(DEAD_LETTERS_URL, data)

    assert message_texts(response) == [f"dead letter {dead_letter.pk} is already replayed"]
    assert DeadLetter.objects.get(pk=dead_letter.pk).resolution == "replayed"


def test_discard_action_keeps_dead(admin_client, owner):
    first = make_dead_letter(owner.tenant, channel="sms")
    second = make_dead_letter(owner.tenant, channel="email")

    response = admin_client.post(DEAD_LETTERS_URL, {"action": "discard_selected",
                                                    "_selected_action": [first.pk, second.pk]})

    assert response.status_code == 302
    assert set(DeadLetter.objects.values_list("resolution", flat=True)) == {"discarded"}
    assert Delivery.objects.filter(status="dead").count() == 2
    assert message_texts(response) == ["Discarded 2 dead letters."]


@pytest.fixture
def added_key(admin_client, owner):
    """The page shown right after adding an API key in the admin."""
    response = admin_client.post("/admin/tenants/apikey/add/", {"tenant": owner.tenant.pk, "name": "ops",
                                                                 "is_active": "on"}, follow=True)
    assert response.redirect_chain == [("/admin/tenants/apikey/", 302)], response.content
    return response


def shown_keys(response) -> list[str]:
    return RAW_KEY.findall(response.content.decode())


def test_admin_key_shown_once(admin_client, added_key):
    later = admin_client.get("/admin/tenants/apikey/")

    assert len(shown_keys(added_key)) == 1
    assert shown_keys(later) == []


def test_admin_key_stored_hashed(added_key):
    raw_key = shown_keys(added_key)[0]

    api_key = ApiKey.objects.get(name="ops")
    assert api_key.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    for field in ApiKey._meta.concrete_fields:
        assert raw_key not in str(getattr(api_key, field.attname)), field.name


def test_admin_key_authenticates(added_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {shown_keys(added_key)[0]}")

    assert client.get("/metrics").status_code == 200


def test_notification_page_shows_deliveries(admin_client, owner):
    notification = create_notification(owner.tenant, [("email", "ada", "delivered"), ("sms", "bob", "failed")])

    response = admin_client.get(f"/admin/notifications/notification/{notification.pk}/change/")

    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][0]
    assert inline.opts.model is Delivery
    assert [form.original.recipient_id for form in inline if form.original] == ["ada", "bob"]


def test_delivery_inline_offers_no_add(admin_client, owner):
    notification = create_notification(owner.tenant, [("email", "ada", "queued")])

    response = admin_client.get(f"/admin/notifications/notification/{notification.pk}/change/")

    # Deliveries come only from POST /notify, so the page must not offer a blank delivery row.
    assert response.context["inline_admin_formsets"][0].has_add_permission is False


@pytest.mark.parametrize("path", [
    "/admin/notifications/notification/",
    "/admin/notifications/delivery/",
    "/admin/recipients/recipient/",
    "/admin/tenants/tenant/",
    "/admin/webhooks/webhookevent/",
])
def test_admin_changelists_render(admin_client, owner, path):
    create_notification(owner.tenant, [("email", "ada", "sent")])

    assert admin_client.get(path).status_code == 200
