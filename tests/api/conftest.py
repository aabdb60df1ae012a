"""The demo province and its cases at every step, seeded once for the API tests (tests/api/) and rolled back after
them; each test runs in its own savepoint on top of it (the `db` fixture)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

# The personas of the fuzzing run and the contract tests: a cell secretary and a commune approver.
PERSONAS = {"secretary": "bithu.nasa", "approver": "btv.hoanhmo"}


@pytest.fixture(scope="package")
def province(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        call_command("seed_demo_cases", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
