"""Sending a case back (issue 14): a certificate expires while the dossier is open; the cell's vote is refused; the
case goes back to the course and forward again, its dossier kept, to the decision, with the flow, the FSM and the
history agreeing after every move; back to the dossier from a committee step, by the body whose turn it is or one
above it (never by one below); the statistics count the case once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog
from viewflow.workflow.status import PROCESS, STATUS

from admission.audit.models import HistoryEntry
from admission.decisions.models.decisions import StepStatus
from admission.decisions.models.send_backs import CaseSendBack, SendBackTarget
from admission.decisions.services import send_back as domain_send_back
from admission.decisions.services.decisions import chain_step_send_back, next_step
from admission.dossier.models import Application, Curriculum
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.reports.scope import build_scope
from admission.reports.statistics import Period
from admission.reports.statistics.counting import admission_counts
from admission.reports.statistics.pipeline import funnel
from admission.sourcing.models.candidates import CandidateState
from admission.sourcing.services.training import course_create
from demo.dossier import fill_dossier
from tests.factories import MembershipFactory, PersonFactory, UserFactory, give_role
from tests.workflows.test_admission_flow import assert_in_step, at, run, step_data
from workflows import send_back as flow_send_back
from workflows import services
from workflows.flows import AdmissionCaseFlow, SourcingFlow
from workflows.models import WorkItem

D = datetime.date
START = D(2026, 1, 5)
CERTIFICATE = D(2021, 2, 25)  # 60 months: valid until 24/02/2026, expired on 25/02/2026
MEETING = D(2026, 3, 2)
SECOND_MEETING = D(2026, 4, 6)


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def village(world):
    """The grassroots cell of the commune (six official members): resolution → the commune decides (9-KNĐ)."""
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    return world


def open_case_with_old_certificate(world):
    cell, secretary = world.village_cell, world.secretary
    with at(START):
        person = PersonFactory(date_of_birth=D(1998, 6, 1))
        case = services.case_nominate(
            person=person, cell=cell, nominated_by="cell", nominated_on=D(2025, 11, 3), by=secretary
        )
        run(case, "list_sympathiser", secretary, {"meeting_on": D(2025, 11, 20)})
        mentors = list(Membership.objects.filter(cell=cell).official_on(START)[:1])
        run(case, "assign_mentors", secretary, {"members": mentors, "assigned_on": D(2025, 11, 21)})
        certificate = {
            "certificate_number": f"{person.pk}/CN",
            "certificate_issued_on": CERTIFICATE,
            "certificate_issuer": "TTCT",
        }
        run(case, "propose_training", secretary, certificate)
        run(case, "open_dossier", secretary, {"confirm": True})
    with at(D(2026, 2, 20)):
        fill_dossier(case, by=secretary, start=START)
        run(case, "prepare_dossier", secretary, {"confirm": True})
    assert assert_in_step(case) == "cell_vote"
    return case


def vote(cell, day, votes_for=4):
    members = list(Membership.objects.filter(cell=cell).active_on(day))
    return {"held_on": day, "present": members, "votes_for": votes_for, "votes_against": 0}


def flow_agrees(case, node, state):
    """The FSM state, the one open task and the last logged transition agree."""
    case.refresh_from_db()
    assert case.state == state
    assert assert_in_step_any(case) == node
    last = StateLog.objects.for_(case).order_by("-timestamp", "-pk").first()
    assert last.state == state


def assert_in_step_any(case):
    tasks = services.open_tasks(case)
    assert len(tasks) == 1, tasks
    return tasks[0].flow_task.name


def test_expired_certificate_back_to_course_and_forward_again_to_the_decision(village):
    world = village
    case = open_case_with_old_certificate(world)
    code, attempt = case.code, case.attempt
    admission_process = services.process_for(case)
    with at(MEETING), pytest.raises(ValidationError, match="Certificate expired"):
        run(case, "cell_vote", world.secretary, vote(world.village_cell, MEETING))
    with at(MEETING):
        record = flow_send_back.case_send_back(
            candidate=case, target="course", reason="Certificate expired on 25/02/2026", by=world.secretary
        )
    assert (record.target, record.from_state, record.from_step) == ("course", "dossier", "cell_vote")
    assert record.acting_org == world.village_cell and record.sent_by == world.secretary
    flow_agrees(case, "propose_training", CandidateState.SYMPATHISER)
    admission_process.refresh_from_db()
    assert admission_process.status == PROCESS.CANCELED
    assert services.process_for(case).flow_class is SourcingFlow
    assert admission_process.task_set.filter(status=STATUS.CANCELED).count() == 1

    # A new course: proposed by the cell, approved by the commune, the result recorded by the organiser.
    with at(D(2026, 3, 3)):
        course = course_create(
            name="Lớp nhận thức về Đảng 03/2026",
            organiser=world.commune,
            issuer_name="Đảng ủy xã Hoành Mô",
            starts_on=D(2026, 3, 10),
            ends_on=D(2026, 3, 14),
            capacity=30,
            by=world.approver,
        )
        run(case, "propose_training", world.secretary, {"course": course})
    flow_agrees(case, "approve_attendance", CandidateState.SYMPATHISER)
    with at(D(2026, 3, 4)):
        run(case, "approve_attendance", world.approver, {"approve": True, "decided_on": D(2026, 3, 4)})
    flow_agrees(case, "record_result", CandidateState.IN_TRAINING)
    with at(D(2026, 3, 16)):
        run(
            case,
            "record_result",
            world.approver,
            {"passed": True, "result_on": D(2026, 3, 14), "certificate_number": "77/CN"},
        )
        flow_agrees(case, "open_dossier", CandidateState.TRAINED)
        run(case, "open_dossier", world.secretary, {"confirm": True})
    flow_agrees(case, "prepare_dossier", CandidateState.DOSSIER)
    assert services.process_for(case).flow_class is AdmissionCaseFlow
    # The dossier is kept; each item is judged again on the new meeting day.
    assert Application.objects.filter(candidate=case).count() == 1
    assert Curriculum.objects.get(candidate=case).is_certified
    with at(D(2026, 4, 1)):
        run(case, "prepare_dossier", world.secretary, {"confirm": True})
    with at(SECOND_MEETING):
        run(case, "cell_vote", world.secretary, vote(world.village_cell, SECOND_MEETING))
    flow_agrees(case, "chain_step", CandidateState.PROPOSED)
    task = services.open_tasks(case)[0]
    assert task.owner_permission_obj == world.commune
    assert task.data["due_on"] > "2026-06-01"  # 60 working days from the second resolution, not the first
    with at(D(2026, 4, 20)):
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 4, 20), document_number="21-QĐ/ĐU"))
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED
    assert (case.code, case.attempt) == (code, attempt)
    states = [log.state for log in StateLog.objects.for_(case).order_by("timestamp", "pk")]
    assert states == [
        "sympathiser",
        "trained",
        "dossier",
        "sympathiser",
        "in_training",
        "trained",
        "dossier",
        "proposed",
        "admitted",
    ]
    history = services.task_history(case)
    assert [t["step"] for t in history if t["status"] == STATUS.CANCELED] == ["cell_vote"]
    # Statistics: one case nominated, trained, proposed and admitted.
    with at(D(2026, 12, 31)):
        scope = build_scope(world.province)
        period = Period(D(2025, 1, 1), D(2026, 12, 31))
        assert admission_counts(scope, Period(D(2026, 1, 1), D(2026, 12, 31)))["total"] == 1
        stages = {stage.key: (stage.cohort, stage.events) for stage in funnel(scope, period)}
    # Two cell resolutions (the first refused, none; then one; but also the case proposed once): each stage once.
    assert stages["nominated"] == (1, 1)
    assert stages["trained"] == (1, 1)
    assert stages["proposed"] == (1, 1)
    assert stages["admitted"] == (1, 1)


@pytest.fixture
def proposed(village):
    """A case proposed by the cell's vote, waiting at the commune's decision (9-KNĐ)."""
    world = village
    case = open_case_with_old_certificate(world)
    # The old certificate is still valid on a meeting before 25/02/2026.
    with at(D(2026, 2, 23)):
        run(case, "cell_vote", world.secretary, vote(world.village_cell, D(2026, 2, 23)))
    flow_agrees(case, "chain_step", CandidateState.PROPOSED)
    return case


def test_the_body_whose_turn_it_is_sends_back_to_the_course_from_its_step(proposed, village):
    world, case = village, proposed
    with at(MEETING), pytest.raises(PermissionDenied):  # the cell is below the commune whose turn it is
        flow_send_back.case_send_back(candidate=case, target="course", reason="expired", by=world.secretary)
    with at(MEETING), pytest.raises(ValidationError, match="Send the dossier back"):
        run(case, "chain_step", world.approver, step_data(case, on=MEETING, document_number="9-QĐ"))
    with at(MEETING):
        record = flow_send_back.case_send_back(
            candidate=case, target="course", reason="The certificate expired", by=world.approver
        )
    record.chain_step.refresh_from_db()
    assert record.acting_org == world.commune and record.chain_step.status == StepStatus.SENT_BACK
    flow_agrees(case, "propose_training", CandidateState.SYMPATHISER)
    assert not case.chain_steps.filter(status=StepStatus.PENDING).exists()


def test_a_body_above_sends_back_to_the_dossier_and_the_chains_send_back_is_the_same_record(proposed, village):
    world, case = village, proposed
    province_officer = UserFactory(username="province")
    give_role(province_officer, world.province, RoleKind.STANDING_COMMITTEE_MEMBER)
    with at(D(2026, 2, 24)):
        flow_send_back.case_send_back(
            candidate=case, target="dossier", reason="Introducer disciplined", by=province_officer
        )
    flow_agrees(case, "prepare_dossier", CandidateState.DOSSIER)
    record = CaseSendBack.objects.get(candidate=case)
    assert (record.acting_org, record.from_step, record.target) == (world.province, "chain_step", "dossier")
    # Forward again; then the commune sends it back through its own step: one more record of the same kind.
    with at(D(2026, 2, 24)):
        run(case, "prepare_dossier", world.secretary, {"confirm": True})
        run(case, "cell_vote", world.secretary, vote(world.village_cell, D(2026, 2, 24)))
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 2, 24), outcome="send_back", note="Fix 5"))
    flow_agrees(case, "prepare_dossier", CandidateState.DOSSIER)
    assert list(CaseSendBack.objects.filter(candidate=case).values_list("acting_org", "from_step")) == [
        (world.province.pk, "chain_step"),
        (world.commune.pk, "chain_step"),
    ]


def test_back_to_the_dossier_from_the_cell_meeting_and_boundaries(village):
    world = village
    case = open_case_with_old_certificate(world)
    with at(D(2026, 2, 23)):
        with pytest.raises(ValidationError, match="reason"):
            flow_send_back.case_send_back(candidate=case, target="dossier", reason=" ", by=world.secretary)
        with pytest.raises(ValidationError):
            flow_send_back.case_send_back(candidate=case, target="nowhere", reason="x", by=world.secretary)
        with pytest.raises(PermissionDenied):
            flow_send_back.case_send_back(candidate=case, target="dossier", reason="x", by=world.outsider)
        assert flow_send_back.send_back_targets(case, world.secretary) == ["course", "dossier"]
        assert flow_send_back.send_back_targets(case, world.outsider) == []
        flow_send_back.case_send_back(candidate=case, target="dossier", reason="Opinions wrong", by=world.secretary)
    flow_agrees(case, "prepare_dossier", CandidateState.DOSSIER)
    # From "complete the dossier" it can only go back to the course.
    assert flow_send_back.send_back_targets(case, world.secretary) == ["course"]
    with at(D(2026, 2, 23)), pytest.raises(ValidationError):
        flow_send_back.case_send_back(candidate=case, target="dossier", reason="again", by=world.secretary)


def test_a_case_cannot_be_sent_back_after_its_admission_decision(proposed, village):
    world, case = village, proposed
    with at(D(2026, 2, 24)):
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 2, 24), document_number="9-QĐ"))
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED
    for user in (world.approver, world.secretary):
        assert flow_send_back.send_back_targets(case, user) == []
        assert domain_send_back.send_back_targets(case, user) == []
    with at(D(2026, 2, 25)):
        for target in ("course", "dossier"):
            with pytest.raises(ValidationError):
                flow_send_back.case_send_back(candidate=case, target=target, reason="Too late", by=world.approver)
            with pytest.raises(ValidationError, match="cannot be sent back there"):
                domain_send_back.case_send_back(
                    candidate=case, target=target, reason="Too late", on=D(2026, 2, 25), by=world.approver
                )
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED and not CaseSendBack.objects.filter(candidate=case).exists()


def test_the_chains_send_back_follows_the_general_rules_and_is_recorded_in_the_history(proposed, village):
    """One closing of the step and one rule of who may: the step's body or one above it, never the cell below."""
    world, case = village, proposed
    step = next_step(case)
    assert step is not None
    with at(D(2026, 2, 24)), pytest.raises(PermissionDenied):
        chain_step_send_back(step=step, reason="Fix the CV", by=world.secretary, on=D(2026, 2, 24))
    province_officer = UserFactory(username="province")
    give_role(province_officer, world.province, RoleKind.STANDING_COMMITTEE_MEMBER)
    with at(D(2026, 2, 24)):
        chain_step_send_back(step=step, reason="Fix the CV", by=province_officer, on=D(2026, 2, 24))
    step.refresh_from_db()
    assert (step.status, step.note, step.done_by) == (StepStatus.SENT_BACK, "Fix the CV", province_officer)
    record = CaseSendBack.objects.get(candidate=case)
    assert (record.target, record.acting_org, record.from_step, record.chain_step) == (
        SendBackTarget.DOSSIER,
        world.province,
        "chain_step",
        step,
    )
    case.refresh_from_db()
    assert case.state == CandidateState.DOSSIER and next_step(case) is None
    assert HistoryEntry.objects.filter(kind="send_back", record=f"admission.casesendback:{record.pk}").exists()
    assert HistoryEntry.objects.filter(kind="decision", record=f"admission.chainsteprecord:{step.pk}").exists()


def test_the_work_page_rows_follow_every_move_back(proposed, village):
    """The cancelled task leaves the work page; the task the case moves to appears there (one row per open task)."""
    world, case = village, proposed

    def rows():
        return sorted(WorkItem.objects.filter(candidate=case).values_list("node", flat=True))

    assert rows() == ["chain_step"]
    with at(D(2026, 2, 24)):
        flow_send_back.case_send_back(candidate=case, target="dossier", reason="Opinions wrong", by=world.approver)
    assert rows() == ["prepare_dossier"]
    with at(MEETING):
        flow_send_back.case_send_back(candidate=case, target="course", reason="Certificate expired", by=world.secretary)
    assert rows() == ["propose_training"]
    assert set(WorkItem.objects.filter(candidate=case).values_list("task__status", flat=True)) == {STATUS.NEW}


def test_the_dossier_page_offers_the_course_only_to_whoever_may_send_the_case_back_there(proposed, village):
    """The certificate expired while the case waits at the commune: the commune (whose turn it is) is offered the
    move back to the course from the dossier page; the cell below it, which sees the dossier too, is not."""
    from django.test import Client

    world, case = village, proposed

    def page(user):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        with at(MEETING):
            response = client.get(f"/app/admission/candidates/{case.pk}/dossier/")
        assert response.status_code == 200
        assert 'data-code="certificate" data-status="expired"' in response.content.decode()
        return response.content.decode()

    assert "course" in flow_send_back.send_back_targets(case, world.approver)
    assert 'data-testid="certificate-send-back"' in page(world.approver)
    assert flow_send_back.send_back_targets(case, world.secretary) == []
    assert 'data-testid="certificate-send-back"' not in page(world.secretary)
