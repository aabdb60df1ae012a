"""The cell's recognition vote: the 2/3 threshold both ways, removal (proposed by a vote, by the cell, by a refusal
in the chain) and the committee's decision, escalation after three inconclusive votes.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from admission.probation.models import ProbationStatus, RemovalStatus
from admission.probation.services import (
    VoteOutcome,
    escalation_decide,
    next_step,
    recognition_step_refuse,
    removal_decide,
    removal_propose,
)
from admission.sourcing.models.candidates import CandidateState
from tests.admission.probation.helpers import END, at, cell_vote, complete_dossier, probationer
from tests.factories import MembershipFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def six(world):
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)  # six official members in all
    return world


# ------------------------------------------------------------------------------------------------------------------
# Votes: the threshold both ways, removal, escalation
# ------------------------------------------------------------------------------------------------------------------


def test_exactly_two_thirds_of_the_official_members_recognises_and_one_vote_fewer_does_not(six):
    world = six
    probation = probationer(world)
    MembershipFactory(
        cell=world.village_cell, official_on=None, admitted_on=D(2026, 1, 1), joined_cell_on=D(2026, 2, 1)
    )
    complete_dossier(probation, world.secretary)
    short = cell_vote(probation, world.secretary, D(2026, 8, 17), 3)
    assert (short.vote.denominator, short.vote.needed) == (6, 4)  # two probationary members never count
    assert short.outcome == VoteOutcome.INCONCLUSIVE
    exact = cell_vote(probation, world.secretary, D(2026, 8, 18), 4)
    assert exact.outcome == VoteOutcome.RECOGNISE


def test_votes_against_reaching_two_thirds_propose_the_removal_which_the_committee_decides(six):
    world = six
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    with pytest.raises(ValidationError, match="reason for the removal"):
        cell_vote(probation, world.secretary, D(2026, 8, 17), 1, 4)
    result = cell_vote(
        probation,
        world.secretary,
        D(2026, 8, 17),
        1,
        4,
        removal_reason_code="not_qualified",
        removal_reason="Không đủ tư cách",
    )
    assert result.outcome == VoteOutcome.REMOVE
    removal = probation.removals.get()
    with at(D(2026, 9, 1)):
        with pytest.raises(PermissionDenied):
            removal_decide(
                removal=removal, approve=True, decided_on=D(2026, 9, 1), decision_number="8", by=world.secretary
            )
        removal_decide(
            removal=removal, approve=True, decided_on=D(2026, 9, 1), decision_number="8-QĐ", by=world.approver
        )
    probation.refresh_from_db()
    probation.membership.refresh_from_db()
    assert probation.candidate.state == CandidateState.REMOVED
    assert probation.status == ProbationStatus.REMOVED
    assert probation.membership.left_cell_on == D(2026, 9, 1)
    assert probation.membership.official_on is None


def test_the_cell_may_propose_removal_during_probation_and_a_rejected_removal_keeps_it_running(world):
    probation = probationer(world)
    with at(D(2026, 3, 2)):
        with pytest.raises(ValidationError, match="Choose the reason"):
            removal_propose(
                probation=probation, reason_code="bad", reason="x", proposed_on=D(2026, 3, 2), by=world.secretary
            )
        removal = removal_propose(
            probation=probation,
            reason_code="discipline",
            reason="Vi phạm",
            proposed_on=D(2026, 3, 2),
            by=world.secretary,
        )
        removal_decide(removal=removal, approve=False, decided_on=D(2026, 3, 2), by=world.approver)
    probation.refresh_from_db()
    removal.refresh_from_db()
    assert removal.status == RemovalStatus.REJECTED
    assert probation.status == ProbationStatus.RUNNING
    assert probation.candidate.state == CandidateState.PROBATIONARY


def test_a_refused_recognition_proposes_the_removal(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    cell_vote(probation, world.secretary, D(2026, 8, 17), 3)
    with at(D(2026, 9, 1)):
        removal = recognition_step_refuse(
            step=next_step(probation), reason="Chưa đủ điều kiện", by=world.approver, on=D(2026, 9, 1)
        )
    assert removal.status == RemovalStatus.PROPOSED
    assert removal.reason_code == "failed_recognition"
    assert next_step(probation) is None


def test_after_three_inconclusive_votes_the_competent_committee_decides(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    first = cell_vote(probation, world.secretary, D(2026, 8, 17), 1, 1)
    second = cell_vote(probation, world.secretary, D(2026, 8, 24), 1, 1)
    assert not first.escalated and not second.escalated
    third = cell_vote(probation, world.secretary, D(2026, 8, 31), 1, 1)
    assert third.outcome == VoteOutcome.INCONCLUSIVE and third.escalated
    probation.refresh_from_db()
    assert (probation.escalated_on, probation.escalated_to) == (D(2026, 8, 31), world.commune)
    with pytest.raises(ValidationError, match="reported to"):
        cell_vote(probation, world.secretary, D(2026, 9, 7), 3)
    with at(D(2026, 9, 14)):
        with pytest.raises(PermissionDenied):
            escalation_decide(
                probation=probation, recognise=True, decided_on=D(2026, 9, 14), document_number="9", by=world.secretary
            )
        escalation_decide(
            probation=probation, recognise=True, decided_on=D(2026, 9, 14), document_number="90-QĐ", by=world.approver
        )
    probation.refresh_from_db()
    probation.membership.refresh_from_db()
    assert probation.candidate.state == CandidateState.OFFICIAL
    assert probation.membership.official_on == END


def test_an_escalated_case_can_end_in_removal(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    for day in (D(2026, 8, 17), D(2026, 8, 24), D(2026, 8, 31)):
        cell_vote(probation, world.secretary, day, 1, 1)
    probation.refresh_from_db()
    with at(D(2026, 9, 14)):
        escalation_decide(
            probation=probation,
            recognise=False,
            decided_on=D(2026, 9, 14),
            document_number="91-QĐ",
            reason_code="failed_recognition",
            reason="Ba lần biểu quyết không đạt",
            by=world.approver,
        )
    probation.refresh_from_db()
    assert probation.candidate.state == CandidateState.REMOVED
    assert probation.removals.get().status == RemovalStatus.DECIDED
