"""From the cell's resolution to the ceremony: chain routing, consents, deadlines at their boundaries, refusals."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from admission.decisions.models.decisions import StepStatus
from admission.decisions.services.decisions import (
    admission_deadlines,
    case_propose,
    chain_step_complete,
    chain_step_refuse,
    chain_step_send_back,
    consent_record,
    decision_extend,
    decision_received,
    next_step,
)
from admission.decisions.services.meetings import cell_meeting_record, committee_meeting_record, vote_record
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.probation.services import ceremony_hold
from admission.rules.calendar import WorkingCalendar
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import CandidateState
from admission.sourcing.models.consents import ConsentKind
from admission.sourcing.services.candidates import (
    candidate_list_as_sympathiser,
    candidate_nominate,
    candidate_open_dossier,
)
from admission.sourcing.services.training import certificate_record_external
from tests.factories import MembershipFactory, PersonFactory, UserFactory, give_role

D = datetime.date
CAL = WorkingCalendar()
RESOLUTION = D(2026, 3, 2)  # a Monday; 294-QĐ/TW is in force


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 3, 0, tzinfo=datetime.UTC), tick=False)


pytestmark = pytest.mark.usefixtures("english")


def case_in_dossier(world, cell, secretary, *, dob=None):
    with at(D(2026, 2, 1)):
        person = PersonFactory(date_of_birth=dob or D(1998, 6, 1))
        case = candidate_nominate(
            person=person, cell=cell, nominated_by="cell", nominated_on=D(2026, 1, 5), by=secretary
        )
        case = candidate_list_as_sympathiser(candidate=case, meeting_on=D(2026, 1, 20), by=secretary)
        certificate_record_external(
            candidate=case, number=f"{person.pk}/CN", issued_on=D(2025, 12, 1), issuer="ĐU xã", by=secretary
        )
        return candidate_open_dossier(candidate=case, by=secretary)


def cell_vote(cell, secretary, case, votes_for):
    members = list(Membership.objects.filter(cell=cell))
    with at(RESOLUTION):
        meeting = cell_meeting_record(
            cell=cell,
            held_on=RESOLUTION,
            purpose="admission",
            present={m.pk for m in members},
            absence_reasons={},
            by=secretary,
        )
        return vote_record(meeting=meeting, candidate=case, votes_for=votes_for, votes_against=0, by=secretary)


@pytest.fixture
def village(world):
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)  # six official members in all
    return world.village_cell, world.secretary


def test_a_passed_cell_vote_proposes_and_snapshots_the_chain_of_that_day(world, village):
    cell, secretary = village
    case = case_in_dossier(world, cell, secretary)
    vote = cell_vote(cell, secretary, case, 4)
    with at(RESOLUTION):
        case = case_propose(candidate=case, vote=vote, by=secretary)
    assert case.state == CandidateState.PROPOSED
    steps = list(case.chain_steps.order_by("order").values_list("form", "status", "org_id"))
    assert steps == [("6-KNĐ", StepStatus.DONE, cell.pk), ("9-KNĐ", StepStatus.PENDING, world.commune.pk)]


def test_a_failed_cell_vote_cannot_propose(world, village):
    cell, secretary = village
    case = case_in_dossier(world, cell, secretary)
    vote = cell_vote(cell, secretary, case, 3)
    with at(RESOLUTION), pytest.raises(ValidationError, match="3 in favour of 6, 4 needed"):
        case_propose(candidate=case, vote=vote, by=secretary)


def proposed(world, cell, secretary, **kw):
    case = case_in_dossier(world, cell, secretary, **kw)
    vote = cell_vote(cell, secretary, case, 6)
    with at(RESOLUTION):
        return case_propose(candidate=case, vote=vote, by=secretary)


def test_only_the_deciding_body_decides_and_the_decision_admits(world, village):
    cell, secretary = village
    case = proposed(world, cell, secretary)
    step = next_step(case)
    with at(D(2026, 4, 1)):
        with pytest.raises(PermissionDenied):
            chain_step_complete(step=step, by=secretary, on=D(2026, 4, 1), document_number="12-QĐ/ĐU")
        with pytest.raises(ValidationError, match="number"):
            chain_step_complete(step=step, by=world.approver, on=D(2026, 4, 1))
        chain_step_complete(step=step, by=world.approver, on=D(2026, 4, 1), document_number="12-QĐ/ĐU")
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED


def test_a_cell_under_a_grassroots_committee_needs_its_passed_resolution_before_the_decision(world):
    cell = world.agency_cell
    secretary = UserFactory(username="bithu.vanphong")
    give_role(secretary, cell, RoleKind.CELL_SECRETARY)
    for _ in range(6):
        MembershipFactory(cell=cell)
    case = proposed(world, cell, secretary)
    assert [s.form for s in case.chain_steps.order_by("order")] == ["6-KNĐ", "8-KNĐ", "9-KNĐ"]
    step = next_step(case)
    with at(D(2026, 3, 10)):
        with pytest.raises(ValidationError, match="Record the vote"):
            chain_step_complete(step=step, by=world.agency_officer, on=D(2026, 3, 10))
        meeting = committee_meeting_record(
            org=world.agency,
            body=VoteBody.GRASSROOTS_COMMITTEE,
            held_on=D(2026, 3, 10),
            purpose="admission",
            members_total=9,
            present=8,
            by=world.agency_officer,
        )
        weak = vote_record(meeting=meeting, candidate=case, votes_for=5, votes_against=3, by=world.agency_officer)
        with pytest.raises(ValidationError, match="5 in favour of 9, 6 needed"):
            chain_step_complete(step=step, by=world.agency_officer, on=D(2026, 3, 10), vote=weak)
        meeting2 = committee_meeting_record(
            org=world.agency,
            body=VoteBody.GRASSROOTS_COMMITTEE,
            held_on=D(2026, 3, 10),
            purpose="admission",
            members_total=9,
            present=8,
            by=world.agency_officer,
        )
        good = vote_record(meeting=meeting2, candidate=case, votes_for=6, votes_against=2, by=world.agency_officer)
        chain_step_complete(step=step, by=world.agency_officer, on=D(2026, 3, 10), vote=good)
    assert next_step(case).form == "9-KNĐ" and next_step(case).org == world.commune


def test_an_applicant_over_sixty_needs_the_provincial_consent_before_the_decision(world, village):
    cell, secretary = village
    case = case_in_dossier(world, cell, secretary, dob=D(1965, 1, 1))
    with at(RESOLUTION), pytest.raises(ValidationError, match="Over 60"):
        cell_vote(cell, secretary, case, 6)  # the consent must be given before the cell meeting
    with at(RESOLUTION):
        consent_record(
            candidate=case,
            kind=ConsentKind.OVER_AGE,
            reference="88-CV/TU",
            granted_on=D(2026, 2, 20),
            granted_by="Ban Thường vụ Tỉnh ủy",
            by=secretary,
        )
    vote = cell_vote(cell, secretary, case, 6)
    with at(RESOLUTION):
        case = case_propose(candidate=case, vote=vote, by=secretary)
    with at(D(2026, 4, 1)):
        chain_step_complete(step=next_step(case), by=world.approver, on=D(2026, 4, 1), document_number="13-QĐ")
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED


def test_the_decision_is_due_60_working_days_after_the_resolution_and_30_more_when_extended(world, village):
    cell, secretary = village
    case = proposed(world, cell, secretary)
    due = admission_deadlines(case, calendar=CAL).decision_due
    assert CAL.working_days_between(RESOLUTION, due) == 60
    # By hand: 21 working days left in March, 20 in April (27/4 in lieu of Giỗ Tổ, 30/4 off), then the 19th of May
    # (1/5 off): Thursday 28/05/2026.
    assert due == D(2026, 5, 28)
    with at(D(2026, 4, 1)):
        decision_extend(candidate=case, reason="Chờ kết quả thẩm tra bổ sung", by=world.approver)
        with pytest.raises(ValidationError, match="already been extended"):
            decision_extend(candidate=case, reason="again", by=world.approver)
    case.refresh_from_db()
    extended = admission_deadlines(case, calendar=CAL)
    assert extended.decision_extended and CAL.working_days_between(due, extended.decision_due) == 30


def admitted(world, cell, secretary):
    decided_on = D(2026, 4, 1)
    case = proposed(world, cell, secretary)
    with at(decided_on):
        chain_step_complete(step=next_step(case), by=world.approver, on=decided_on, document_number="15-QĐ/ĐU")
    case.refresh_from_db()
    return case


def test_the_ceremony_on_its_last_working_day_needs_no_consent_and_the_day_after_does(world, village):
    cell, secretary = village
    case = admitted(world, cell, secretary)
    with at(D(2026, 4, 3)):
        decision_received(candidate=case, on=D(2026, 4, 3), by=secretary)
    due = admission_deadlines(case, calendar=CAL).ceremony_due
    assert CAL.working_days_between(D(2026, 4, 3), due) == 30
    mentors = list(Membership.objects.filter(cell=cell)[:2])
    late = CAL.add_working_days(due, 1)
    with at(late), pytest.raises(ValidationError, match="consent"):
        ceremony_hold(candidate=case, held_on=late, decision_read_by="Hoàng Văn Bí Thư", mentors=mentors, by=secretary)
    with at(due):
        ceremony = ceremony_hold(
            candidate=case, held_on=due, decision_read_by="Hoàng Văn Bí Thư", mentors=mentors, by=secretary
        )
    case.refresh_from_db()
    assert case.state == CandidateState.PROBATIONARY
    assert ceremony.membership.admitted_on == D(2026, 4, 1)
    assert ceremony.membership.official_on is None
    assert ceremony.membership.joined_cell_on == due


def test_a_late_ceremony_with_the_superiors_consent_is_recorded(world, village):
    cell, secretary = village
    case = admitted(world, cell, secretary)
    with at(D(2026, 4, 3)):
        decision_received(candidate=case, on=D(2026, 4, 3), by=secretary)
    late = CAL.add_working_days(admission_deadlines(case, calendar=CAL).ceremony_due, 5)
    with at(late):
        ceremony = ceremony_hold(
            candidate=case,
            held_on=late,
            decision_read_by="Bí thư",
            mentors=list(Membership.objects.filter(cell=cell)[:1]),
            late_consent_ref="21-CV/ĐU",
            by=secretary,
        )
    assert ceremony.late_consent_ref == "21-CV/ĐU"


def test_under_the_2026_rule_set_the_ceremony_counts_from_the_decisions_issuance(world, village):
    cell, secretary = village
    case = proposed(world, cell, secretary)
    with at(D(2026, 8, 3)):
        chain_step_complete(step=next_step(case), by=world.approver, on=D(2026, 8, 3), document_number="40-QĐ")
    case.refresh_from_db()
    deadlines = admission_deadlines(case, calendar=CAL)
    assert deadlines.ceremony_counted_from == "decision_received"  # the case's own 294 snapshot governs
    from admission.rules.models.rulesets import RuleSet

    RuleSet.objects.filter(code="208-QĐ/TW").update(applies_to_open_cases=True)
    deadlines = admission_deadlines(case, calendar=CAL)
    assert deadlines.ceremony_counted_from == "decision_issued"
    assert CAL.working_days_between(D(2026, 8, 3), deadlines.ceremony_due) == 30


def test_a_refusal_closes_the_case_and_a_send_back_returns_it_to_the_cell(world, village):
    cell, secretary = village
    case = proposed(world, cell, secretary)
    with at(D(2026, 3, 20)):
        with pytest.raises(ValidationError, match="reason"):
            chain_step_send_back(step=next_step(case), reason=" ", by=world.approver, on=D(2026, 3, 20))
        chain_step_send_back(step=next_step(case), reason="Bổ sung lý lịch mẹ", by=world.approver, on=D(2026, 3, 20))
    case.refresh_from_db()
    assert case.state == CandidateState.DOSSIER and next_step(case) is None
    other = proposed(world, cell, secretary)
    with at(D(2026, 3, 20)):
        chain_step_refuse(step=next_step(other), reason="Chưa đủ tiêu chuẩn", by=world.approver, on=D(2026, 3, 20))
    other.refresh_from_db()
    assert other.state == CandidateState.NOT_ADMITTED and other.closing_reason == "Chưa đủ tiêu chuẩn"
