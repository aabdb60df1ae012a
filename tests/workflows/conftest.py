"""Every flow test leaves the history chain whole: each state change, task, vote and decision it made is chained and
still matches its entry (`manage.py history_verify`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.admission.audit.helpers import history_holds_after


@pytest.fixture(autouse=True)
def _history_holds(request: pytest.FixtureRequest) -> Iterator[None]:
    yield from history_holds_after(request)
