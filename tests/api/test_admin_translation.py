"""The Django admin in Traditional Chinese, chosen by the browser's Accept-Language header.

Django reads the committed locale/zh_Hant/LC_MESSAGES/django.mo, not the .po, so a
changed msgstr reaches these pages only after `manage.py compilemessages`.
"""

import pytest
from django.contrib.messages import get_messages
from django.utils import translation

from tests.api.conftest import make_dead_letter

pytestmark = pytest.mark.django_db

DEAD_LETTERS_URL = "/admin/deadletters/deadletter/"
ZH_HANT_HEADERS = {"HTTP_ACCEPT_LANGUAGE": "zh-Hant"}
ENGLISH_HEADERS = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def restore_language():
    # LocaleMiddleware activates the request's language in this thread and does not
    # deactivate it after the response, so a later test could read lazy labels in Chinese.
    language = translation.get_language()
    yield
    translation.activate(language)


def page_text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_index_in_zh_hant(admin_client):
    response = admin_client.get("/admin/", **ZH_HANT_HEADERS)
    text = page_text(response)

    assert response["Content-Language"] == "zh-hant"
    assert "死信" in text
    assert "租戶" in text
    assert "API 金鑰" in text
    assert "Webhook 事件" in text


def test_index_in_english(admin_client):
    response = admin_client.get("/admin/", **ENGLISH_HEADERS)
    text = page_text(response)

    assert response["Content-Language"] == "en"
    assert "Dead letters" in text
    assert "死信" not in text
    assert "租戶" not in text


def test_dead_letter_changelist_in_zh_hant(admin_client, owner):
    make_dead_letter(owner.tenant)

    text = page_text(admin_client.get(DEAD_LETTERS_URL, **ZH_HANT_HEADERS))

    assert "重送所選的死信" in text
    assert "捨棄所選的死信" in text
    assert "最後一次錯誤" in text
    assert "待處理" in text
    assert "Replay selected dead letters" not in text


def test_dead_letter_changelist_in_english(admin_client, owner):
    make_dead_letter(owner.tenant)

    text = page_text(admin_client.get(DEAD_LETTERS_URL, **ENGLISH_HEADERS))

    assert "Replay selected dead letters" in text
    assert "Last error" in text
    assert "重送所選的死信" not in text
    assert "捨棄所選的死信" not in text
    assert "最後一次錯誤" not in text


def test_replay_message_in_zh_hant(admin_client, owner):
    first = make_dead_letter(owner.tenant, channel="sms")
    second = make_dead_letter(owner.tenant, channel="email")

    response = admin_client.post(DEAD_LETTERS_URL, {"action": "replay_selected",
                                                    "_selected_action": [first.pk, second.pk]}, **ZH_HANT_HEADERS)

    assert response.status_code == 302
    assert message_texts(response) == ["已重送 2 筆死信。"]


def test_language_cookie_overrides_header(client, admin_user, owner):
    # The cookie that Django's set_language view writes wins over Accept-Language.
    make_dead_letter(owner.tenant)
    client.force_login(admin_user)
    client.cookies["django_language"] = "zh-hant"

    text = page_text(client.get(DEAD_LETTERS_URL, **ENGLISH_HEADERS))

    assert "重送所選的死信" in text
