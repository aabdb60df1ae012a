"""Fixtures of the dossier's service tests: a frozen today with English messages, and a case at the dossier step."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import translation

from tests.admission.dossier.services.helpers import make_case


@pytest.fixture
def frozen_today(settings, tmp_path):
    """A fixed today, English messages (match= reads the msgids), and scans written to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    with (
        translation.override("en"),
        time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False),
    ):
        yield


@pytest.fixture
def case(world):
    return make_case(world)
