from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _in_english(english):
    """Messages are asserted in English (the msgids); the interface itself is Vietnamese."""
