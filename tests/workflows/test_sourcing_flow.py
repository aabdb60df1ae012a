"""The sourcing flow without HTTP: routing, the FSM and the flow never disagree, the right body's queue, races."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from admission.party.models.orgs import OrgKind
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import CandidateState
from admission.sourcing.models.training import EnrollmentState
from admission.sourcing.services.training import course_create
from tests.factories import PersonFactory, UserFactory, give_role
from workflows import services
from workflows.flows import AdmissionCaseFlow, SourcingFlow

TODAY = datetime.date(2026, 3, 2)

# Which open task goes with which case state: the invariant the flow and the FSM must keep.
EXPECTED_STATE = {
    "list_sympathiser": CandidateState.NOMINATED,
    "assign_mentors": CandidateState.SYMPATHISER,
    "propose_training": CandidateState.SYMPATHISER,
    "approve_attendance": CandidateState.SYMPATHISER,
    "record_result": CandidateState.IN_TRAINING,
    "open_dossier": CandidateState.TRAINED,
}


def assert_in_step(candidate):
    candidate.refresh_from_db()
    tasks = services.open_tasks(candidate)
    process = services.process_for(candidate)
    if process.flow_class is AdmissionCaseFlow:  # the dossier is open: the admission's own flow took over
        assert tasks[0].flow_task.name == "prepare_dossier" and candidate.state == CandidateState.DOSSIER
        return None
    if process.status == PROCESS.DONE:
        assert tasks == [] and candidate.state == CandidateState.DOSSIER
        return None
    if process.status == PROCESS.CANCELED:
        assert tasks == [] and candidate.state in CandidateState.closed_states()
        return None
    assert len(tasks) == 1, tasks
    assert EXPECTED_STATE[tasks[0].flow_task.name] == candidate.state
    return tasks[0].flow_task.name


@pytest.fixture
def setup(world):
    trainer = UserFactory(username="trainer")
    give_role(trainer, world.commune, RoleKind.TRAINING_OFFICER)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        course = course_create(
            name="Lớp bồi dưỡng nhận thức về Đảng khóa 1/2026",
            organiser=world.commune,
            issuer_name="Đảng ủy xã Hoành Mô",
            starts_on=datetime.date(2026, 3, 10),
            ends_on=datetime.date(2026, 3, 14),
            capacity=2,
            by=trainer,
        )
    return world, trainer, course


def nominate(world, person=None):
    return services.case_nominate(
        person=person or PersonFactory(date_of_birth=datetime.date(2000, 4, 2)),
        cell=world.village_cell,
        nominated_by="youth_union",
        nominated_on=datetime.date(2026, 2, 20),
        by=world.secretary,
    )


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_case_walks_from_nomination_to_the_dossier_and_flow_and_fsm_agree_at_every_step(setup):
    world, trainer, course = setup
    case = nominate(world)
    assert assert_in_step(case) == "list_sympathiser"

    services.run_step(
        candidate=case,
        node_name="list_sympathiser",
        user=world.secretary,
        action=lambda: (
            __import__("workflows.steps", fromlist=["STEPS"])
            .STEPS["list_sympathiser"]
            .action(case, world.secretary, {"meeting_on": datetime.date(2026, 2, 27), "note": "Họp chi bộ tháng 2"})
        ),
    )
    assert assert_in_step(case) == "assign_mentors"

    members = list(Membership.objects.filter(cell=world.village_cell)[:2])
    run(case, "assign_mentors", world.secretary, {"members": members, "assigned_on": TODAY})
    assert assert_in_step(case) == "propose_training"

    run(case, "propose_training", world.secretary, {"course": course})
    assert assert_in_step(case) == "approve_attendance"
    task = services.open_task(case, "approve_attendance")
    assert task.owner_permission == "admission.act_for_org"
    assert str(task.owner_permission_obj_pk) == str(world.commune.pk)
    assert task.data["due_on"] == "2026-03-16"  # 10 working days after Mon 02/03/2026

    run(case, "approve_attendance", world.approver, {"approve": True, "decided_on": TODAY})
    assert assert_in_step(case) == "record_result"

    with time_machine.travel(datetime.datetime(2026, 3, 16, 9, 0, tzinfo=datetime.UTC), tick=False):
        run(
            case,
            "record_result",
            trainer,
            {"passed": True, "result_on": datetime.date(2026, 3, 14), "certificate_number": "12/CN", "note": ""},
        )
    assert assert_in_step(case) == "open_dossier"

    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        run(case, "open_dossier", world.secretary, {"confirm": True})
    assert assert_in_step(case) is None
    case.refresh_from_db()
    assert case.state == CandidateState.DOSSIER
    transitions = [log.transition for log in case_logs(case)]
    assert transitions == ["list_as_sympathiser", "start_training", "complete_training", "open_dossier"]
    assert all(log.by_id is not None for log in case_logs(case))


def run(case, node, user, data):
    from workflows.steps import STEPS

    return services.run_step(
        candidate=case, node_name=node, user=user, action=lambda: STEPS[node].action(case, user, data)
    )


def case_logs(case):
    from django_fsm_log.models import StateLog

    return StateLog.objects.for_(case).order_by("timestamp", "pk")


def prepare_until(world, course, node):
    case = nominate(world)
    run(case, "list_sympathiser", world.secretary, {"meeting_on": datetime.date(2026, 2, 27)})
    if node == "assign_mentors":
        return case
    members = list(Membership.objects.filter(cell=world.village_cell)[:1])
    run(case, "assign_mentors", world.secretary, {"members": members, "assigned_on": TODAY})
    if node == "propose_training":
        return case
    run(case, "propose_training", world.secretary, {"course": course})
    return case


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_refused_attendance_sends_the_case_back_to_the_cell_for_another_proposal(setup):
    world, _trainer, course = setup
    case = prepare_until(world, course, "approve_attendance")
    run(
        case,
        "approve_attendance",
        world.approver,
        {"approve": False, "decided_on": TODAY, "reason": "Chưa đủ điều kiện"},
    )
    assert assert_in_step(case) == "propose_training"
    assert case.enrollments.get().state == EnrollmentState.REFUSED


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_failed_course_returns_the_case_to_the_list_and_to_the_cells_proposal(setup):
    world, trainer, course = setup
    case = prepare_until(world, course, "approve_attendance")
    run(case, "approve_attendance", world.approver, {"approve": True, "decided_on": TODAY})
    with time_machine.travel(datetime.datetime(2026, 3, 16, 9, 0, tzinfo=datetime.UTC), tick=False):
        run(case, "record_result", trainer, {"passed": False, "result_on": datetime.date(2026, 3, 14), "note": "Vắng"})
    assert assert_in_step(case) == "propose_training"
    case.refresh_from_db()
    assert case.state == CandidateState.SYMPATHISER


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_certificate_from_elsewhere_skips_the_course_and_goes_to_the_dossier_step(setup):
    world, _trainer, course = setup
    case = prepare_until(world, course, "propose_training")
    run(
        case,
        "propose_training",
        world.secretary,
        {
            "certificate_number": "88/CN-TTCT",
            "certificate_issued_on": datetime.date(2024, 5, 4),
            "certificate_issuer": "Trung tâm Chính trị huyện Bình Liêu",
        },
    )
    assert assert_in_step(case) == "open_dossier"


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_an_expired_outside_certificate_is_refused_and_nothing_moves(setup):
    world, _trainer, course = setup
    case = prepare_until(world, course, "propose_training")
    with pytest.raises(ValidationError):
        run(
            case,
            "propose_training",
            world.secretary,
            {
                "certificate_number": "1/CN",
                "certificate_issued_on": datetime.date(2021, 3, 2),  # expired on 02/03/2026, today
                "certificate_issuer": "Trung tâm Chính trị huyện Hải Hà",
            },
        )
    assert assert_in_step(case) == "propose_training"
    assert not case.person.certificates.exists()


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_only_the_body_that_must_act_can_take_the_step(setup):
    world, trainer, course = setup
    case = nominate(world)
    for in_scope_but_not_acting in (world.approver, trainer):
        with pytest.raises(PermissionDenied):
            run(case, "list_sympathiser", in_scope_but_not_acting, {"meeting_on": datetime.date(2026, 2, 27)})
    for outsider in (world.outsider, world.agency_officer):
        with pytest.raises(Http404):
            run(case, "list_sympathiser", outsider, {"meeting_on": datetime.date(2026, 2, 27)})
    assert assert_in_step(case) == "list_sympathiser"
    case = prepare_until(world, course, "approve_attendance")
    with pytest.raises(PermissionDenied):
        run(case, "approve_attendance", world.secretary, {"approve": True, "decided_on": TODAY})


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_dated_roles_decide_who_takes_a_step_not_the_engines_object_grants(setup):
    """The engine's `act_for_org` grants mirror the roles (`role_permissions_sync`) and may lag a day: a grant left
    behind by an ended role does not let its holder act, and a role whose grant is not written yet does."""
    from guardian.shortcuts import assign_perm, remove_perm

    world, _trainer, _course = setup
    case = nominate(world)
    stale = UserFactory(username="stale-grant")
    give_role(stale, world.commune, RoleKind.STANDING_COMMITTEE_MEMBER)  # the cell is in scope, not theirs to act for
    assign_perm("admission.act_for_org", stale, world.village_cell)  # a grant with no role there behind it
    with pytest.raises(PermissionDenied):
        run(case, "list_sympathiser", stale, {"meeting_on": datetime.date(2026, 2, 27)})
    deputy = UserFactory(username="deputy-no-grant")
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY)
    remove_perm("admission.act_for_org", deputy, world.village_cell)
    run(case, "list_sympathiser", deputy, {"meeting_on": datetime.date(2026, 2, 27)})
    assert assert_in_step(case) == "assign_mentors"


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_second_user_to_complete_a_step_is_told_it_is_already_done(setup):
    world, _trainer, _course = setup
    deputy = UserFactory(username="deputy")
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY)
    case = nominate(world)
    run(case, "list_sympathiser", world.secretary, {"meeting_on": datetime.date(2026, 2, 27)})
    with pytest.raises(ValidationError) as excinfo:
        run(case, "list_sympathiser", deputy, {"meeting_on": datetime.date(2026, 2, 27)})
    assert "already done" in str(excinfo.value) or "đã được" in str(excinfo.value)


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_tasks_appear_only_in_the_queue_of_the_acting_body(setup):
    world, _trainer, _course = setup
    case = nominate(world)

    def queue(user):
        return Task.objects.user_queue(user, flow_class=SourcingFlow).filter(process=services.process_for(case))

    assert queue(world.secretary).count() == 1
    assert queue(world.approver).count() == 0
    assert queue(world.outsider).count() == 0


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_closing_a_case_cancels_its_open_tasks(setup):
    world, _trainer, course = setup
    case = prepare_until(world, course, "approve_attendance")
    services.case_close(candidate=case, withdrawn=True, reason="Chuyển công tác", on=TODAY, by=world.secretary)
    assert assert_in_step(case) is None
    assert services.process_for(case).status == PROCESS.CANCELED
    assert case.enrollments.get().state == EnrollmentState.WITHDRAWN
    assert not Task.objects.filter(process=services.process_for(case), status=STATUS.NEW).exists()


def test_a_grassroots_committee_approves_attendance_for_its_cells(world):
    cell = world.agency_cell
    assert cell.kind == OrgKind.CELL
    from admission.party.hierarchy import training_approver

    assert training_approver(cell, TODAY) == world.agency
    assert training_approver(world.cell, TODAY) == world.agency  # skips the partial committee
    assert training_approver(world.village_cell, TODAY) == world.commune
