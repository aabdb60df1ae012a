"""Cell and committee votes: the denominator the rules require, the 2/3 boundary, and what the engine refuses."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from admission.decisions.services.meetings import cell_meeting_record, committee_meeting_record, vote_record
from admission.party.models.orgs import OrgKind
from admission.party.models.people import MemberExemption, Membership
from admission.party.models.roles import RoleKind
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.training import AwarenessCertificate
from admission.sourcing.services.candidates import candidate_nominate
from tests.factories import MembershipFactory, PersonFactory, UserFactory, give_role, make_org

D = datetime.date
MEETING = D(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen():
    with translation.override("en"), time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def cell(world):
    """Nine official members (one temporarily transferred away, one exempted) and two probationary members."""
    cell = make_org(OrgKind.GRASSROOTS_CELL, world.commune, name="Chi bộ thôn Đồng Mô")
    secretary = UserFactory(username="bithu.dongmo")
    give_role(secretary, cell, RoleKind.CELL_SECRETARY)
    officials = [MembershipFactory(cell=cell) for _ in range(9)]
    probationers = [MembershipFactory(cell=cell, admitted_on=D(2025, 9, 1), official_on=None) for _ in range(2)]
    MemberExemption.objects.create(membership=officials[7], kind="temporary_transfer", starts_on=D(2026, 1, 1))
    MemberExemption.objects.create(membership=officials[8], kind="exempted", starts_on=D(2025, 1, 1))
    return cell, secretary, officials, probationers


def eligible_candidate(cell, secretary):
    person = PersonFactory(date_of_birth=D(2000, 1, 1))
    AwarenessCertificate.objects.create(person=person, number="1/CN", issued_on=D(2025, 6, 1), issuer="Đảng ủy xã")
    return candidate_nominate(person=person, cell=cell, nominated_by="cell", nominated_on=D(2026, 1, 5), by=secretary)


def meeting(cell, secretary, officials, probationers, *, exempted_attends=False):
    present = {m.pk for m in officials[:7]} | {m.pk for m in probationers}
    if exempted_attends:
        present.add(officials[8].pk)
    return cell_meeting_record(
        cell=cell, held_on=MEETING, purpose="admission", present=present, absence_reasons={}, by=secretary
    )


def test_the_denominator_leaves_out_probationers_the_transferred_and_the_exempted_who_stayed_away(cell):
    c, secretary, officials, probationers = cell
    m = meeting(c, secretary, officials, probationers)
    assert (m.official_members, m.probationary_members, m.temporarily_transferred, m.exempted) == (9, 2, 1, 1)
    assert m.denominator == 7
    assert m.attendance.filter(present=False).count() == 2


def test_an_exempted_member_who_attends_counts_in_the_denominator(cell):
    c, secretary, officials, probationers = cell
    assert meeting(c, secretary, officials, probationers, exempted_attends=True).denominator == 8


def test_a_temporarily_transferred_member_who_attends_cannot_add_a_vote_beyond_the_members_counted(cell):
    c, secretary, officials, probationers = cell
    present = {m.pk for m in officials[:8]} | {m.pk for m in probationers}  # the transferred member came too
    m = cell_meeting_record(
        cell=c, held_on=MEETING, purpose="admission", present=present, absence_reasons={}, by=secretary
    )
    assert m.denominator == 7  # the transferred member votes in the cell where they are temporarily
    with pytest.raises(ValidationError, match="8 votes were entered but only 7"):
        vote_record(meeting=m, candidate=eligible_candidate(c, secretary), votes_for=8, votes_against=0, by=secretary)


@pytest.mark.parametrize(("votes", "passes"), [(5, True), (4, False), (7, True)])
def test_two_thirds_of_seven_needs_five_votes(cell, votes, passes):
    c, secretary, officials, probationers = cell
    m = meeting(c, secretary, officials, probationers)
    vote = vote_record(
        meeting=m, candidate=eligible_candidate(c, secretary), votes_for=votes, votes_against=0, by=secretary
    )
    assert (vote.denominator, vote.needed, vote.passed) == (7, 5, passes)


def test_exactly_two_thirds_passes(world):
    cell = make_org(OrgKind.GRASSROOTS_CELL, world.commune, name="Chi bộ thôn Pắc Cáy")
    secretary = UserFactory(username="bithu.paccay")
    give_role(secretary, cell, RoleKind.CELL_SECRETARY)
    members = [MembershipFactory(cell=cell) for _ in range(6)]
    m = cell_meeting_record(
        cell=cell,
        held_on=MEETING,
        purpose="admission",
        present={x.pk for x in members},
        absence_reasons={},
        by=secretary,
    )
    vote = vote_record(
        meeting=m, candidate=eligible_candidate(cell, secretary), votes_for=4, votes_against=2, by=secretary
    )
    assert (vote.denominator, vote.needed, vote.passed) == (6, 4, True)
    assert vote.percent == 66.67


def test_more_votes_than_official_members_present_is_refused(cell):
    c, secretary, officials, probationers = cell
    m = meeting(c, secretary, officials, probationers)
    with pytest.raises(ValidationError, match="only 7 members present may vote"):
        vote_record(meeting=m, candidate=eligible_candidate(c, secretary), votes_for=8, votes_against=0, by=secretary)


def test_an_ineligible_candidate_cannot_be_voted_on_and_the_reason_is_given(cell):
    c, secretary, officials, probationers = cell
    person = PersonFactory(date_of_birth=D(2000, 1, 1))
    AwarenessCertificate.objects.create(person=person, number="2/CN", issued_on=D(2021, 3, 2), issuer="TTCT huyện")
    case = candidate_nominate(person=person, cell=c, nominated_by="cell", nominated_on=D(2026, 1, 5), by=secretary)
    m = meeting(c, secretary, officials, probationers)
    with pytest.raises(ValidationError, match="02/03/2026"):
        vote_record(meeting=m, candidate=case, votes_for=7, votes_against=0, by=secretary)
    assert not m.votes.exists()


def test_one_vote_per_candidate_per_meeting(cell):
    c, secretary, officials, probationers = cell
    m = meeting(c, secretary, officials, probationers)
    case = eligible_candidate(c, secretary)
    vote_record(meeting=m, candidate=case, votes_for=6, votes_against=1, by=secretary)
    with pytest.raises(ValidationError, match="already voted"):
        vote_record(meeting=m, candidate=case, votes_for=6, votes_against=1, by=secretary)


def test_an_absent_official_member_needs_a_reason(cell):
    c, secretary, officials, _probationers = cell
    with pytest.raises(ValidationError, match=officials[6].person.full_name):
        cell_meeting_record(
            cell=c,
            held_on=MEETING,
            purpose="admission",
            present={m.pk for m in officials[:6]},
            absence_reasons={},
            by=secretary,
        )
    m = cell_meeting_record(
        cell=c,
        held_on=MEETING,
        purpose="admission",
        present={m.pk for m in officials[:6]},
        absence_reasons={officials[6].pk: "Ốm"},
        by=secretary,
    )
    assert m.attendance.get(membership=officials[6]).absence_reason == "Ốm"


def test_a_meeting_in_the_future_or_by_another_unit_is_refused(cell, world):
    c, secretary, _officials, _probationers = cell
    with pytest.raises(ValidationError):
        cell_meeting_record(
            cell=c, held_on=D(2026, 3, 3), purpose="admission", present=set(), absence_reasons={}, by=secretary
        )
    with pytest.raises(PermissionDenied):
        cell_meeting_record(
            cell=c, held_on=MEETING, purpose="admission", present=set(), absence_reasons={}, by=world.approver
        )


def test_a_member_who_becomes_official_on_the_meeting_day_counts(cell):
    c, secretary, officials, probationers = cell
    Membership.objects.filter(pk=probationers[0].pk).update(official_on=MEETING)
    assert meeting(c, secretary, officials, probationers).official_members == 10


def test_a_grassroots_committee_counts_all_its_members_not_those_present(world):
    m = committee_meeting_record(
        org=world.agency,
        body=VoteBody.GRASSROOTS_COMMITTEE,
        held_on=MEETING,
        purpose="admission",
        members_total=9,
        present=7,
        by=world.agency_officer,
    )
    case = eligible_candidate(world.agency_cell, _cell_secretary(world))
    vote = vote_record(meeting=m, candidate=case, votes_for=5, votes_against=2, by=world.agency_officer)
    assert (vote.denominator, vote.needed, vote.passed) == (9, 6, False)


def _cell_secretary(world):
    user = UserFactory(username="bithu.vanphong")
    give_role(user, world.agency_cell, RoleKind.CELL_SECRETARY)
    return user
