"""Probation and recognition: month arithmetic, the official and party-age dates, deadlines at their boundaries,
the 2/3 threshold both ways, removal, escalation after three inconclusive votes, transfers, the timer's list."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.services.meetings import cell_meeting_record, committee_meeting_record, vote_record
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.probation.models import ProbationStatus, RemovalStatus, TransferStatus
from admission.probation.selectors import probation_dates, probation_list_for_user
from admission.probation.services import (
    TimerAction,
    VoteOutcome,
    ceremony_hold,
    course_certificate_record,
    discipline_record,
    escalation_decide,
    helper_comment_record,
    helper_replace,
    next_step,
    opinions_record,
    probation_actions_on,
    probation_deadlines,
    recognition_decision_extend,
    recognition_step_complete,
    recognition_step_refuse,
    recognition_vote_record,
    removal_decide,
    removal_propose,
    self_review_record,
    transfer_in,
    transfer_out,
)
from admission.rules import compute as rules
from admission.rules.calendar import WorkingCalendar
from admission.rules.models.rulesets import RuleSet, VoteBody
from admission.sourcing.models.candidates import Candidate, CandidateState, Mentor
from tests.factories import MembershipFactory, PersonFactory, UserFactory, give_role

D = datetime.date
CAL = WorkingCalendar()
DECIDED = D(2025, 8, 1)  # the admission decision (294-QĐ/TW in force)
CEREMONY = D(2025, 8, 15)  # a Friday
END = D(2026, 8, 15)  # twelve months later: the official date


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 3, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def probationer(world, *, cell=None, secretary=None, decided_on=DECIDED, ceremony_on=CEREMONY, sourcing_mentor=False):
    """An admitted case (decision recorded) whose ceremony is recorded through `ceremony_hold`."""
    cell = cell or world.village_cell
    secretary = secretary or world.secretary
    person = PersonFactory()
    opened = decided_on - timedelta(days=200)
    case = Candidate.objects.create(
        code=f"KN-T-{person.pk:06d}",
        person=person,
        cell=cell,
        rule_set=RuleSet.in_force_on(opened),
        state=CandidateState.ADMITTED,
        opened_on=opened,
        nominated_by="cell",
        nominated_on=opened,
    )
    ChainStepRecord.objects.create(
        candidate=case,
        order=2,
        kind="decision",
        org=world.commune,
        form="9-KNĐ",
        status=StepStatus.DONE,
        document_number="1-QĐ/ĐU",
        document_date=decided_on,
        received_on=decided_on,
        done_on=decided_on,
    )
    officials = list(Membership.objects.filter(cell=cell).official_on(ceremony_on)[:2])
    if sourcing_mentor:
        Mentor.objects.create(candidate=case, member=officials[1], assigned_on=opened)
    with at(ceremony_on):
        ceremony = ceremony_hold(
            candidate=case,
            held_on=ceremony_on,
            decision_read_by="Bí thư chi bộ",
            mentors=officials[:1],
            late_consent_ref="5-CV/ĐU",
            by=secretary,
        )
    return ceremony.probation


def complete_dossier(probation, by, on=None):
    day = on or probation.ends_on - timedelta(days=20)
    with at(day):
        course_certificate_record(
            probation=probation, number="88/CN", issued_on=day, issuer="Trung tâm chính trị huyện", by=by
        )
        self_review_record(probation=probation, written_on=day, strengths="Hoàn thành tốt nhiệm vụ.", by=by)
        helper_comment_record(
            probation=probation,
            mentor=probation.helpers().filter(ended_on__isnull=True).first(),
            written_on=day,
            assessment="Đủ tư cách.",
            recommends_recognition=True,
            by=by,
        )
        opinions_record(
            probation=probation,
            compiled_on=day,
            residence_cell="Chi bộ thôn Nà Sa",
            residence_opinion="Đồng ý đề nghị công nhận.",
            by=by,
        )


def cell_vote(probation, secretary, on, votes_for, votes_against=0, **kw):
    cell = probation.candidate.cell
    present = set(Membership.objects.filter(cell=cell).active_on(on).values_list("pk", flat=True))
    with at(on):
        meeting = cell_meeting_record(
            cell=cell, held_on=on, purpose="recognition", present=present, absence_reasons={}, by=secretary
        )
        return recognition_vote_record(
            probation=probation,
            meeting=meeting,
            votes_for=votes_for,
            votes_against=votes_against,
            by=secretary,
            **kw,
        )


@pytest.fixture
def six(world):
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)  # six official members in all
    return world


# ------------------------------------------------------------------------------------------------------------------
# Month arithmetic
# ------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # a leap day has no twin: the month's last day
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2025, 8, 31), 12, D(2026, 8, 31)),
        (D(2024, 9, 15), 12, D(2025, 9, 15)),  # quiz Q6: ceremony 15/9/2024 → official 15/9/2025
        (D(2025, 12, 31), 12, D(2026, 12, 31)),
    ],
)
def test_probation_ends_the_same_day_n_months_later_or_the_months_last_day(start, months, end):
    assert rules.probation_end(start, months) == end


def test_a_ceremony_on_29_february_starts_a_probation_ending_on_28_february(world):
    probation = probationer(world, decided_on=D(2024, 2, 20), ceremony_on=D(2024, 2, 29))
    assert (probation.starts_on, probation.months, probation.ends_on) == (D(2024, 2, 29), 12, D(2025, 2, 28))
    assert probation.candidate.state == CandidateState.PROBATIONARY
    assert probation.status == ProbationStatus.RUNNING


def test_the_ceremonys_helpers_replace_those_of_the_sourcing_stage(world):
    probation = probationer(world, sourcing_mentor=True)
    sourcing = Mentor.objects.get(candidate=probation.candidate, assigned_on__lt=CEREMONY)
    assert sourcing.ended_on == CEREMONY
    assert [m.assigned_on for m in probation.helpers()] == [CEREMONY]


def test_a_helper_is_replaced_from_a_date_and_both_stay_on_record(world):
    probation = probationer(world)
    old = probation.helpers().get()
    replacement = Membership.objects.filter(cell=world.village_cell).exclude(pk=old.member_id).first()
    with at(D(2026, 1, 5)):
        new = helper_replace(
            probation=probation,
            mentor=old,
            replacement=replacement,
            on=D(2026, 1, 5),
            reason="Chuyển công tác",
            by=world.secretary,
        )
    old.refresh_from_db()
    assert old.ended_on == D(2026, 1, 5)
    assert new.member == replacement
    assert probation.helpers().count() == 2


def test_it_rejects_a_discipline_other_than_reprimand_or_warning(world):
    probation = probationer(world)
    with at(D(2026, 2, 2)):
        with pytest.raises(ValidationError, match="reprimand or a warning"):
            discipline_record(
                probation=probation,
                kind="expulsion",
                decided_on=D(2026, 2, 2),
                decision_ref="3-QĐ",
                decided_by="Chi bộ",
                reason="Vi phạm",
                by=world.secretary,
            )
        row = discipline_record(
            probation=probation,
            kind="warning",
            decided_on=D(2026, 2, 2),
            decision_ref="3-QĐ",
            decided_by="Chi bộ thôn Nà Sa",
            reason="Vi phạm",
            by=world.secretary,
        )
    assert row.get_kind_display().startswith("Warning")


def test_the_probationer_writes_their_own_self_review_but_an_outsider_cannot(world):
    probation = probationer(world)
    member_user = UserFactory(username="dangvien.duby")
    type(probation.candidate.person).objects.filter(pk=probation.candidate.person_id).update(user=member_user)
    probation.candidate.person.refresh_from_db()
    with at(D(2026, 7, 1)):
        review = self_review_record(probation=probation, written_on=D(2026, 7, 1), strengths="Tốt", by=member_user)
        with pytest.raises(PermissionDenied):
            self_review_record(probation=probation, written_on=D(2026, 7, 1), strengths="x", by=world.outsider)
    assert review.recorded_by == member_user


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
# Votes: the threshold both ways, removal, escalation
# ------------------------------------------------------------------------------------------------------------------


def test_exactly_two_thirds_of_the_official_members_recognises_and_one_vote_fewer_does_not(six):
    world = six
    probation = probationer(world)
    MembershipFactory(
        cell=world.village_cell, official_on=None, admitted_on=D(2026, 1, 1), joined_cell_on=D(2026, 2, 1)
    )
    complete_dossier(probation, world.secretary)
    short = cell_vote(probation, world.secretary, D(2026, 8, 17), 3)
    assert (short.vote.denominator, short.vote.needed) == (6, 4)  # two probationary members never count
    assert short.outcome == VoteOutcome.INCONCLUSIVE
    exact = cell_vote(probation, world.secretary, D(2026, 8, 18), 4)
    assert exact.outcome == VoteOutcome.RECOGNISE


def test_votes_against_reaching_two_thirds_propose_the_removal_which_the_committee_decides(six):
    world = six
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    with pytest.raises(ValidationError, match="reason for the removal"):
        cell_vote(probation, world.secretary, D(2026, 8, 17), 1, 4)
    result = cell_vote(
        probation,
        world.secretary,
        D(2026, 8, 17),
        1,
        4,
        removal_reason_code="not_qualified",
        removal_reason="Không đủ tư cách",
    )
    assert result.outcome == VoteOutcome.REMOVE
    removal = probation.removals.get()
    with at(D(2026, 9, 1)):
        with pytest.raises(PermissionDenied):
            removal_decide(
                removal=removal, approve=True, decided_on=D(2026, 9, 1), decision_number="8", by=world.secretary
            )
        removal_decide(
            removal=removal, approve=True, decided_on=D(2026, 9, 1), decision_number="8-QĐ", by=world.approver
        )
    probation.refresh_from_db()
    probation.membership.refresh_from_db()
    assert probation.candidate.state == CandidateState.REMOVED
    assert probation.status == ProbationStatus.REMOVED
    assert probation.membership.left_cell_on == D(2026, 9, 1)
    assert probation.membership.official_on is None


def test_the_cell_may_propose_removal_during_probation_and_a_rejected_removal_keeps_it_running(world):
    probation = probationer(world)
    with at(D(2026, 3, 2)):
        with pytest.raises(ValidationError, match="Choose the reason"):
            removal_propose(
                probation=probation, reason_code="bad", reason="x", proposed_on=D(2026, 3, 2), by=world.secretary
            )
        removal = removal_propose(
            probation=probation,
            reason_code="discipline",
            reason="Vi phạm",
            proposed_on=D(2026, 3, 2),
            by=world.secretary,
        )
        removal_decide(removal=removal, approve=False, decided_on=D(2026, 3, 2), by=world.approver)
    probation.refresh_from_db()
    removal.refresh_from_db()
    assert removal.status == RemovalStatus.REJECTED
    assert probation.status == ProbationStatus.RUNNING
    assert probation.candidate.state == CandidateState.PROBATIONARY


def test_a_refused_recognition_proposes_the_removal(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    cell_vote(probation, world.secretary, D(2026, 8, 17), 3)
    with at(D(2026, 9, 1)):
        removal = recognition_step_refuse(
            step=next_step(probation), reason="Chưa đủ điều kiện", by=world.approver, on=D(2026, 9, 1)
        )
    assert removal.status == RemovalStatus.PROPOSED
    assert removal.reason_code == "failed_recognition"
    assert next_step(probation) is None


def test_after_three_inconclusive_votes_the_competent_committee_decides(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    first = cell_vote(probation, world.secretary, D(2026, 8, 17), 1, 1)
    second = cell_vote(probation, world.secretary, D(2026, 8, 24), 1, 1)
    assert not first.escalated and not second.escalated
    third = cell_vote(probation, world.secretary, D(2026, 8, 31), 1, 1)
    assert third.outcome == VoteOutcome.INCONCLUSIVE and third.escalated
    probation.refresh_from_db()
    assert (probation.escalated_on, probation.escalated_to) == (D(2026, 8, 31), world.commune)
    with pytest.raises(ValidationError, match="reported to"):
        cell_vote(probation, world.secretary, D(2026, 9, 7), 3)
    with at(D(2026, 9, 14)):
        with pytest.raises(PermissionDenied):
            escalation_decide(
                probation=probation, recognise=True, decided_on=D(2026, 9, 14), document_number="9", by=world.secretary
            )
        escalation_decide(
            probation=probation, recognise=True, decided_on=D(2026, 9, 14), document_number="90-QĐ", by=world.approver
        )
    probation.refresh_from_db()
    probation.membership.refresh_from_db()
    assert probation.candidate.state == CandidateState.OFFICIAL
    assert probation.membership.official_on == END


def test_an_escalated_case_can_end_in_removal(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    for day in (D(2026, 8, 17), D(2026, 8, 24), D(2026, 8, 31)):
        cell_vote(probation, world.secretary, day, 1, 1)
    probation.refresh_from_db()
    with at(D(2026, 9, 14)):
        escalation_decide(
            probation=probation,
            recognise=False,
            decided_on=D(2026, 9, 14),
            document_number="91-QĐ",
            reason_code="failed_recognition",
            reason="Ba lần biểu quyết không đạt",
            by=world.approver,
        )
    probation.refresh_from_db()
    assert probation.candidate.state == CandidateState.REMOVED
    assert probation.removals.get().status == RemovalStatus.DECIDED


# ------------------------------------------------------------------------------------------------------------------
# Transfers
# ------------------------------------------------------------------------------------------------------------------


def test_a_transfer_inside_the_system_hands_the_recognition_to_the_receiving_cell(world):
    probation = probationer(world)
    receiving = UserFactory(username="bithu.toan")
    give_role(receiving, world.cell, RoleKind.CELL_SECRETARY)
    with at(D(2026, 3, 2)):
        with pytest.raises(PermissionDenied):
            transfer_out(
                probation=probation, moved_on=D(2026, 3, 2), former_cell_comment="Tốt", to_cell=world.cell, by=receiving
            )
        transfer = transfer_out(
            probation=probation,
            moved_on=D(2026, 3, 2),
            former_cell_comment="Sáu tháng ở chi bộ: hoàn thành tốt nhiệm vụ.",
            to_cell=world.cell,
            by=world.secretary,
        )
    assert transfer.status == TransferStatus.PENDING
    helper = Membership.objects.filter(cell=world.cell).first()
    with at(D(2026, 3, 9)):
        with pytest.raises(PermissionDenied):
            transfer_in(transfer=transfer, received_on=D(2026, 3, 9), helpers=[helper], by=world.secretary)
        transfer_in(transfer=transfer, received_on=D(2026, 3, 9), helpers=[helper], by=receiving)
    probation.refresh_from_db()
    candidate = probation.candidate
    candidate.refresh_from_db()
    assert candidate.cell == world.cell
    assert probation.membership.cell == world.cell and probation.membership.admitted_on == DECIDED
    assert Membership.objects.get(pk=transfer.from_membership_id).left_cell_on == D(2026, 3, 2)
    # Both cells see it: the receiving cell as its case, the former one as its history.
    assert probation_list_for_user(user=world.secretary).filter(pk=probation.pk).exists()
    assert probation_list_for_user(user=receiving).filter(pk=probation.pk).exists()
    assert not probation_list_for_user(user=world.outsider).filter(pk=probation.pk).exists()
    # The receiving cell's chain: its own resolution, the partial committee's appraisal, the grassroots resolution.
    complete_dossier(probation, receiving)
    cell_vote(probation, receiving, D(2026, 8, 17), 3)
    forms = list(probation.steps.order_by("order").values_list("form", "org"))
    assert forms == [
        ("13-KNĐ", world.cell.pk),
        ("14-KNĐ", world.partial.pk),
        ("15-KNĐ", world.agency.pk),
        ("16-KNĐ", world.commune.pk),
    ]
    partial_officer = UserFactory(username="dubp")
    give_role(partial_officer, world.partial, RoleKind.COMMITTEE_MEMBER)
    with at(D(2026, 8, 24)):
        recognition_step_complete(step=next_step(probation), by=partial_officer, on=D(2026, 8, 24))
        step = next_step(probation)
        with pytest.raises(ValidationError, match="Record the vote"):
            recognition_step_complete(step=step, by=world.agency_officer, on=D(2026, 8, 24))
        meeting = committee_meeting_record(
            org=world.agency,
            body=VoteBody.GRASSROOTS_COMMITTEE,
            held_on=D(2026, 8, 24),
            purpose="recognition",
            members_total=9,
            present=8,
            by=world.agency_officer,
        )
        vote = vote_record(meeting=meeting, candidate=candidate, votes_for=6, votes_against=0, by=world.agency_officer)
        recognition_step_complete(step=step, by=world.agency_officer, on=D(2026, 8, 24), vote=vote)
        recognition_step_complete(step=next_step(probation), by=world.approver, on=D(2026, 8, 24), document_number="5")
    probation.membership.refresh_from_db()
    assert probation.membership.official_on == END


def test_a_transfer_out_of_the_system_closes_the_case_here(world):
    probation = probationer(world)
    with at(D(2026, 3, 2)):
        with pytest.raises(ValidationError, match="Choose the receiving cell"):
            transfer_out(probation=probation, moved_on=D(2026, 3, 2), former_cell_comment="Tốt", by=world.secretary)
        transfer_out(
            probation=probation,
            moved_on=D(2026, 3, 2),
            former_cell_comment="Tốt",
            destination="Đảng bộ phường Bãi Cháy",
            by=world.secretary,
        )
    probation.refresh_from_db()
    assert probation.status == ProbationStatus.TRANSFERRED_OUT
    assert probation.candidate.state == CandidateState.TRANSFERRED_OUT


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
