"""Transfers during probation: inside the system (the receiving cell completes the recognition with its own chain)
and out of the system (the case closes here).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from admission.decisions.services.meetings import committee_meeting_record, vote_record
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.probation.models import ProbationStatus, TransferStatus
from admission.probation.selectors import probation_list_for_user
from admission.probation.services import next_step, recognition_step_complete, transfer_in, transfer_out
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import CandidateState
from tests.admission.probation.helpers import DECIDED, END, at, cell_vote, complete_dossier, probationer
from tests.factories import UserFactory, give_role

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")


# ------------------------------------------------------------------------------------------------------------------
# Transfers
# ------------------------------------------------------------------------------------------------------------------


def test_a_transfer_inside_the_system_hands_the_recognition_to_the_receiving_cell(world):
    probation = probationer(world)
    receiving = UserFactory(username="bithu.toan")
    give_role(receiving, world.cell, RoleKind.CELL_SECRETARY)
    with at(D(2026, 3, 2)):
        with pytest.raises(PermissionDenied):
            transfer_out(
                probation=probation, moved_on=D(2026, 3, 2), former_cell_comment="Tốt", to_cell=world.cell, by=receiving
            )
        transfer = transfer_out(
            probation=probation,
            moved_on=D(2026, 3, 2),
            former_cell_comment="Sáu tháng ở chi bộ: hoàn thành tốt nhiệm vụ.",
            to_cell=world.cell,
            by=world.secretary,
        )
    assert transfer.status == TransferStatus.PENDING
    helper = Membership.objects.filter(cell=world.cell).first()
    with at(D(2026, 3, 9)):
        with pytest.raises(PermissionDenied):
            transfer_in(transfer=transfer, received_on=D(2026, 3, 9), helpers=[helper], by=world.secretary)
        transfer_in(transfer=transfer, received_on=D(2026, 3, 9), helpers=[helper], by=receiving)
    probation.refresh_from_db()
    candidate = probation.candidate
    candidate.refresh_from_db()
    assert candidate.cell == world.cell
    assert probation.membership.cell == world.cell and probation.membership.admitted_on == DECIDED
    assert Membership.objects.get(pk=transfer.from_membership_id).left_cell_on == D(2026, 3, 2)
    # Both cells see it: the receiving cell as its case, the former one as its history.
    assert probation_list_for_user(user=world.secretary).filter(pk=probation.pk).exists()
    assert probation_list_for_user(user=receiving).filter(pk=probation.pk).exists()
    assert not probation_list_for_user(user=world.outsider).filter(pk=probation.pk).exists()
    # The receiving cell's chain: its own resolution, the partial committee's appraisal, the grassroots resolution.
    complete_dossier(probation, receiving)
    cell_vote(probation, receiving, D(2026, 8, 17), 3)
    forms = list(probation.steps.order_by("order").values_list("form", "org"))
    assert forms == [
        ("13-KNĐ", world.cell.pk),
        ("14-KNĐ", world.partial.pk),
        ("15-KNĐ", world.agency.pk),
        ("16-KNĐ", world.commune.pk),
    ]
    partial_officer = UserFactory(username="dubp")
    give_role(partial_officer, world.partial, RoleKind.COMMITTEE_MEMBER)
    with at(D(2026, 8, 24)):
        recognition_step_complete(step=next_step(probation), by=partial_officer, on=D(2026, 8, 24))
        step = next_step(probation)
        with pytest.raises(ValidationError, match="Record the vote"):
            recognition_step_complete(step=step, by=world.agency_officer, on=D(2026, 8, 24))
        meeting = committee_meeting_record(
            org=world.agency,
            body=VoteBody.GRASSROOTS_COMMITTEE,
            held_on=D(2026, 8, 24),
            purpose="recognition",
            members_total=9,
            present=8,
            by=world.agency_officer,
        )
        vote = vote_record(meeting=meeting, candidate=candidate, votes_for=6, votes_against=0, by=world.agency_officer)
        recognition_step_complete(step=step, by=world.agency_officer, on=D(2026, 8, 24), vote=vote)
        recognition_step_complete(step=next_step(probation), by=world.approver, on=D(2026, 8, 24), document_number="5")
    probation.membership.refresh_from_db()
    assert probation.membership.official_on == END


def test_a_transfer_out_of_the_system_closes_the_case_here(world):
    probation = probationer(world)
    with at(D(2026, 3, 2)):
        with pytest.raises(ValidationError, match="Choose the receiving cell"):
            transfer_out(probation=probation, moved_on=D(2026, 3, 2), former_cell_comment="Tốt", by=world.secretary)
        transfer_out(
            probation=probation,
            moved_on=D(2026, 3, 2),
            former_cell_comment="Tốt",
            destination="Đảng bộ phường Bãi Cháy",
            by=world.secretary,
        )
    probation.refresh_from_db()
    assert probation.status == ProbationStatus.TRANSFERRED_OUT
    assert probation.candidate.state == CandidateState.TRANSFERRED_OUT
