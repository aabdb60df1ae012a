"""The admission flow without HTTP: every chain variant routed to the right bodies, the FSM and the flow in step,
refusals, send-backs, thresholds at their boundary, consents, the ceremony deadline, and the queues."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from admission.decisions.models.decisions import StepStatus
from admission.decisions.services.decisions import consent_record
from admission.party.models.orgs import AdmissionAuthority, DecidingBody
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.consents import ConsentKind
from admission.sourcing.models.training import AwarenessCertificate
from demo.dossier import fill_dossier
from tests.factories import MembershipFactory, PersonFactory, UserFactory, give_role
from workflows import services
from workflows.flows import AdmissionCaseFlow, ProbationFlow
from workflows.steps import STEPS, task_title

D = datetime.date
START = D(2026, 1, 5)  # the dossier is gathered from here
MEETING = D(2026, 3, 2)  # a Monday; 294-QĐ/TW is in force

# Which open task goes with which case state: the invariant the admission flow and the FSM must keep.
EXPECTED_STATE = {
    "prepare_dossier": CandidateState.DOSSIER,
    "cell_vote": CandidateState.DOSSIER,
    "chain_step": CandidateState.PROPOSED,
    "receive_decision": CandidateState.ADMITTED,
    "ceremony": CandidateState.ADMITTED,
}


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 3, 0, tzinfo=datetime.UTC), tick=False)


pytestmark = pytest.mark.usefixtures("english")


def assert_in_step(case):
    case.refresh_from_db()
    process = services.process_for(case)
    tasks = services.open_tasks(case)
    if process.flow_class is ProbationFlow:  # the ceremony handed the case to the probation's flow
        assert case.state == CandidateState.PROBATIONARY
        return None
    if process.status in (PROCESS.DONE, PROCESS.CANCELED):
        assert tasks == []
        assert case.state in (CandidateState.PROBATIONARY, *CandidateState.closed_states())
        return None
    assert len(tasks) == 1, tasks
    assert EXPECTED_STATE[tasks[0].flow_task.name] == case.state
    return tasks[0].flow_task.name


BORN = D(1998, 6, 1)


def open_case(world, cell, secretary, *, dob=BORN, youth_union=False):
    """A case whose sourcing flow ran to the opening of the dossier, then a complete dossier."""
    with at(START):
        person = PersonFactory(date_of_birth=dob, youth_union_member=youth_union)
        case = services.case_nominate(
            person=person, cell=cell, nominated_by="cell", nominated_on=D(2025, 11, 3), by=secretary
        )
        run(case, "list_sympathiser", secretary, {"meeting_on": D(2025, 11, 20)})
        mentors = list(Membership.objects.filter(cell=cell).official_on(START)[:1])
        run(case, "assign_mentors", secretary, {"members": mentors, "assigned_on": D(2025, 11, 21)})
        run(
            case,
            "propose_training",
            secretary,
            {
                "certificate_number": f"{person.pk}/CN",
                "certificate_issued_on": D(2025, 12, 1),
                "certificate_issuer": "TTCT",
            },
        )
        run(case, "open_dossier", secretary, {"confirm": True})
    assert assert_in_step(case) == "prepare_dossier"
    with at(D(2026, 2, 20)):
        fill_dossier(case, by=secretary, start=START)
        run(case, "prepare_dossier", secretary, {"confirm": True})
    return case


def run(case, node, user, data):
    case.refresh_from_db()
    spec = STEPS[node]
    return services.run_step(candidate=case, node_name=node, user=user, action=lambda: spec.action(case, user, data))


def vote_data(cell, votes_for, **extra):
    members = list(Membership.objects.filter(cell=cell).active_on(MEETING))
    return {"held_on": MEETING, "present": members, "votes_for": votes_for, "votes_against": 0, **extra}


def chain(case):
    return list(case.chain_steps.order_by("order").values_list("form", "org__name", "status"))


def step_data(case, **extra):
    from admission.decisions.services.decisions import next_step

    return {"step": next_step(case), "outcome": "approve", "note": "", **extra}


@pytest.fixture
def village(world):
    """The grassroots cell of the commune (six official members): resolution → the commune decides (9-KNĐ)."""
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    return world


def test_a_case_walks_from_dossier_to_probation_and_flow_and_fsm_agree_at_every_step(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    assert assert_in_step(case) == "cell_vote"
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 4))
    assert assert_in_step(case) == "chain_step"
    assert chain(case) == [
        ("6-KNĐ", world.village_cell.name, StepStatus.DONE),
        ("9-KNĐ", world.commune.name, StepStatus.PENDING),
    ]
    task = services.open_tasks(case)[0]
    assert task.owner_permission_obj == world.commune
    # 60 working days after 02/03/2026: Hùng Kings' day is Sunday 26/04 (off on Monday 27/04), then 30/04, 01/05
    assert task.data["due_on"] == "2026-05-28"
    assert task_title(task) == f"Decision of the deciding body (9-KNĐ): {world.commune.name}"
    with at(D(2026, 4, 1)):
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 4, 1), document_number="15-QĐ/ĐU"))
    assert assert_in_step(case) == "receive_decision"
    with at(D(2026, 4, 3)):
        run(case, "receive_decision", world.secretary, {"received_on": D(2026, 4, 3)})
    assert assert_in_step(case) == "ceremony"
    assert services.open_tasks(case)[0].data["due_on"] == "2026-05-20"  # 30 working days after receipt
    helpers = list(Membership.objects.filter(cell=world.village_cell).official_on(MEETING)[:2])
    with at(D(2026, 4, 20)):
        run(
            case,
            "ceremony",
            world.secretary,
            {"held_on": D(2026, 4, 20), "decision_read_by": "Đ/c Bí thư Đảng ủy xã", "mentors": helpers},
        )
    assert assert_in_step(case) is None
    assert case.state == CandidateState.PROBATIONARY
    admission = Process.objects.get(flow_class=AdmissionCaseFlow, artifact_object_id=case.pk)
    assert admission.status == PROCESS.DONE


def test_a_vote_one_short_of_two_thirds_closes_only_when_confirmed_and_exactly_two_thirds_passes(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING), pytest.raises(ValidationError, match="3 in favour of 6, 4 needed"):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 3))
    assert case.votes.count() == 0 and assert_in_step(case) == "cell_vote"  # nothing written
    other = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(other, "cell_vote", world.secretary, vote_data(world.village_cell, 4))  # 4 of 6 is exactly 2/3
    assert assert_in_step(other) == "chain_step"
    with at(MEETING):
        message = run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 3, confirm_failed=True))
    assert "did not pass" in message
    assert assert_in_step(case) is None
    assert case.state == CandidateState.NOT_ADMITTED and case.votes.get().passed is False


def test_a_dossier_with_an_expired_item_cannot_go_to_the_vote(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    # The introductions of 04/02/2026 are valid 12 months: a meeting a year later finds them expired.
    late = D(2027, 2, 8)
    with at(late), pytest.raises(ValidationError, match="not complete"):
        run(case, "cell_vote", world.secretary, {**vote_data(world.village_cell, 6), "held_on": late})
    assert assert_in_step(case) == "cell_vote"


def test_the_partial_committee_then_the_grassroots_committee_then_the_commune_act_in_turn(world):
    """A cell under a partial committee of a grassroots committee under the commune (2025 model)."""
    secretary = UserFactory(username="secretary-math")
    give_role(secretary, world.cell, RoleKind.CELL_SECRETARY)
    partial_officer = UserFactory(username="partial")
    give_role(partial_officer, world.partial, RoleKind.COMMITTEE_MEMBER)
    for _ in range(3):
        MembershipFactory(cell=world.cell)
    case = open_case(world, world.cell, secretary)
    with at(MEETING):
        run(case, "cell_vote", secretary, vote_data(world.cell, 6))
    forms = [(form, status) for form, _org, status in chain(case)]
    assert forms == [("6-KNĐ", "done"), ("7-KNĐ", "pending"), ("8-KNĐ", "pending"), ("9-KNĐ", "pending")]
    bodies = [world.partial, world.agency, world.commune]
    users = [partial_officer, world.agency_officer, world.approver]
    with at(D(2026, 3, 20)):
        for body, user in zip(bodies, users, strict=True):
            task = services.open_tasks(case)[0]
            assert task.flow_task.name == "chain_step" and task.owner_permission_obj == body
            # Nobody else may take it: not the cell, not the other bodies of the chain.
            for other in {secretary, *users} - {user}:
                with pytest.raises(PermissionDenied):
                    run(case, "chain_step", other, step_data(case, on=D(2026, 3, 20)))
            extra = {"document_number": "9-QĐ/ĐU"} if body == world.commune else {}
            if body == world.agency:
                extra = {"members_total": 9, "present": 8, "votes_for": 6}
            run(case, "chain_step", user, step_data(case, on=D(2026, 3, 20), **extra))
    assert case.state == CandidateState.ADMITTED if not case.refresh_from_db() else False
    assert [s for _f, _o, s in chain(case)] == ["done"] * 4


def test_a_committee_vote_is_required_and_below_two_thirds_refuses_only_when_confirmed(world):
    secretary = UserFactory(username="secretary-office")
    give_role(secretary, world.agency_cell, RoleKind.CELL_SECRETARY)
    for _ in range(3):
        MembershipFactory(cell=world.agency_cell)
    case = open_case(world, world.agency_cell, secretary)
    with at(MEETING):
        run(case, "cell_vote", secretary, vote_data(world.agency_cell, 3))
    with at(D(2026, 3, 10)):
        with pytest.raises(ValidationError, match="vote of"):
            run(case, "chain_step", world.agency_officer, step_data(case, on=D(2026, 3, 10)))
        short = {"members_total": 9, "present": 9, "votes_for": 5}  # 6 of 9 needed
        with pytest.raises(ValidationError, match="5 in favour of 9, 6 needed"):
            run(case, "chain_step", world.agency_officer, step_data(case, on=D(2026, 3, 10), **short))
        run(case, "chain_step", world.agency_officer, step_data(case, on=D(2026, 3, 10), **short, confirm_failed=True))
    case.refresh_from_db()
    assert case.state == CandidateState.NOT_ADMITTED
    assert assert_in_step(case) is None


def test_an_authorised_grassroots_committee_decides_itself_with_its_vote(world):
    AdmissionAuthority.objects.create(
        org=world.agency,
        deciding_body=DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE,
        valid_from=D(2025, 7, 1),
        granted_by=world.commune,
        decision_number="12-QĐ/ĐU",
    )
    secretary = UserFactory(username="secretary-office")
    give_role(secretary, world.agency_cell, RoleKind.CELL_SECRETARY)
    for _ in range(3):
        MembershipFactory(cell=world.agency_cell)
    case = open_case(world, world.agency_cell, secretary)
    with at(MEETING):
        run(case, "cell_vote", secretary, vote_data(world.agency_cell, 3))
    assert [f for f, _o, _s in chain(case)] == ["6-KNĐ", "9-KNĐ"]
    assert services.open_tasks(case)[0].owner_permission_obj == world.agency
    with at(D(2026, 3, 10)):
        run(
            case,
            "chain_step",
            world.agency_officer,
            step_data(case, on=D(2026, 3, 10), document_number="3-QĐ/ĐU", members_total=7, present=7, votes_for=5),
        )
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED


def test_a_send_back_returns_the_dossier_to_the_cell_which_votes_again(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 5))
    with at(D(2026, 3, 10)), pytest.raises(ValidationError, match="reason"):
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 3, 10), outcome="send_back"))
    data = step_data(case, on=D(2026, 3, 10), outcome="send_back", note="Bổ sung nhận xét của chi ủy nơi cư trú")
    with at(D(2026, 3, 10)):
        run(case, "chain_step", world.approver, data)
    assert assert_in_step(case) == "prepare_dossier"
    assert case.chain_steps.filter(status=StepStatus.SENT_BACK).count() == 1
    with at(D(2026, 3, 16)):
        run(case, "prepare_dossier", world.secretary, {"confirm": True})
        run(case, "cell_vote", world.secretary, {**vote_data(world.village_cell, 6), "held_on": D(2026, 3, 16)})
    assert assert_in_step(case) == "chain_step"
    assert case.chain_steps.filter(status=StepStatus.PENDING).count() == 1


def test_a_refusal_closes_the_case_and_the_person_can_be_proposed_again(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    with at(D(2026, 3, 10)):
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 3, 10), outcome="refuse", note="Chưa đủ"))
    assert assert_in_step(case) is None
    assert case.state == CandidateState.NOT_ADMITTED
    with at(D(2026, 3, 11)):
        again = services.case_reopen(
            previous=case, nominated_by="cell", nominated_on=D(2026, 3, 11), by=world.secretary
        )
    assert again.attempt == 2 and services.open_tasks(again)[0].flow_task.name == "list_sympathiser"


def test_an_over_sixty_applicant_needs_the_provincial_consent_before_the_cell_votes(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary, dob=D(1965, 1, 10))  # 61 at the meeting
    with at(MEETING), pytest.raises(ValidationError, match="Over 60"):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    with at(MEETING):
        consent_record(
            candidate=case,
            kind=ConsentKind.OVER_AGE,
            reference="215-CV/TU",
            granted_on=D(2026, 2, 25),
            granted_by="Ban Thường vụ Tỉnh ủy",
            by=world.secretary,
        )
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    assert assert_in_step(case) == "chain_step"


def test_a_political_history_case_cannot_be_decided_without_the_recorded_consent(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    Candidate.objects.filter(pk=case.pk).update(political_review=True)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    decide = step_data(case, on=D(2026, 4, 1), document_number="15-QĐ/ĐU")
    with at(D(2026, 4, 1)), pytest.raises(ValidationError, match="consent"):
        run(case, "chain_step", world.approver, decide)
    assert assert_in_step(case) == "chain_step"
    with at(D(2026, 4, 1)):
        consent_record(
            candidate=case,
            kind=ConsentKind.POLITICAL,
            reference="31-CV/BTC",
            granted_on=D(2026, 3, 25),
            granted_by="Ban Tổ chức Tỉnh ủy",
            by=world.approver,
        )
        run(case, "chain_step", world.approver, decide)
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED


def test_a_ceremony_after_its_last_working_day_needs_the_superiors_consent(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    with at(D(2026, 4, 1)):
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 4, 1), document_number="15-QĐ/ĐU"))
        run(case, "receive_decision", world.secretary, {"received_on": D(2026, 4, 1)})
    helpers = list(Membership.objects.filter(cell=world.village_cell).official_on(MEETING)[:1])
    ceremony = {"decision_read_by": "Đ/c Bí thư", "mentors": helpers}
    last_day = D(2026, 5, 18)  # 30 working days after 01/04/2026 (27/04, 30/04 and 01/05 are holidays)
    with at(D(2026, 5, 19)), pytest.raises(ValidationError, match="18/05/2026"):
        run(case, "ceremony", world.secretary, {**ceremony, "held_on": D(2026, 5, 19)})
    with at(D(2026, 5, 19)):
        run(case, "ceremony", world.secretary, {**ceremony, "held_on": last_day})
    case.refresh_from_db()
    assert case.state == CandidateState.PROBATIONARY


def test_the_second_approver_to_decide_is_told_it_is_already_done(village):
    world = village
    colleague = UserFactory(username="approver-2")
    give_role(colleague, world.commune, RoleKind.STANDING_COMMITTEE_MEMBER)
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    decide = step_data(case, on=D(2026, 4, 1), document_number="15-QĐ/ĐU")
    with at(D(2026, 4, 1)):
        run(case, "chain_step", world.approver, decide)
        with pytest.raises(ValidationError, match="already done"):
            run(case, "chain_step", colleague, decide)


def test_chain_tasks_appear_only_in_the_queue_of_the_body_whose_turn_it_is(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))

    def queue(user):
        return list(Task.objects.user_queue(user, flow_class=AdmissionCaseFlow).filter(status=STATUS.NEW))

    assert len(queue(world.approver)) == 1
    assert queue(world.secretary) == [] and queue(world.outsider) == [] and queue(world.agency_officer) == []


def test_certificate_expiring_before_the_decision_blocks_it(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    AwarenessCertificate.objects.filter(person=case.person).update(issued_on=D(2021, 4, 1))  # valid to 31/03/2026
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    with at(D(2026, 4, 1)), pytest.raises(ValidationError, match="Certificate expired on 01/04/2026"):
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 4, 1), document_number="15-QĐ/ĐU"))


def test_an_extension_moves_the_due_date_of_the_open_chain_task(village):
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
        services.case_decision_extend(candidate=case, reason="Chờ kết quả thẩm tra bổ sung", by=world.approver)
    assert services.open_tasks(case)[0].data["due_on"] == "2026-07-09"  # 60 + 30 working days


def test_decision_by_standing_committee_is_recorded_with_or_without_its_vote(village):
    world = village
    # The commune's standing committee decides; its vote rule is unconfirmed [U]: a recorded vote is kept.
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    with at(D(2026, 4, 1)):
        run(
            case,
            "chain_step",
            world.approver,
            step_data(case, on=D(2026, 4, 1), document_number="15-QĐ/ĐU", members_total=5, present=5, votes_for=4),
        )
    step = case.chain_steps.get(form="9-KNĐ")
    assert step.vote is not None and step.vote.passed
