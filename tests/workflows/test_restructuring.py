"""Restructuring while cases wait (issue 14): a committee dissolved into a successor hands its waiting chain step, the
open task and the work page's row to the successor, with the deadline unchanged and both bodies in the history;
a merge of two cells moves the members and the open cases; a future-dated operation waits for its date and the
daily command."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from admission.audit.models import HistoryEntry
from admission.decisions.models.decisions import StepStatus
from admission.decisions.services.decisions import admission_deadlines, next_step
from admission.dossier.introducers import check_introducer
from admission.dossier.models import Introduction
from admission.party.models.guests import CellGuest
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.people import Membership
from admission.party.models.restructuring import RestructuringKind, RestructuringOperation, RestructuringStatus
from admission.party.models.roles import Role, RoleKind
from admission.party.selectors import guests_of
from admission.restructuring import services as restructuring
from admission.sourcing import selectors as sourcing_selectors
from admission.sourcing.models.candidates import Candidate, CandidateState, Mentor
from tests.factories import MembershipFactory, UserFactory, give_role, make_org
from tests.workflows.test_admission_flow import MEETING, at, open_case, run, step_data, vote_data
from workflows import services
from workflows.models import WorkItem
from workflows.worklist import work_for_user

D = datetime.date
DAY = D(2026, 3, 10)  # a week after the cell's resolution

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def setup(world):
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    board = UserFactory(username="province-board")
    give_role(board, world.province, RoleKind.ORG_BOARD_OFFICER)
    successor_approver = UserFactory(username="successor-approver")
    give_role(successor_approver, world.other_commune, RoleKind.STANDING_COMMITTEE_MEMBER)
    return world, board, successor_approver


def proposed_case(world):
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 4))
    return Candidate.objects.get(pk=case.pk)


def test_a_dissolved_committee_hands_its_waiting_step_to_the_successor(setup):
    world, board, successor_approver = setup
    case = proposed_case(world)
    task = services.open_tasks(case)[0]
    due_before = task.data["due_on"]
    assert next_step(case).org == world.commune
    assert WorkItem.objects.get(task=task).org == world.commune
    with at(DAY):
        operation = restructuring.restructuring_request(
            user=board,
            kind=RestructuringKind.DISSOLVE,
            org=world.commune,
            target=world.other_commune,
            effective_on=DAY,
            reason="Nghị quyết sáp nhập xã",
        )
    assert operation.status == RestructuringStatus.APPLIED
    assert operation.owner_org == world.province and operation.requested_by == board
    world.commune.refresh_from_db()
    assert world.commune.valid_to == DAY and world.commune.merged_into == world.other_commune
    # The step re-resolves to the successor, and remembers the body it came from.
    step = next_step(case)
    assert step.org == world.other_commune and step.moved_from == world.commune and step.moved_by == operation
    assert case.chain_steps.filter(status=StepStatus.PENDING).count() == 1
    # The open task and its row on the work page follow; the deadline still counts from the cell's resolution.
    task.refresh_from_db()
    assert task.owner_permission_obj_pk == str(world.other_commune.pk)
    assert task.data["due_on"] == due_before == admission_deadlines(case).decision_due.isoformat()
    assert task.data["moved_from"][0]["org"] == world.commune.pk
    item = WorkItem.objects.get(task=task)
    assert item.org == world.other_commune
    assert item.due_on.isoformat() == due_before
    with at(DAY):
        assert [row.item.task_id for row in work_for_user(user=successor_approver)] == [task.pk]
        assert work_for_user(user=world.approver) == []  # the dissolved commune's role ended with it
    assert Role.objects.get(user=world.approver, org=world.commune).ends_on == DAY
    # The history names both bodies.
    timeline = sourcing_selectors.candidate_timeline(candidate=case)
    moved = [entry for entry in timeline if entry.transition == "restructure"]
    assert moved and world.commune.name in moved[0].description and world.other_commune.name in moved[0].description
    assert services.task_history(case)[-1]["moved_from"][0]["org_name"] == world.commune.name
    # The successor's standing committee can now decide.
    with at(DAY):
        run(case, "chain_step", successor_approver, step_data(case, on=DAY, document_number="7-QĐ/ĐU"))
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED


def test_a_merge_of_two_cells_moves_the_members_and_the_open_cases(setup):
    world, board, _ = setup
    case = proposed_case(world)
    other_case = open_case(world, world.village_cell, world.secretary)  # waiting for the cell's vote
    receiving = make_org(OrgKind.GRASSROOTS_CELL, world.commune, name="Chi bộ thôn Nà Sa mới")
    MembershipFactory(cell=receiving)
    members_before = set(
        Membership.objects.filter(cell=world.village_cell, left_cell_on__isnull=True).values_list("person", flat=True)
    )
    with at(DAY):
        restructuring.restructuring_request(
            user=board,
            kind=RestructuringKind.MERGE,
            org=world.village_cell,
            target=receiving,
            effective_on=DAY,
            reason="Hợp nhất chi bộ",
        )
    assert not Membership.objects.filter(cell=world.village_cell, left_cell_on__isnull=True).exists()
    moved = set(Membership.objects.filter(cell=receiving, joined_cell_on=DAY).values_list("person", flat=True))
    assert moved == members_before
    for c in (case, other_case):
        c.refresh_from_db()
        assert c.cell == receiving
    # The cell's own task follows the case to the receiving cell; the commune's decision stays with the commune.
    vote_task = services.open_tasks(other_case)[0]
    assert vote_task.flow_task.name == "cell_vote"
    assert vote_task.owner_permission_obj_pk == str(receiving.pk)
    assert WorkItem.objects.get(task=vote_task).cell_path == receiving.path
    assert next_step(case).org == world.commune and next_step(case).moved_from is None


def test_a_future_operation_waits_for_its_date_and_the_daily_command(setup):
    world, board, _ = setup
    case = proposed_case(world)
    later = D(2026, 4, 1)
    with at(DAY):
        operation = restructuring.restructuring_request(
            user=board,
            kind=RestructuringKind.DISSOLVE,
            org=world.commune,
            target=world.other_commune,
            effective_on=later,
            reason="Nghị quyết sáp nhập xã",
        )
    assert operation.status == RestructuringStatus.SCHEDULED
    with at(later - datetime.timedelta(days=1)):
        call_command("restructure_apply")
    operation.refresh_from_db()
    world.commune.refresh_from_db()
    assert operation.status == RestructuringStatus.SCHEDULED and world.commune.valid_to is None
    assert next_step(case).org == world.commune
    with at(later):
        call_command("restructure_apply")
    operation.refresh_from_db()
    assert operation.status == RestructuringStatus.APPLIED
    assert next_step(case).org == world.other_commune
    assert services.open_tasks(case)[0].owner_permission_obj_pk == str(world.other_commune.pk)


def test_the_command_reports_an_operation_the_tree_no_longer_allows(setup):
    world, board, _ = setup
    later = D(2026, 4, 1)
    with at(DAY):
        restructuring.restructuring_request(
            user=board,
            kind=RestructuringKind.DISSOLVE,
            org=world.commune,
            target=world.other_commune,
            effective_on=later,
            reason="Sáp nhập",
        )
        # Meanwhile the successor itself is dissolved (an administrator's direct change in the data).
        PartyOrg.objects.filter(pk=world.other_commune.pk).update(valid_to=D(2026, 3, 20))
    with at(later), pytest.raises(CommandError):
        call_command("restructure_apply")
    assert RestructuringOperation.objects.get().status == RestructuringStatus.SCHEDULED


def test_a_move_re_resolves_the_chain_from_the_new_superior(setup):
    world, board, successor_approver = setup
    case = proposed_case(world)
    with at(DAY):
        restructuring.restructuring_request(
            user=board,
            kind=RestructuringKind.MOVE,
            org=world.village_cell,
            target=world.other_commune,
            effective_on=DAY,
            reason="Điều chỉnh địa giới",
        )
    assert next_step(case).org == world.other_commune
    with at(DAY):
        assert len(work_for_user(user=successor_approver)) == 1


def test_a_rename_keeps_the_old_name_in_the_record(setup):
    world, board, _ = setup
    with at(DAY):
        operation = restructuring.restructuring_request(
            user=board,
            kind=RestructuringKind.RENAME,
            org=world.village_cell,
            new_name="Chi bộ thôn Nà Sa 1",
            effective_on=DAY,
            reason="Đổi tên thôn",
        )
    world.village_cell.refresh_from_db()
    assert world.village_cell.name == "Chi bộ thôn Nà Sa 1" and operation.old_name == "Chi bộ thôn Nà Sa"


def test_a_merge_re_points_introducers_helpers_and_guests_and_is_chained(setup):
    """The moved members keep introducing and helping (the open records follow the new membership, with history),
    the guests of the merged cell take part in the successor's meetings, and the operation is in the history chain."""
    world, board, _ = setup
    case = open_case(world, world.village_cell, world.secretary)
    receiving = make_org(OrgKind.GRASSROOTS_CELL, world.commune, name="Chi bộ thôn Nà Sa mới")
    MembershipFactory(cell=receiving)
    member = Membership.objects.filter(cell=world.village_cell, left_cell_on__isnull=True).first()
    introduction = Introduction.objects.create(
        candidate=case, introducer=member, worked_together_from=D(2020, 1, 1), written_on=D(2026, 2, 1)
    )
    mentor = Mentor.objects.create(candidate=case, member=member, assigned_on=D(2026, 2, 1))
    visitor = MembershipFactory(cell=world.other_cell)
    guest = CellGuest.objects.create(
        membership=visitor, host_cell=world.village_cell, starts_on=D(2026, 1, 1), reason="Đồn biên phòng"
    )
    with at(DAY):
        operation = restructuring.restructuring_request(
            user=board,
            kind=RestructuringKind.MERGE,
            org=world.village_cell,
            target=receiving,
            effective_on=DAY,
            reason="Hợp nhất chi bộ",
        )
    new = Membership.objects.get(person=member.person, left_cell_on__isnull=True)
    assert new.cell == receiving and new.pk != member.pk
    introduction.refresh_from_db()
    mentor.refresh_from_db()
    assert introduction.introducer == new and mentor.member == new
    assert introduction.history.filter(history_change_reason__endswith="Hợp nhất chi bộ", introducer=new).exists()
    assert mentor.history.filter(history_change_reason__endswith="Hợp nhất chi bộ", member=new).exists()
    case.refresh_from_db()
    results = check_introducer(
        introducer=introduction.introducer,
        worked_together_from=introduction.worked_together_from,
        worked_together_to=None,
        rule_set=case.rule_set,
        meeting_on=DAY,
        cell=case.cell,
    )
    assert {r.code: r.passed for r in results}["introducer_present"]
    guest.refresh_from_db()
    assert guest.ends_on == DAY and guest.host_cell == world.village_cell  # the meetings before keep their roster
    follow_on = CellGuest.objects.get(membership=visitor, host_cell=receiving)
    assert follow_on.starts_on == DAY and follow_on.ends_on is None and follow_on.reason == "Đồn biên phòng"
    assert list(guests_of(cell=receiving, on=DAY)) == [follow_on]
    entries = HistoryEntry.objects.filter(
        kind="restructuring", record=f"admission.restructuringoperation:{operation.pk}"
    )
    assert entries.exists() and entries.last().data["status"] == RestructuringStatus.APPLIED


def test_an_effective_date_before_the_latest_record_of_the_subtree_is_refused(setup):
    world, board, _ = setup
    proposed_case(world)  # the cell met on MEETING
    receiving = make_org(OrgKind.GRASSROOTS_CELL, world.commune, name="Chi bộ thôn Nà Sa mới")
    before = MEETING - datetime.timedelta(days=1)
    with at(DAY), pytest.raises(ValidationError, match="cannot be before") as refused:
        restructuring.restructuring_request(
            user=board,
            kind=RestructuringKind.MERGE,
            org=world.village_cell,
            target=receiving,
            effective_on=before,
            reason="Hợp nhất chi bộ",
        )
    assert MEETING.strftime("%d/%m/%Y") in refused.value.messages[0]
    assert not RestructuringOperation.objects.exists()
    assert not Membership.objects.filter(cell=world.village_cell, left_cell_on__isnull=False).exists()
    with at(DAY):
        operation = restructuring.restructuring_request(
            user=board,
            kind=RestructuringKind.MERGE,
            org=world.village_cell,
            target=receiving,
            effective_on=MEETING,
            reason="Hợp nhất chi bộ",
        )
    assert operation.status == RestructuringStatus.APPLIED
