"""The form pages of the removal proposal, the transfer (to a cell of the system, or outside it; through the
viewflow ProbationFlow the transfer re-routes the waiting task) and the deciding body's extension of its deadline;
a removed member's page.

Probation runs from 15/08/2025 (decision of 01/08/2025) to 15/08/2026; today is frozen on 15/06/2026 unless a test
travels elsewhere.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.probation.models import (
    ProbationRemoval,
    ProbationStatus,
    ProbationTransfer,
    RemovalStatus,
    TransferStatus,
)
from admission.probation.services import probation_deadlines
from tests.admission.probation.helpers import TODAY, at, cell_vote, complete_dossier, login, u
from tests.factories import MembershipFactory, UserFactory, give_role
from tests.workflows.test_admission_flow import MEETING, open_case, run, step_data, vote_data
from tests.workflows.test_probation_flow import waiting

D = datetime.date
pytestmark = pytest.mark.usefixtures("english", "frozen_today")


# ------------------------------------------------------------------------------------------------------------------
# Removal, transfer, extension
# ------------------------------------------------------------------------------------------------------------------


def test_the_cell_proposes_the_removal(client, world, probation):
    c = login(client, world.secretary)
    response = c.post(
        u("probation_removal", probation),
        {"reason_code": "abandoned_activity", "reason": "Bỏ sinh hoạt ba tháng", "proposed_on": "15/06/2026"},
    )
    assert response.status_code == 302
    removal = ProbationRemoval.objects.get(probation=probation)
    assert (removal.status, removal.reason_code, removal.proposed_by_org) == (
        RemovalStatus.PROPOSED,
        "abandoned_activity",
        world.village_cell,
    )
    page = c.get(u("probation", probation)).content.decode()
    assert "Bỏ sinh hoạt ba tháng" in page and 'data-testid="action-removal"' not in page
    assert "decides the removal proposed on 15/06/2026" in page


def test_a_removal_without_its_details_is_422(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_removal", probation), {"reason_code": "other", "reason": "", "proposed_on": "15/06/2026"}
    )
    assert response.status_code == 422
    assert not ProbationRemoval.objects.exists()


def test_a_second_removal_while_one_waits_comes_back_with_the_reason(client, world, probation):
    c = login(client, world.secretary)
    data = {"reason_code": "other", "reason": "Lý do", "proposed_on": "15/06/2026"}
    assert c.post(u("probation_removal", probation), data).status_code == 302
    response = c.post(u("probation_removal", probation), data)
    assert response.status_code == 422
    assert "already waiting" in response.content.decode()


def test_the_cell_transfers_the_member_and_the_receiving_cell_reads_its_comments(client, world, probation):
    c = login(client, world.secretary)
    form = c.get(u("probation_transfer", probation))
    cells = list(form.context["form"].fields["to_cell"].queryset)
    assert world.cell in cells and world.other_cell in cells and world.village_cell not in cells
    response = c.post(
        u("probation_transfer", probation),
        {"moved_on": "10/06/2026", "to_cell": world.cell.pk, "former_cell_comment": "Chấp hành tốt, nhiệt tình."},
    )
    assert response.status_code == 302
    transfer = ProbationTransfer.objects.get(probation=probation)
    assert (transfer.status, transfer.to_cell, transfer.from_cell) == (
        TransferStatus.PENDING,
        world.cell,
        world.village_cell,
    )
    receiver = UserFactory(username="bithu.toan")
    give_role(receiver, world.cell, RoleKind.CELL_SECRETARY)
    client.logout()
    page = login(client, receiver).get(u("probation", probation))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chấp hành tốt, nhiệt tình." in html and f"{world.cell.name} receives the member" in html
    assert 'data-testid="action-' not in html  # the receiving cell acts through its task, not here


def test_a_transfer_outside_the_system_closes_the_probation(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_transfer", probation),
        {"moved_on": "10/06/2026", "destination": "Đảng bộ tỉnh Lạng Sơn", "former_cell_comment": "Tốt."},
    )
    assert response.status_code == 302
    probation.refresh_from_db()
    assert probation.status == ProbationStatus.TRANSFERRED_OUT


def test_a_transfer_naming_both_a_cell_and_an_outside_organisation_is_422(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_transfer", probation),
        {"moved_on": "10/06/2026", "to_cell": world.cell.pk, "destination": "Nơi khác", "former_cell_comment": "x"},
    )
    assert response.status_code == 422
    assert not ProbationTransfer.objects.exists()


def test_a_transfer_without_the_former_cells_comments_is_422(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_transfer", probation), {"moved_on": "10/06/2026", "to_cell": world.cell.pk}
    )
    assert response.status_code == 422


def waiting_for_the_decision(probation, world):
    complete_dossier(probation, world.secretary)
    cell_vote(probation, world.secretary, D(2026, 8, 20), 3)


def test_the_deciding_body_extends_the_decisions_deadline_once(client, world, probation):
    waiting_for_the_decision(probation, world)
    before = probation_deadlines(probation.candidate).decision_due
    with at(D(2026, 9, 1)):
        c = login(client, world.approver)
        assert c.get(u("probation_extend", probation)).status_code == 200
        response = c.post(u("probation_extend", probation), {"reason": "Chờ xác minh bổ sung"})
        assert response.status_code == 302
        again = c.post(u("probation_extend", probation), {"reason": "Lần nữa"})
    probation.refresh_from_db()
    assert probation.decision_extension_reason == "Chờ xác minh bổ sung"
    assert probation_deadlines(probation.candidate).decision_due > before
    assert again.status_code == 422 and "already been extended" in again.content.decode()


def test_an_extension_without_a_reason_is_422(client, world, probation):
    waiting_for_the_decision(probation, world)
    with at(D(2026, 9, 1)):
        response = login(client, world.approver).post(u("probation_extend", probation), {"reason": ""})
    assert response.status_code == 422


def test_the_cell_cannot_extend_the_decisions_deadline(client, world, probation):
    waiting_for_the_decision(probation, world)
    with at(D(2026, 9, 1)):
        assert login(client, world.secretary).post(u("probation_extend", probation), {"reason": "x"}).status_code == 403
        client.logout()
        assert login(client, world.outsider).post(u("probation_extend", probation), {"reason": "x"}).status_code == 404
        client.logout()
        assert login(client, world.approver).delete(u("probation_extend", probation)).status_code == 405


def test_a_removed_member_shows_the_decision_and_no_buttons(client, world, probation):
    from admission.probation.services import removal_decide, removal_propose

    removal = removal_propose(
        probation=probation,
        reason_code="abandoned_activity",
        reason="Bỏ sinh hoạt",
        proposed_on=TODAY,
        by=world.secretary,
    )
    removal_decide(removal=removal, approve=True, decided_on=TODAY, decision_number="12-QĐ/ĐU", by=world.approver)
    response = login(client, world.secretary).get(u("probation", probation))
    html = response.content.decode()
    assert 'data-status="removed"' in html and "12-QĐ/ĐU" in html
    assert 'data-testid="action-' not in html and 'data-testid="probation-next"' not in html


@pytest.fixture
def flow_case(world):
    """A member admitted through the admission flow, whose ceremony of 20/04/2026 starts the ProbationFlow."""
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    with at(D(2026, 4, 1)):
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 4, 1), document_number="15-QĐ/ĐU"))
        run(case, "receive_decision", world.secretary, {"received_on": D(2026, 4, 1)})
    helpers = list(Membership.objects.filter(cell=world.village_cell).official_on(MEETING)[:1])
    with at(D(2026, 4, 20)):
        run(
            case,
            "ceremony",
            world.secretary,
            {"held_on": D(2026, 4, 20), "decision_read_by": "Bí thư", "mentors": helpers},
        )
    case.refresh_from_db()
    return case


def test_a_transfer_on_the_screen_hands_the_flows_work_to_the_receiving_cell(client, world, flow_case):
    """Through the viewflow ProbationFlow: the out-of-band transfer re-routes the waiting task (probation_changed)."""
    case = flow_case
    assert waiting(case)[1] == ["wait"]
    response = login(client, world.secretary).post(
        reverse("admission:candidates:probation_transfer", args=[case.pk]),
        {"moved_on": "10/06/2026", "to_cell": world.other_cell.pk, "former_cell_comment": "Chấp hành tốt."},
    )
    assert response.status_code == 302
    _process, names, tasks = waiting(case)
    assert names == ["receive_transfer"] and tasks[0].owner_permission_obj == world.other_cell
