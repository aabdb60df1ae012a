"""The login lockout: a budget per account from any address, a budget per address over all accounts, a limit on
the accounts one address may fail against (spraying), and the address read from X-Forwarded-For only when the
request comes from a configured proxy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.admission.accounts.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(username: str, *, ip: str, password: str = "wrong", **headers: Any) -> int:
    return Client().post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers).status_code


def test_an_account_is_locked_after_its_budget_whatever_the_address(world: Any, settings: Any) -> None:
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt("secretary", ip=f"198.51.100.{n + 1}")
    assert attempt("secretary", ip="203.0.113.50", password=PASSWORD) == 429
    assert attempt("outsider", ip="203.0.113.50", password=PASSWORD) == 302  # other accounts are not affected


def test_an_address_failing_against_many_accounts_is_stopped_even_with_a_right_password(
    world: Any, settings: Any
) -> None:
    """Spraying: one or two guesses on every account stays under each account's budget, not under the address's."""
    names = [UserFactory().username for _ in range(settings.LOCKOUT_ADDRESS_ACCOUNT_LIMIT)]
    statuses = [attempt(name, ip="198.51.100.7") for name in names]
    # The form again (a wrong password) until the address reaches the limit, as an account's budget does.
    assert statuses == [200] * (len(names) - 1) + [429]
    assert attempt("secretary", ip="198.51.100.7", password=PASSWORD) == 429
    assert attempt("secretary", ip="198.51.100.8", password=PASSWORD) == 302


def test_an_address_has_its_own_failure_budget(world: Any, settings: Any) -> None:
    settings.LOCKOUT_ADDRESS_ACCOUNT_LIMIT = 100
    per_account = settings.AXES_FAILURE_LIMIT - 1  # stay under each account's budget
    names = [UserFactory().username for _ in range(-(-settings.LOCKOUT_ADDRESS_FAILURE_LIMIT // per_account))]
    failures = 0
    for name in names:
        for _ in range(per_account):
            if failures < settings.LOCKOUT_ADDRESS_FAILURE_LIMIT:
                attempt(name, ip="198.51.100.7")
                failures += 1
    assert attempt("secretary", ip="198.51.100.7", password=PASSWORD) == 429


def test_logging_in_to_an_own_account_does_not_wipe_the_addresss_count(world: Any, settings: Any) -> None:
    names = [UserFactory().username for _ in range(settings.LOCKOUT_ADDRESS_ACCOUNT_LIMIT - 1)]
    for name in names:
        attempt(name, ip="198.51.100.7")
    assert attempt("outsider", ip="198.51.100.7", password=PASSWORD) == 302  # the attacker's own account
    attempt(UserFactory().username, ip="198.51.100.7")
    assert attempt("secretary", ip="198.51.100.7", password=PASSWORD) == 429


def test_a_right_password_clears_the_accounts_own_failures(world: Any, settings: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("secretary", ip="198.51.100.7")
    assert attempt("secretary", ip="198.51.100.7", password=PASSWORD) == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("secretary", ip="198.51.100.7")
    assert attempt("secretary", ip="198.51.100.7", password=PASSWORD) == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(world: Any, settings: Any) -> None:
    """A forged header cannot give each guess a fresh address."""
    names = [UserFactory().username for _ in range(settings.LOCKOUT_ADDRESS_ACCOUNT_LIMIT)]
    for n, name in enumerate(names):
        attempt(name, ip="198.51.100.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert attempt("secretary", ip="198.51.100.7", password=PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99") == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_address(world: Any, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    names = [UserFactory().username for _ in range(settings.LOCKOUT_ADDRESS_ACCOUNT_LIMIT)]
    for name in names:
        attempt(name, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66")
    # The sprayer is stopped; another client behind the same proxy is not; a forged left-most entry changes nothing.
    assert attempt("secretary", ip="10.0.0.2", password=PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.66") == 429
    assert attempt("secretary", ip="10.0.0.2", password=PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.67") == 302
    forged = "192.0.2.200, 192.0.2.66"
    assert attempt("outsider", ip="10.0.0.2", password=PASSWORD, HTTP_X_FORWARDED_FOR=forged) == 429
