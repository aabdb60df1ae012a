"""Shared by the suites that must leave the history chain whole (flows, imports, demo)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from admission.audit.verify import chain_verify


def assert_history_holds() -> None:
    report = chain_verify()
    assert report.ok, "\n".join(str(finding) for finding in report.findings)


def uses_database(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "django_db_reset_sequences", "world"} & set(request.fixturenames)
    )


def history_holds_after(request: pytest.FixtureRequest) -> Iterator[None]:
    """For an autouse fixture (`yield from history_holds_after(request)`): after the test, `manage.py history_verify`
    would pass (every record equals its latest chain entry). The database fixture is set up inside it, so that the
    check runs before the test's transaction ends."""
    database = uses_database(request)
    if database:
        request.getfixturevalue("_django_db_helper")
    yield
    if database:
        assert_history_holds()
