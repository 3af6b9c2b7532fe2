"""POST /notify rejects invalid bodies with every field error and stores nothing."""

import pytest

from tests.api.conftest import NOTHING, VALID_BODY, nothing_stored

pytestmark = pytest.mark.django_db

OVERSIZE_METADATA = {"blob": "x" * 5000}  # 5011 bytes as compact JSON

INVALID_BODIES = [
    pytest.param(
        {**VALID_BODY, "channels": ["sms", "fax"]},
        {"channels": ["Unknown channel(s): fax. Registered: email, push, sms."]},
        id="unknown-channel",
    ),
    pytest.param(
        {**VALID_BODY, "channels": [], "recipient_ids": []},
        {"channels": ["This list may not be empty."], "recipient_ids": ["This list may not be empty."]},
        id="empty-lists",
    ),
    pytest.param(
        {**VALID_BODY, "message": 42},
        {"message": ["Must be a string."]},
        id="number-as-message",
    ),
    pytest.param(
        {**VALID_BODY, "channels": "sms"},
        {"channels": ['Expected a list of items but got type "str".']},
        id="string-as-channels",
    ),
    pytest.param(
        {**VALID_BODY, "recipient_ids": ["ada", 7]},
        {"recipient_ids.1": ["Must be a string."]},
        id="int-in-recipient-ids",
    ),
    pytest.param(
        {**VALID_BODY, "message": "x" * 10001},
        {"message": ["Message is 10001 characters; the maximum is 10000."]},
        id="oversize-message",
    ),
    pytest.param(
        {**VALID_BODY, "message": "   "},
        {"message": ["Message must not be blank."]},
        id="blank-message",
    ),
    pytest.param(
        {**VALID_BODY, "message": None},
        {"message": ["This field may not be null."]},
        id="null-message",
    ),
    pytest.param(
        {**VALID_BODY, "recipient_ids": [f"user-{index}" for index in range(1001)]},
        {"recipient_ids": ["At most 1000 recipient ids per request, got 1001."]},
        id="too-many-recipients",
    ),
    pytest.param(
        {**VALID_BODY, "recipient_ids": ["ada", "ada"]},
        {"recipient_ids": ["Recipient ids must not repeat."]},
        id="duplicate-recipients",
    ),
    pytest.param(
        {**VALID_BODY, "channels": ["sms", "sms"]},
        {"channels": ["Channels must not repeat."]},
        id="duplicate-channels",
    ),
    pytest.param(
        {**VALID_BODY, "urgent": True},
        {"urgent": ["Unknown field."]},
        id="unknown-top-level-field",
    ),
    pytest.param(
        {**VALID_BODY, "channels": ["email"]},
        {"subject": ["Required when channels include email."]},
        id="email-without-subject",
    ),
    pytest.param(
        {**VALID_BODY, "channels": ["sms", "email"], "subject": "  "},
        {"subject": ["Required when channels include email."]},
        id="email-with-blank-subject",
    ),
    pytest.param(
        {**VALID_BODY, "metadata": OVERSIZE_METADATA},
        {"metadata": ["Metadata is 5011 bytes as JSON; the maximum is 4096."]},
        id="metadata-too-big",
    ),
    pytest.param(
        {**VALID_BODY, "metadata": "order 42"},
        {"metadata": ['Expected a dictionary of items but got type "str".']},
        id="metadata-not-object",
    ),
    pytest.param(
        {**VALID_BODY, "priority": "urgent"},
        {"priority": ['"urgent" is not a valid choice.']},
        id="bad-priority",
    ),
    pytest.param(
        {},
        {"channels": ["This field is required."], "recipient_ids": ["This field is required."],
         "message": ["This field is required."]},
        id="empty-object",
    ),
]


@pytest.mark.parametrize(("body", "expected_fields"), INVALID_BODIES)
def test_notify_invalid_body_rejected(owner, body, expected_fields):
    response = owner.notify(**body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["fields"] == expected_fields
    assert nothing_stored() == NOTHING


def test_notify_error_shape_exact(owner):
    response = owner.notify(**{**VALID_BODY, "priority": "urgent"})

    assert response.json() == {"error": {
        "code": "validation_error",
        "message": "The request is invalid: 1 field error(s).",
        "fields": {"priority": ['"urgent" is not a valid choice.']},
    }}


def test_notify_lists_every_field_error(owner):
    body = {"channels": ["fax"], "recipient_ids": [], "message": 42, "priority": "urgent", "urgent": True}

    response = owner.notify(**body)

    assert response.status_code == 400
    assert sorted(response.json()["error"]["fields"]) == ["channels", "message", "priority", "recipient_ids", "urgent"]
    assert nothing_stored() == NOTHING


def test_notify_lists_subject_with_field_errors(owner):
    body = {"channels": ["email"], "recipient_ids": ["ada"], "message": 42}

    response = owner.notify(**body)

    assert response.status_code == 400
    assert sorted(response.json()["error"]["fields"]) == ["message", "subject"]
    assert nothing_stored() == NOTHING


@pytest.mark.parametrize("subject", ["Sign-in code\nBcc: eve@example.test", "Sign-in\rcode"])
def test_notify_subject_line_break(owner, subject):
    # A line break in the Subject header could inject headers, and Django raises BadHeaderError for it at send time.
    response = owner.notify(**{**VALID_BODY, "channels": ["email"], "subject": subject})

    assert response.status_code == 400
    assert sorted(response.json()["error"]["fields"]) == ["subject"]
    assert nothing_stored() == NOTHING


def test_notify_malformed_json(owner):
    response = owner.client.post("/notify", data='{"channels": [', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
    assert "fields" not in response.json()["error"]
    assert nothing_stored() == NOTHING


@pytest.mark.parametrize(("raw_body", "type_name"), [("[1, 2]", "list"), ('"hello"', "str"), ("42", "int")])
def test_notify_non_object_body(owner, raw_body, type_name):
    response = owner.client.post("/notify", data=raw_body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["fields"] == {
        "non_field_errors": [f"Invalid data. Expected a dictionary, but got {type_name}."]}
    assert nothing_stored() == NOTHING


def test_notify_form_body_unsupported(owner):
    response = owner.client.post("/notify", data=VALID_BODY)

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert nothing_stored() == NOTHING


def test_notify_get_not_allowed(owner):
    response = owner.client.get("/notify")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_notify_message_at_maximum_accepted(owner):
    response = owner.notify(**{**VALID_BODY, "message": "x" * 10000})

    assert response.status_code == 202


def test_notify_metadata_at_maximum_accepted(owner):
    # {"blob":"..."} is 11 bytes around the value, so this is exactly 4096 bytes.
    response = owner.notify(**{**VALID_BODY, "metadata": {"blob": "x" * 4085}})

    assert response.status_code == 202


@pytest.mark.django_db
@pytest.mark.parametrize("recipient_id, field", [("a b/c", "recipient_ids.0"), ("ada!", "recipient_ids.0"),
                                                  ("x" * 129, "recipient_ids.0")])
def test_notify_invalid_recipient_id(owner, recipient_id, field):
    response = owner.notify(channels=["sms"], recipient_ids=[recipient_id], message="hi")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert nothing_stored() == NOTHING


def test_notify_lists_every_bad_recipient_id(owner):
    response = owner.notify(channels=["sms"], recipient_ids=["al ice", "", "a/b", "a" * 129, "ok"], message="hi")

    assert response.status_code == 400
    assert sorted(response.json()["error"]["fields"]) == ["recipient_ids.0", "recipient_ids.1", "recipient_ids.2",
                                                           "recipient_ids.3"]
    assert nothing_stored() == NOTHING
