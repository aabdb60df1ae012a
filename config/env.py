"""Environment helpers that fail loudly: a missing or malformed setting stops the process at start."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a boolean (use 1/0, true/false).")


def env_list(name: str, default: str | None = None) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer from the environment; outside [minimum, maximum] (when given) the process refuses to start."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not an integer.") from exc
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"Environment variable {name}={value} must lie between {minimum} and {maximum}.")
    return value


FILE_STORES = {
    "filesystem": "django.core.files.storage.FileSystemStorage",  # MEDIA_ROOT on this host's disk
    "database": "admission.core.files.DatabaseStorage",  # rows of PostgreSQL, shared by every host
}


def file_storage(default: str) -> str:
    """The storage backend FILE_STORE names (`filesystem` or `database`)."""
    kind = env_str("FILE_STORE", default).strip().lower()
    if kind not in FILE_STORES:
        raise ImproperlyConfigured(f"FILE_STORE={kind!r}: use one of {', '.join(FILE_STORES)}.")
    return FILE_STORES[kind]
