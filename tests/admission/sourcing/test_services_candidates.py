"""Writes on candidate cases: nomination (rule-set snapshot, one open case, members excluded), re-opening, the
sympathiser list, helping members, review notes, closing; every transition logged with who and why."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_fsm_log.models import StateLog

from admission.party.models.people import Membership
from admission.rules.models.rulesets import RuleSet
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.services.candidates import (
    candidate_close,
    candidate_list_as_sympathiser,
    candidate_nominate,
    candidate_reopen,
    mentor_assign,
    mentor_end,
    review_note_add,
)
from tests.factories import MembershipFactory, PersonFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    """A fixed today, and English messages so that `match=` reads the msgids whatever the catalogue says."""
    with (
        translation.override("en"),
        time_machine.travel(datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC), tick=False),
    ):
        yield


NOMINATED_ON = D(2026, 2, 20)


def nominate(world, person=None, on=NOMINATED_ON, **kw):
    return candidate_nominate(
        person=person or PersonFactory(),
        cell=kw.pop("cell", world.village_cell),
        nominated_by="youth_union",
        nominated_on=on,
        by=kw.pop("by", world.secretary),
        **kw,
    )


def logs(obj):
    return list(StateLog.objects.for_(obj).order_by("timestamp", "pk"))


# Nomination


def test_nomination_snapshots_the_rule_set_in_force_on_the_nomination_date(world):
    assert nominate(world, on=D(2026, 7, 25)).rule_set.code == "294-QĐ/TW"
    assert nominate(world, on=D(2026, 7, 26)).rule_set.code == "208-QĐ/TW"


def test_nomination_locks_the_rule_set_it_snapshots(world):
    assert not RuleSet.objects.get(code="294-QĐ/TW").locked
    nominate(world)
    assert RuleSet.objects.get(code="294-QĐ/TW").locked


def test_a_nomination_gets_a_case_code_of_its_year_and_starts_as_nominated(world):
    case = nominate(world)
    assert case.code == "KN-2026-000001"
    assert (case.state, case.attempt, case.opened_on) == (CandidateState.NOMINATED, 1, D(2026, 2, 20))
    assert nominate(world).code == "KN-2026-000002"


def test_a_second_open_case_for_the_same_person_is_refused(world):
    person = PersonFactory()
    nominate(world, person)
    with pytest.raises(ValidationError, match="open case"):
        nominate(world, person)
    assert Candidate.objects.filter(person=person).count() == 1


def test_a_party_member_cannot_be_nominated(world):
    member = Membership.objects.filter(cell=world.village_cell).first().person
    with pytest.raises(ValidationError, match="party member"):
        nominate(world, member)


def test_a_nomination_must_go_to_a_cell_the_user_acts_for(world):
    with pytest.raises(PermissionDenied):
        nominate(world, by=world.approver)  # sees the cell, does not act for it
    with pytest.raises(ValidationError):
        nominate(world, cell=world.commune, by=world.approver)  # a committee is not a cell


def test_a_nomination_cannot_be_dated_in_the_future(world):
    with pytest.raises(ValidationError, match="future"):
        nominate(world, on=D(2026, 9, 2))


def test_reopening_a_closed_case_creates_attempt_2_for_the_same_person(world):
    first = nominate(world)
    with pytest.raises(ValidationError, match="still open"):
        candidate_reopen(previous=first, nominated_by="cell", nominated_on=D(2026, 5, 1), by=world.secretary)
    first = candidate_close(
        candidate=first, withdrawn=True, reason="Chuyển công tác", on=D(2026, 3, 1), by=world.secretary
    )
    second = candidate_reopen(previous=first, nominated_by="cell", nominated_on=D(2026, 5, 1), by=world.secretary)
    assert (second.person, second.attempt, second.state) == (first.person, 2, CandidateState.NOMINATED)
    assert second.code != first.code


# The sympathiser list


def test_the_cell_puts_the_person_on_the_list_and_the_log_says_who_and_why(world):
    case = nominate(world)
    case = candidate_list_as_sympathiser(
        candidate=case, meeting_on=D(2026, 3, 5), note="Họp chi bộ", by=world.secretary
    )
    assert case.state == CandidateState.SYMPATHISER
    assert case.sympathiser_meeting_on == D(2026, 3, 5)
    [log] = logs(case)
    assert (log.by, log.source_state, log.state, log.description) == (
        world.secretary,
        CandidateState.NOMINATED,
        CandidateState.SYMPATHISER,
        "Họp chi bộ",
    )


def test_without_a_note_the_log_names_the_meeting_date(world):
    case = candidate_list_as_sympathiser(candidate=nominate(world), meeting_on=D(2026, 3, 5), by=world.secretary)
    assert "05/03/2026" in logs(case)[0].description


def test_the_committee_above_cannot_put_a_person_on_the_cells_list(world):
    case = nominate(world)
    with pytest.raises(PermissionDenied):
        candidate_list_as_sympathiser(candidate=case, meeting_on=D(2026, 3, 5), by=world.approver)
    case.refresh_from_db()
    assert case.state == CandidateState.NOMINATED and logs(case) == []


def test_the_meeting_cannot_be_before_the_nomination(world):
    with pytest.raises(ValidationError):
        candidate_list_as_sympathiser(candidate=nominate(world), meeting_on=D(2026, 2, 19), by=world.secretary)


def test_a_person_cannot_be_listed_twice(world):
    case = candidate_list_as_sympathiser(candidate=nominate(world), meeting_on=D(2026, 3, 5), by=world.secretary)
    with pytest.raises(ValidationError, match="not possible"):
        candidate_list_as_sympathiser(candidate=case, meeting_on=D(2026, 3, 6), by=world.secretary)


# Helping members (one or two official members of the same cell, dated, replaceable)


def official(world, cell=None):
    return MembershipFactory(cell=cell or world.village_cell)


def test_an_official_member_of_the_same_cell_is_assigned_to_help(world):
    case = nominate(world)
    mentor = mentor_assign(candidate=case, member=official(world), assigned_on=D(2026, 3, 5), by=world.secretary)
    assert mentor.candidate == case and mentor.ended_on is None


def test_a_member_of_another_cell_cannot_help(world):
    with pytest.raises(ValidationError, match="same cell"):
        mentor_assign(
            candidate=nominate(world), member=official(world, world.cell), assigned_on=D(2026, 3, 5), by=world.secretary
        )


def test_a_probationary_member_cannot_help(world):
    probationary = MembershipFactory(cell=world.village_cell, admitted_on=D(2026, 1, 5), official_on=None)
    with pytest.raises(ValidationError, match="official member"):
        mentor_assign(candidate=nominate(world), member=probationary, assigned_on=D(2026, 3, 5), by=world.secretary)


def test_at_most_two_members_help_at_a_time(world):
    case = nominate(world)
    for _ in range(2):
        mentor_assign(candidate=case, member=official(world), assigned_on=D(2026, 3, 5), by=world.secretary)
    with pytest.raises(ValidationError, match="two"):
        mentor_assign(candidate=case, member=official(world), assigned_on=D(2026, 3, 5), by=world.secretary)


def test_the_same_member_is_not_assigned_twice(world):
    case, member = nominate(world), official(world)
    mentor_assign(candidate=case, member=member, assigned_on=D(2026, 3, 5), by=world.secretary)
    with pytest.raises(ValidationError, match="already helps"):
        mentor_assign(candidate=case, member=member, assigned_on=D(2026, 3, 6), by=world.secretary)


def test_a_helper_is_replaced_from_the_day_the_assignment_ends(world):
    case = nominate(world)
    first = mentor_assign(candidate=case, member=official(world), assigned_on=D(2026, 3, 5), by=world.secretary)
    mentor_assign(candidate=case, member=official(world), assigned_on=D(2026, 3, 5), by=world.secretary)
    replacement = official(world)
    new = mentor_end(
        mentor=first, ended_on=D(2026, 6, 1), reason="Chuyển công tác", replacement=replacement, by=world.secretary
    )
    first.refresh_from_db()
    assert (first.ended_on, first.end_reason) == (D(2026, 6, 1), "Chuyển công tác")
    assert (new.member, new.assigned_on) == (replacement, D(2026, 6, 1))
    assert case.mentors.filter(ended_on__isnull=True).count() == 2


def test_ending_an_assignment_needs_a_reason(world):
    case = nominate(world)
    mentor = mentor_assign(candidate=case, member=official(world), assigned_on=D(2026, 3, 5), by=world.secretary)
    with pytest.raises(ValidationError):
        mentor_end(mentor=mentor, ended_on=D(2026, 6, 1), reason=" ", by=world.secretary)


def test_only_the_cell_assigns_helpers(world):
    with pytest.raises(PermissionDenied):
        mentor_assign(candidate=nominate(world), member=official(world), assigned_on=D(2026, 3, 5), by=world.approver)


# Review notes and closing


def test_the_cell_writes_a_review_note_signed_by_its_author(world):
    note = review_note_add(candidate=nominate(world), reviewed_on=D(2026, 4, 1), text="Tiến bộ tốt", by=world.secretary)
    assert (note.author, note.text) == (world.secretary, "Tiến bộ tốt")


def test_the_committee_above_cannot_write_a_cell_review_note(world):
    with pytest.raises(PermissionDenied):
        review_note_add(candidate=nominate(world), reviewed_on=D(2026, 4, 1), text="x", by=world.approver)


def test_closing_a_case_needs_a_reason_and_is_logged(world):
    case = nominate(world)
    with pytest.raises(ValidationError):
        candidate_close(candidate=case, withdrawn=False, reason="", on=D(2026, 4, 1), by=world.secretary)
    case = candidate_close(candidate=case, withdrawn=False, reason="Không đạt", on=D(2026, 4, 1), by=world.secretary)
    assert (case.state, case.closed_on, case.closing_reason) == (
        CandidateState.NOT_ADMITTED,
        D(2026, 4, 1),
        "Không đạt",
    )
    [log] = logs(case)
    assert (log.by, log.state, log.description) == (world.secretary, CandidateState.NOT_ADMITTED, "Không đạt")


def test_a_closed_case_cannot_be_closed_again(world):
    case = candidate_close(
        candidate=nominate(world), withdrawn=True, reason="Rút", on=D(2026, 4, 1), by=world.secretary
    )
    with pytest.raises(ValidationError):
        candidate_close(candidate=case, withdrawn=False, reason="Lại", on=D(2026, 4, 2), by=world.secretary)
