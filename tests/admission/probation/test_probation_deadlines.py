"""Probation's dates: the official and party-age dates, the cell's and the decision's deadlines at their
boundaries (with the extension), and the timer's list (reminders, opening the recognition step).
"""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from admission.probation.models import ProbationStatus
from admission.probation.selectors import probation_dates
from admission.probation.services import (
    TimerAction,
    VoteOutcome,
    next_step,
    probation_actions_on,
    probation_deadlines,
    recognition_decision_extend,
    recognition_step_complete,
)
from admission.rules.calendar import WorkingCalendar
from admission.sourcing.models.candidates import CandidateState
from tests.admission.probation.helpers import DECIDED, END, at, cell_vote, complete_dossier, probationer

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")
CAL = WorkingCalendar()


# ------------------------------------------------------------------------------------------------------------------
# The official date, the party-age date, the deadlines
# ------------------------------------------------------------------------------------------------------------------


def test_a_late_decision_still_makes_the_member_official_from_the_end_of_probation(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    result = cell_vote(probation, world.secretary, D(2026, 8, 20), 3)
    assert result.outcome == VoteOutcome.RECOGNISE
    decision = next_step(probation)
    assert (decision.form, decision.org) == ("16-KNĐ", world.commune)
    late = D(2026, 11, 20)  # long after the decision's deadline
    with at(late):
        with pytest.raises(ValidationError, match="give the reason for the delay"):
            recognition_step_complete(step=decision, by=world.approver, on=late, document_number="70-QĐ/ĐU")
        recognition_step_complete(
            step=decision, by=world.approver, on=late, document_number="70-QĐ/ĐU", late_reason="Hồ sơ bổ sung"
        )
    probation.refresh_from_db()
    probation.membership.refresh_from_db()
    dates = probation_dates(probation=probation, on=late)
    assert probation.candidate.state == CandidateState.OFFICIAL
    assert probation.status == ProbationStatus.RECOGNISED
    assert probation.membership.official_on == END
    assert probation.membership.admitted_on == DECIDED
    assert (dates.official_on, dates.party_age_from) == (END, DECIDED)


def test_only_the_deciding_body_records_the_recognition_decision(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    cell_vote(probation, world.secretary, D(2026, 8, 20), 3)
    with at(D(2026, 8, 25)), pytest.raises(PermissionDenied):
        recognition_step_complete(step=next_step(probation), by=world.secretary, on=D(2026, 8, 25), document_number="1")


def test_the_cell_votes_on_its_last_working_day_without_a_reason_and_the_next_day_needs_one(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    due = probation_deadlines(probation.candidate, calendar=CAL).cell_due
    assert CAL.working_days_between(END, due) == 30
    late = CAL.add_working_days(due, 1)
    with pytest.raises(ValidationError, match="give the reason for the delay"):
        cell_vote(probation, world.secretary, late, 3)
    result = cell_vote(probation, world.secretary, due, 3)
    assert result.outcome == VoteOutcome.RECOGNISE


def test_the_cell_cannot_vote_before_probation_ends(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    with pytest.raises(ValidationError, match="Probation ends on 15/08/2026"):
        cell_vote(probation, world.secretary, D(2026, 8, 14), 3)


def test_the_cell_cannot_vote_on_an_incomplete_dossier(world):
    probation = probationer(world)
    with pytest.raises(ValidationError, match="new-member course certificate"):
        cell_vote(probation, world.secretary, D(2026, 8, 17), 3)


def test_the_decision_on_its_last_working_day_needs_no_reason_and_the_extension_moves_it(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    resolution_on = D(2026, 8, 17)
    cell_vote(probation, world.secretary, resolution_on, 3)
    due = probation_deadlines(probation.candidate, calendar=CAL).decision_due
    assert CAL.working_days_between(resolution_on, due) == 30
    step = next_step(probation)
    day_after = CAL.add_working_days(due, 1)
    with at(day_after):
        with pytest.raises(ValidationError, match="give the reason"):
            recognition_step_complete(step=step, by=world.approver, on=day_after, document_number="9-QĐ")
        with pytest.raises(PermissionDenied):
            recognition_decision_extend(probation=probation, reason="Chờ xác minh", by=world.secretary)
        recognition_decision_extend(probation=probation, reason="Chờ xác minh", by=world.approver)
    extended = probation_deadlines(probation.candidate, calendar=CAL)
    assert extended.decision_extended
    assert CAL.working_days_between(due, extended.decision_due) == 30
    with at(day_after):
        recognition_step_complete(step=step, by=world.approver, on=day_after, document_number="9-QĐ")
    probation.membership.refresh_from_db()
    assert probation.membership.official_on == END


def test_the_decision_on_the_deadline_itself_is_on_time(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    cell_vote(probation, world.secretary, D(2026, 8, 17), 3)
    due = probation_deadlines(probation.candidate, calendar=CAL).decision_due
    with at(due):
        recognition_step_complete(step=next_step(probation), by=world.approver, on=due, document_number="9-QĐ")
    probation.refresh_from_db()
    assert probation.status == ProbationStatus.RECOGNISED


# ------------------------------------------------------------------------------------------------------------------
# The timer's list
# ------------------------------------------------------------------------------------------------------------------


def test_reminders_go_at_each_lead_time_and_the_recognition_opens_on_the_last_day(world):
    probation = probationer(world)
    assert probation_actions_on(END - timedelta(days=91), [probation]) == []
    [remind] = probation_actions_on(END - timedelta(days=90), [probation])
    assert (remind.action, remind.days_before) == (TimerAction.REMIND, 90)
    probation.last_reminder_days = 90
    assert probation_actions_on(END - timedelta(days=61), [probation]) == []
    # A missed day is caught up once with the closest lead time, not once per lead time.
    [catch_up] = probation_actions_on(END - timedelta(days=20), [probation])
    assert catch_up.days_before == 30
    probation.last_reminder_days = 7
    assert probation_actions_on(END - timedelta(days=1), [probation]) == []
    [opening] = probation_actions_on(END, [probation])
    assert opening.action == TimerAction.OPEN_RECOGNITION
    dates = probation_deadlines(probation.candidate)
    assert [r.days_before for r in dates.reminders] == [90, 60, 30, 15, 7]
    assert dates.reminders[-1].on == D(2026, 8, 8)
