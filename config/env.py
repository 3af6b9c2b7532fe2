"""Strict parsing of settings from environment variables.

A value that cannot be parsed raises ImproperlyConfigured naming the variable,
so a typo stops the process at start instead of running with a silent default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off"}


def env_str(name: str, default: str, allow_empty: bool = True) -> str:
    value = os.environ.get(name, default)
    if not allow_empty and not value.strip():
        raise ImproperlyConfigured(f"{name} must not be empty")
    return value


def env_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = os.environ.get(name) or default
    scheme, separator, rest = value.partition("://")
    if not separator or scheme not in schemes or not rest:
        raise ImproperlyConfigured(f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}, "
                                   f"got {value!r}")
    return value


def env_int(name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {value}")
    return _at_least(name, value, minimum)


def env_float(name: str, default: float, minimum: float | None = None) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ImproperlyConfigured(f"{name} must be a finite number, got {raw!r}")
    return _at_least(name, value, minimum)


def env_choice(name: str, default: str, choices: tuple[str, ...], upper: bool = False) -> str:
    value = os.environ.get(name) or default
    if upper:
        value = value.upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _at_least(name, value, minimum):
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, got {raw!r}")


def env_list(name: str, default: list[str], allow_empty: bool = True) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not allow_empty and not items:
        raise ImproperlyConfigured(f"{name} must list at least one value")
    return items
