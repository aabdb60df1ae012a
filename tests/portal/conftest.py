"""Cases for the portal tests, walked through the real flows (so that the open task and its due date are real).

The clock is frozen at NOW for every test; `clock` is the traveller, to move it (rate-limit windows)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import translation

from admission.party.models.people import Membership
from admission.sourcing.models.candidates import Candidate
from tests.factories import PersonFactory
from workflows import services
from workflows.steps import STEPS

D = datetime.date
NOW = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)  # Monday 2 March 2026, 09:00 in Hà Nội
TODAY = D(2026, 3, 2)
BORN = D(1998, 6, 1)
PIN = "246810"


@pytest.fixture(autouse=True)
def clock(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"), time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def run(case: Candidate, node: str, user: Any, data: dict[str, Any]) -> None:
    case.refresh_from_db()
    spec = STEPS[node]
    services.run_step(candidate=case, node_name=node, user=user, action=lambda: spec.action(case, user, data))


def nominate(world: Any, *, user: Any = None, cell: Any = None, born: datetime.date = BORN, **person: Any) -> Candidate:
    person_row = PersonFactory(user=user, date_of_birth=born, **person)
    return services.case_nominate(
        person=person_row,
        cell=cell or world.village_cell,
        nominated_by="youth_union",
        nominated_on=D(2025, 11, 3),
        by=world.secretary,
    )


def to_dossier(case: Candidate, world: Any) -> Candidate:
    """Sympathiser list, helpers, an outside certificate, the dossier opened: the admission flow waits for it."""
    secretary = world.secretary
    run(case, "list_sympathiser", secretary, {"meeting_on": D(2025, 11, 20)})
    mentors = list(Membership.objects.filter(cell=case.cell).official_on(TODAY)[:1])
    run(case, "assign_mentors", secretary, {"members": mentors, "assigned_on": D(2025, 11, 21)})
    run(
        case,
        "propose_training",
        secretary,
        {"certificate_number": f"{case.pk}/CN", "certificate_issued_on": D(2025, 12, 1), "certificate_issuer": "TTCT"},
    )
    run(case, "open_dossier", secretary, {"confirm": True})
    case.refresh_from_db()
    return case


@pytest.fixture
def own_case(world: Any) -> Candidate:
    """The candidate login's case, just nominated in the secretary's cell."""
    return nominate(world, user=world.candidate_user, full_name="Lò Thị Mai")


@pytest.fixture
def other_case(world: Any) -> Candidate:
    """Somebody else's case in the same cell."""
    return nominate(world, full_name="Hà Văn Khác", born=D(1990, 1, 1))
