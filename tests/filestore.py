"""The file store under test: `file_store` runs a test once on the file system (MEDIA_ROOT in a temporary folder)
and once on the database store (admission.core.files), whatever FILE_STORE says; `database_store` only on the
database store. Import the fixture into a test module to use it. (The whole suite runs on the database store with
FILE_STORE=database in the environment.)"""

from __future__ import annotations

from typing import Any

import pytest

from config.env import FILE_STORES


def use_store(settings: Any, tmp_path: Any, kind: str) -> str:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": FILE_STORES[kind]}}
    return kind


@pytest.fixture(params=["filesystem", "database"])
def file_store(request: Any, settings: Any, tmp_path: Any) -> str:
    return use_store(settings, tmp_path, request.param)


@pytest.fixture
def database_store(settings: Any, tmp_path: Any) -> str:
    return use_store(settings, tmp_path, "database")
