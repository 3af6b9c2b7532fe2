"""PUT, GET and DELETE /recipients/<recipient_id>, scoped to the tenant."""

import pytest

from apps.recipients.models import Recipient

pytestmark = pytest.mark.django_db


def test_put_creates_recipient(owner):
    response = owner.client.put("/recipients/ada", {"email": "ada@example.test"}, format="json")

    assert response.status_code == 201
    assert response.json()["recipient_id"] == "ada"
    assert response.json()["email"] == "ada@example.test"
    assert response.json()["phone"] == ""
    assert response.json()["push_tokens"] == []


def test_put_replaces_recipient(owner):
    owner.put_recipient("ada", email="ada@example.test")

    response = owner.client.put("/recipients/ada", {"phone": "+886912345678"}, format="json")

    assert response.status_code == 200
    assert response.json()["email"] == ""
    assert response.json()["phone"] == "+886912345678"
    assert Recipient.objects.filter(tenant=owner.tenant).count() == 1


def test_get_returns_recipient(owner):
    tokens = [{"token": "device-token-1", "platform": "ios"}]
    owner.put_recipient("ada", email="ada@example.test", push_tokens=tokens)

    response = owner.client.get("/recipients/ada")

    assert response.status_code == 200
    assert response.json()["email"] == "ada@example.test"
    assert response.json()["push_tokens"] == tokens


def test_delete_then_get_missing(owner):
    owner.put_recipient("ada", email="ada@example.test")

    deleted = owner.client.delete("/recipients/ada")
    fetched = owner.client.get("/recipients/ada")

    assert deleted.status_code == 204
    assert fetched.status_code == 404
    assert fetched.json()["error"]["code"] == "not_found"
    assert Recipient.objects.count() == 0


def test_delete_unknown_recipient(owner):
    response = owner.client.delete("/recipients/nobody")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# E.164 allows at most 15 digits, and real numbers can have as few as 7, such as Niue's +683 4002.
PHONE_ERROR = "Must be an E.164 number: '+', country code and number, 7 to 15 digits."

INVALID_RECIPIENTS = [
    pytest.param({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}, id="invalid-email"),
    pytest.param({"phone": "0912345678"},
                 {"phone": [PHONE_ERROR]},
                 id="phone-without-plus"),
    pytest.param({"phone": "+0912345678"},
                 {"phone": [PHONE_ERROR]},
                 id="phone-country-code-zero"),
    pytest.param({"phone": "+886 912 345 678"},
                 {"phone": [PHONE_ERROR]},
                 id="phone-with-spaces"),
    pytest.param({"push_tokens": [{"token": "device-token-1", "platform": "blackberry"}]},
                 {"push_tokens.0.platform": ['"blackberry" is not a valid choice.']},
                 id="unknown-platform"),
    pytest.param({"push_tokens": [{"platform": "ios"}]},
                 {"push_tokens.0.token": ["This field is required."]},
                 id="token-missing"),
    pytest.param({}, {"non_field_errors": ["Give at least one of email, phone or push_tokens."]}, id="no-address"),
    pytest.param({"email": "", "phone": ""},
                 {"non_field_errors": ["Give at least one of email, phone or push_tokens."]},
                 id="blank-addresses"),
]


@pytest.mark.parametrize(("body", "expected_fields"), INVALID_RECIPIENTS)
def test_put_invalid_recipient(owner, body, expected_fields):
    response = owner.client.put("/recipients/ada", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["fields"] == expected_fields
    assert Recipient.objects.count() == 0


def test_put_unknown_field_rejected(owner):
    response = owner.client.put("/recipients/ada", {"email": "ada@example.test", "phnoe": "+886912345678"},
                                format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"phnoe": ["Unknown field."]}
    assert Recipient.objects.count() == 0


def test_put_invalid_keeps_previous(owner):
    owner.put_recipient("ada", email="ada@example.test")

    response = owner.client.put("/recipients/ada", {"phone": "12345"}, format="json")

    assert response.status_code == 400
    assert Recipient.objects.get(tenant=owner.tenant, recipient_id="ada").email == "ada@example.test"


def test_put_shortest_e164_number(owner):
    # Niue numbers are 3 country-code digits and 4 subscriber digits.
    response = owner.client.put("/recipients/ada", {"phone": "+6834002"}, format="json")

    assert response.status_code == 201


@pytest.mark.parametrize("bad_id", ["a%20b", "x" * 129, "ada%3Bdrop"])
def test_put_invalid_recipient_id(owner, bad_id):
    response = owner.client.put(f"/recipients/{bad_id}", {"email": "ada@example.test"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_recipient_id"
    assert Recipient.objects.count() == 0


def test_recipient_hidden_from_outsider(owner, outsider):
    owner.put_recipient("ada", email="ada@example.test")

    response = outsider.client.get("/recipients/ada")

    assert response.status_code == 404


def test_outsider_delete_keeps_recipient(owner, outsider):
    owner.put_recipient("ada", email="ada@example.test")

    response = outsider.client.delete("/recipients/ada")

    assert response.status_code == 404
    assert Recipient.objects.filter(tenant=owner.tenant, recipient_id="ada").count() == 1


def test_same_id_per_tenant(owner, outsider):
    owner.put_recipient("ada", email="ada@example.test")

    response = outsider.client.put("/recipients/ada", {"email": "ada@globex.test"}, format="json")

    assert response.status_code == 201
    assert Recipient.objects.get(tenant=owner.tenant, recipient_id="ada").email == "ada@example.test"
    assert Recipient.objects.get(tenant=outsider.tenant, recipient_id="ada").email == "ada@globex.test"


@pytest.mark.django_db
def test_put_push_token_unknown_field(owner):
    response = owner.client.put("/recipients/ada", {"push_tokens": [{"token": "t", "platform": "ios", "foo": 1}]},
                                format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"push_tokens.0.foo": ["Unknown field."]}
    assert Recipient.objects.count() == 0
