"""Guests of a cell (a border-guard member taking part in a border-village cell's meetings): recorded by the host
cell with dates and a reason, on the meeting roster marked as guests, never in the denominator, the 2/3 threshold
or the votes; whether they may help or introduce there is the rule set's `guests_may_help_or_introduce`."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from admission.decisions.models.meetings import Attendance
from admission.decisions.services.meetings import cell_meeting_record, vote_record
from admission.dossier.introducers import check_introducer
from admission.party import selectors
from admission.party.models.orgs import OrgKind
from admission.party.models.people import MemberExemption
from admission.party.models.roles import RoleKind
from admission.party.services.guests import guest_end, guest_record
from admission.rules.models.rulesets import RuleSet
from admission.sourcing.models.training import AwarenessCertificate
from admission.sourcing.services.candidates import candidate_nominate, mentor_assign
from tests.factories import MembershipFactory, PersonFactory, UserFactory, give_role, make_org

D = datetime.date
MEETING = D(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen():
    with translation.override("en"), time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def border(world):
    """A border-village cell of nine official members (one transferred away, one exempted) and two probationers,
    and a border-guard post's cell whose member takes part in the village cell's meetings from 01/01/2026."""
    village = make_org(OrgKind.GRASSROOTS_CELL, world.commune, name="Chi bộ thôn Bản Chuồng")
    secretary = UserFactory(username="bithu.banchuong")
    give_role(secretary, village, RoleKind.CELL_SECRETARY)
    officials = [MembershipFactory(cell=village) for _ in range(9)]
    probationers = [MembershipFactory(cell=village, admitted_on=D(2025, 9, 1), official_on=None) for _ in range(2)]
    MemberExemption.objects.create(membership=officials[7], kind="temporary_transfer", starts_on=D(2026, 1, 1))
    MemberExemption.objects.create(membership=officials[8], kind="exempted", starts_on=D(2025, 1, 1))
    post = make_org(OrgKind.GRASSROOTS_CELL, world.other_commune, name="Chi bộ Đồn Biên phòng Hoành Mô")
    guard = MembershipFactory(cell=post, person=PersonFactory(full_name="Lò Văn Biên"))
    guest = guest_record(
        membership=guard,
        host_cell=village,
        starts_on=D(2026, 1, 1),
        reason="Border-guard post member working in the village",
        by=secretary,
    )
    return village, secretary, officials, probationers, guard, guest


def candidate_of(cell, secretary):
    person = PersonFactory(date_of_birth=D(2000, 1, 1))
    AwarenessCertificate.objects.create(person=person, number="1/CN", issued_on=D(2025, 6, 1), issuer="Đảng ủy xã")
    return candidate_nominate(person=person, cell=cell, nominated_by="cell", nominated_on=D(2026, 1, 5), by=secretary)


def meeting(border, *, guest_present=True):
    village, secretary, officials, probationers, guard, _guest = border
    present = {m.pk for m in officials[:7]} | {m.pk for m in probationers} | ({guard.pk} if guest_present else set())
    return cell_meeting_record(
        cell=village, held_on=MEETING, purpose="admission", present=present, absence_reasons={}, by=secretary
    )


# Recording a guest


def test_the_guest_is_recorded_with_its_reason_in_the_history(border):
    guest = border[5]
    assert guest.history.first().history_change_reason == "Border-guard post member working in the village"
    assert guest.recorded_by == border[1]


def test_only_the_host_cell_records_its_guests(world, border):
    village, _secretary, _o, _p, guard, _g = border
    with pytest.raises(PermissionDenied):
        guest_record(membership=guard, host_cell=village, starts_on=D(2027, 1, 1), reason="x", by=world.outsider)


def test_a_member_is_not_a_guest_of_their_own_cell_and_a_reason_is_needed(border):
    village, secretary, officials, _p, guard, _g = border
    with pytest.raises(ValidationError, match="own cell"):
        guest_record(membership=officials[0], host_cell=village, starts_on=D(2026, 2, 1), reason="x", by=secretary)
    with pytest.raises(ValidationError, match="Say why"):
        guest_record(membership=guard, host_cell=village, starts_on=D(2027, 2, 1), reason=" ", by=secretary)


def test_overlapping_guest_periods_are_refused(border):
    village, secretary, _o, _p, guard, _g = border
    with pytest.raises(ValidationError, match="already a guest"):
        guest_record(membership=guard, host_cell=village, starts_on=D(2026, 6, 1), reason="again", by=secretary)


# The roster: shown, never counted


def test_a_guest_is_on_the_roster_marked_as_guest_but_not_in_the_denominator(border):
    m = meeting(border)
    assert (m.official_members, m.probationary_members, m.members_total, m.present) == (9, 2, 11, 9)
    assert m.denominator == 7  # as without the guest: 9 official, less the transferred and the absent exempted
    guard = border[4]
    row = Attendance.objects.get(meeting=m, membership=guard)
    assert row.guest and row.present and not row.official
    assert {"membership": guard.pk, "name": "Lò Văn Biên", "official": False, "present": True, "guest": True} in (
        m.roster
    )


def test_the_two_thirds_threshold_is_computed_without_the_guest(border):
    village, secretary, *_ = border
    m = meeting(border)
    vote = vote_record(
        meeting=m, candidate=candidate_of(village, secretary), votes_for=5, votes_against=0, by=secretary
    )
    assert (vote.denominator, vote.needed, vote.passed) == (7, 5, True)
    m2 = meeting(border, guest_present=False)
    assert m2.denominator == m.denominator


def test_a_guest_cannot_vote(border):
    village, secretary, *_ = border
    m = meeting(border)  # seven official members present who count, and the guest
    with pytest.raises(ValidationError, match="8 votes were entered but only 7"):
        vote_record(meeting=m, candidate=candidate_of(village, secretary), votes_for=8, votes_against=0, by=secretary)


def test_the_cell_roster_counts_the_guest_apart(border):
    roster = selectors.voting_roster(cell=border[0], on=MEETING)
    assert roster.guests == 1
    assert roster.denominator() == 7


def test_a_guest_period_that_ended_is_not_on_the_roster(border):
    village, secretary, _o, _p, _guard, guest = border
    guest_end(guest=guest, ends_on=D(2026, 2, 1), reason="Posted elsewhere", by=secretary)
    assert not selectors.guests_of(cell=village, on=MEETING).exists()
    with pytest.raises(ValidationError, match="not members of this cell"):
        meeting(border)


# The rule set decides whether a guest helps or introduces


def allow_guests(candidate, allowed):
    RuleSet.objects.filter(pk=candidate.rule_set_id).update(guests_may_help_or_introduce=allowed)
    candidate.rule_set.refresh_from_db()


def test_by_default_a_guest_may_not_help(border):
    village, secretary, _o, _p, guard, _g = border
    case = candidate_of(village, secretary)
    assert case.rule_set.guests_may_help_or_introduce is False
    with pytest.raises(ValidationError, match="does not let guests help"):
        mentor_assign(candidate=case, member=guard, assigned_on=MEETING, by=secretary)
    offered = selectors.helpers_and_introducers_offered(cell=village, on=MEETING, with_guests=False)
    assert guard not in offered


def test_a_guest_may_help_when_the_rule_set_allows_it(border):
    village, secretary, _o, _p, guard, _g = border
    case = candidate_of(village, secretary)
    allow_guests(case, True)
    assert mentor_assign(candidate=case, member=guard, assigned_on=MEETING, by=secretary).member == guard
    assert guard in selectors.helpers_and_introducers_offered(cell=village, on=MEETING, with_guests=True)


def test_a_member_of_another_cell_who_is_not_a_guest_never_helps(world, border):
    village, secretary, *_ = border
    case = candidate_of(village, secretary)
    allow_guests(case, True)
    stranger = MembershipFactory(cell=world.other_cell)
    with pytest.raises(ValidationError, match="same cell"):
        mentor_assign(candidate=case, member=stranger, assigned_on=MEETING, by=secretary)


@pytest.mark.parametrize("allowed", [False, True])
def test_a_guest_introduces_only_where_the_rule_set_allows_it(border, allowed):
    village, secretary, _o, _p, guard, _g = border
    case = candidate_of(village, secretary)
    allow_guests(case, allowed)
    verdicts = check_introducer(
        introducer=guard,
        worked_together_from=D(2024, 1, 1),
        worked_together_to=None,
        rule_set=case.rule_set,
        meeting_on=MEETING,
        cell=village,
    )
    verdict = next(v for v in verdicts if v.code == "introducer_guest")
    assert verdict.passed is allowed
    assert "guest" in verdict.reason
