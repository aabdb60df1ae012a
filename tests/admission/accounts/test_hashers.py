"""Passwords are kept with Argon2id at OWASP's minimum; a password kept by an earlier hasher still signs in and is
then kept with Argon2id."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher, make_password

from config.settings import base
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings: Any) -> None:
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_a_new_password_is_kept_with_argon2id_at_owasps_minimum(production_hashers: None) -> None:
    encoded = make_password("một mật khẩu dài 2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(encoded).verify("một mật khẩu dài 2026", encoded)
    assert not identify_hasher(encoded).verify("một mật khẩu dài 2025", encoded)


def test_a_password_kept_by_the_earlier_hasher_signs_in_and_is_kept_anew(production_hashers: None) -> None:
    user = UserFactory(username="bithu.cu")
    user.password = PBKDF2PasswordHasher().encode("mật-khẩu-cũ-2024", "muoimuoimuoi2024")
    user.save(update_fields=["password"])
    assert not user.check_password("sai-mật-khẩu")
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")  # a wrong password changes nothing
    assert user.check_password("mật-khẩu-cũ-2024")  # what signing in asks (ModelBackend.authenticate)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("mật-khẩu-cũ-2024")
