"""Simultaneous guesses at the public lookup are counted one after the other, on PostgreSQL (advisory locks are
real only there): 40 parallel wrong guesses at one code get exactly LIMIT_PER_CODE answer checks, and 40 guesses
at 40 codes from one address exactly LIMIT_PER_CLIENT."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connection, connections

from portal import lookup
from portal.models import LookupAttempt

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent counting needs PostgreSQL"),
]

GUESSES = 40


def guess_in_parallel(code_of: Callable[[int], str], client: str = "203.0.113.7") -> tuple[int, list[Any]]:
    """Run GUESSES lookups at once (each thread with its own connection); return the answer checks and results."""
    checks = 0
    counting = threading.Lock()
    real_check = lookup.pin_check

    def counted_check(*args: Any, **kwargs: Any) -> bool:
        nonlocal checks
        with counting:
            checks += 1
        return real_check(*args, **kwargs)

    barrier = threading.Barrier(GUESSES)
    results: list[Any] = []

    def guess(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            results.append(lookup.lookup(client=client, code=code_of(n), pin="111111"))
        finally:
            connections.close_all()

    with mock.patch("portal.lookup.pin_check", counted_check):
        threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(results) == GUESSES
    return checks, results


def test_forty_simultaneous_guesses_at_one_code_get_exactly_five_checks() -> None:
    checks, results = guess_in_parallel(lambda n: "KN-2026-000777")
    assert checks == lookup.LIMIT_PER_CODE
    assert sum(r.blocked_until is not None for r in results) == GUESSES - lookup.LIMIT_PER_CODE
    assert LookupAttempt.objects.count() == 2 * lookup.LIMIT_PER_CODE  # one row per code key and client key


def test_forty_simultaneous_guesses_at_forty_codes_get_exactly_the_per_address_budget() -> None:
    checks, results = guess_in_parallel(lambda n: f"KN-2026-{n:06d}")
    assert checks == lookup.LIMIT_PER_CLIENT
    assert sum(r.blocked_until is not None for r in results) == GUESSES - lookup.LIMIT_PER_CLIENT


def test_another_address_is_not_held_back_by_a_blocked_one() -> None:
    guess_in_parallel(lambda n: "KN-2026-000777", client="203.0.113.7")
    assert lookup.lookup(client="203.0.113.8", code="KN-2026-000777", pin="111111").blocked_until is None
