from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); the interface itself is Vietnamese."""
    with translation.override("en"):
        yield
