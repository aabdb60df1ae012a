"""Two approvers decide the same case at the same moment, on PostgreSQL (row locks are real only there): one wins,
the other is told the step is already done, and the case is admitted once."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.services.decisions import next_step
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import Candidate, CandidateState
from tests.conftest import restore_migration_seed
from tests.factories import MembershipFactory, UserFactory, give_role
from tests.workflows.test_admission_flow import MEETING, at, open_case, run, vote_data
from workflows import services
from workflows.steps import STEPS

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # keep the rule sets seeded by migration
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def rule_sets():
    """A transactional test before this one may have flushed what migrations seed: make it again."""
    restore_migration_seed()


def test_two_approvers_deciding_at_once_admit_the_case_once(rule_sets, world):
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    colleague = UserFactory(username="approver-2")
    give_role(colleague, world.commune, RoleKind.STANDING_COMMITTEE_MEMBER)
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    step = next_step(case)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(user, number):
        # Each approver's request reads its own copy of the case, as two web requests would.
        own = Candidate.objects.get(pk=case.pk)
        data = {
            "step": step,
            "outcome": "approve",
            "on": datetime.date(2026, 4, 1),
            "note": "",
            "document_number": number,
        }
        try:
            with translation.override("en"), at(datetime.date(2026, 4, 1)):
                barrier.wait(timeout=10)
                services.run_step(
                    candidate=own,
                    node_name="chain_step",
                    user=user,
                    action=lambda: STEPS["chain_step"].action(own, user, data),
                )
            outcomes[user.username] = "won"
        except ValidationError as exc:
            outcomes[user.username] = " ".join(exc.messages)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(world.approver, "15-QĐ/ĐU")),
        threading.Thread(target=decide, args=(colleague, "16-QĐ/ĐU")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["approver", "approver-2"]
    assert list(outcomes.values()).count("won") == 1, outcomes
    loser = next(message for message in outcomes.values() if message != "won")
    assert "already done" in loser or "not waiting" in loser or "already been done" in loser
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED
    decisions = ChainStepRecord.objects.filter(candidate=case, form="9-KNĐ", status=StepStatus.DONE)
    assert decisions.count() == 1
