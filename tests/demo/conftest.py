"""The demo is seeded through the real services and flows, so the history chain it leaves must hold: every test
here ends with `manage.py history_verify`'s check."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.admission.audit.helpers import history_holds_after


@pytest.fixture(autouse=True)
def _history_holds(request: pytest.FixtureRequest) -> Iterator[None]:
    yield from history_holds_after(request)
