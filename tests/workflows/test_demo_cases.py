"""The demo cases cover every step of the sourcing flow, with the flow and the case state in agreement."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from admission.models import Candidate, CandidateState
from tests.workflows.test_sourcing_flow import assert_in_step

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_case_waiting_at_each_step_and_runs_once():
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    call_command("seed_demo_cases", stdout=io.StringIO())
    cases = list(Candidate.objects.order_by("pk"))
    waiting = [assert_in_step(case) for case in cases]
    assert waiting == [
        "list_sympathiser",
        "assign_mentors",
        "propose_training",
        "approve_attendance",
        "record_result",
        "open_dossier",
        None,
        None,
    ]
    assert [c.state for c in cases][-2:] == [CandidateState.DOSSIER, CandidateState.WITHDRAWN]
    assert cases[0].person.user.username == "ungvien.nasa"
    call_command("seed_demo_cases", stdout=io.StringIO())
    assert Candidate.objects.count() == len(cases)
