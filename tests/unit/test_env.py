import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_float, env_int, env_list


def test_int_default_when_unset(monkeypatch):
    monkeypatch.delenv("NOTIFIER_TEST_VALUE", raising=False)

    assert env_int("NOTIFIER_TEST_VALUE", 7) == 7


def test_int_parsed(monkeypatch):
    monkeypatch.setenv("NOTIFIER_TEST_VALUE", "42")

    assert env_int("NOTIFIER_TEST_VALUE", 7, minimum=1) == 42


@pytest.mark.parametrize("raw, message", [
    ("abc", "NOTIFIER_TEST_VALUE must be an integer, got 'abc'"),
    ("0", "NOTIFIER_TEST_VALUE must be at least 1, got 0"),
    ("-5", "NOTIFIER_TEST_VALUE must be at least 1, got -5"),
])
def test_int_invalid_names_variable(monkeypatch, raw, message):
    monkeypatch.setenv("NOTIFIER_TEST_VALUE", raw)

    with pytest.raises(ImproperlyConfigured) as raised:
        env_int("NOTIFIER_TEST_VALUE", 7, minimum=1)

    assert str(raised.value) == message


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "ten"])
def test_float_rejects_non_finite(monkeypatch, raw):
    monkeypatch.setenv("NOTIFIER_TEST_VALUE", raw)

    with pytest.raises(ImproperlyConfigured) as raised:
        env_float("NOTIFIER_TEST_VALUE", 1.0)

    assert "NOTIFIER_TEST_VALUE" in str(raised.value)


@pytest.mark.parametrize("raw, expected", [("true", True), ("ON", True), ("0", False), ("no", False)])
def test_bool_values(monkeypatch, raw, expected):
    monkeypatch.setenv("NOTIFIER_TEST_VALUE", raw)

    assert env_bool("NOTIFIER_TEST_VALUE", not expected) is expected


def test_bool_invalid(monkeypatch):
    monkeypatch.setenv("NOTIFIER_TEST_VALUE", "maybe")

    with pytest.raises(ImproperlyConfigured):
        env_bool("NOTIFIER_TEST_VALUE", False)


def test_choice_invalid(monkeypatch):
    monkeypatch.setenv("NOTIFIER_TEST_VALUE", "LOUD")

    with pytest.raises(ImproperlyConfigured) as raised:
        env_choice("NOTIFIER_TEST_VALUE", "INFO", ("INFO", "DEBUG"))

    assert str(raised.value) == "NOTIFIER_TEST_VALUE must be one of INFO, DEBUG, got 'LOUD'"


def test_list_strips_blanks(monkeypatch):
    monkeypatch.setenv("NOTIFIER_TEST_VALUE", " a.example, ,b.example ")

    assert env_list("NOTIFIER_TEST_VALUE", []) == ["a.example", "b.example"]
