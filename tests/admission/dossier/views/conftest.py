"""Fixtures of the dossier screens' tests: a frozen today (15/06/2026) and a Youth Union member's case at the dossier
step."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCertificate
from admission.sourcing.services.candidates import candidate_nominate
from tests.admission.dossier.views.helpers import D
from tests.factories import PersonFactory


@pytest.fixture
def frozen_today(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def case(world):
    person = PersonFactory(full_name="Lò Thị Mai", date_of_birth=D(2000, 4, 2), youth_union_member=True)
    candidate = candidate_nominate(
        person=person, cell=world.village_cell, nominated_by="cell", nominated_on=D(2025, 9, 1), by=world.secretary
    )
    AwarenessCertificate.objects.create(person=person, number="12/CN", issued_on=D(2025, 10, 10), issuer="TTCT")
    Candidate.objects.filter(pk=candidate.pk).update(state=CandidateState.DOSSIER)
    candidate.refresh_from_db()
    return candidate
