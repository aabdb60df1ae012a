"""Writes on probation and recognition (domain.md §5), with the deadlines and the timer's to-do list.

- `probation_start` runs inside `ceremony_hold`, after `ceremony_record`: probation from the ceremony's date for
  the rule set's months (Charter Art. 5.1), the ceremony's helpers assigned.
- The dossier: course certificate, discipline (reprimand or warning only), self-review 10-KNĐ, helpers' comments
  11-KNĐ, compiled opinions 12-KNĐ.
- The cell's vote (13-KNĐ) goes through `admission.decisions.services.meetings` with purpose "recognition": same
  threshold as admission, probationary members never count. A vote reaching the threshold for recognition snapshots the
  recognition chain (13 → 14 → 15 → 16-KNĐ, `hierarchy.approval_chain(..., purpose=RECOGNITION)`); one whose votes
  against reach it proposes the removal; after the rule set's number (three) of votes reaching it neither way, the
  case is reported to the competent committee, which decides (Charter Art. 5.3; 29-QĐ/TW §4.3.1).
- The decision (16-KNĐ) makes the member official **from the day probation ended**, however late it comes
  (Art. 5.3); party age keeps counting from the admission decision's date (Art. 5.4).
- Transfers: the former cell writes its comments; the receiving cell takes over the case and its recognition.

Deadlines are working days from the rule set: the cell within 30 after the end of probation, the deciding body
within 30 after the cell's resolution (+30 once, with a reason). Acting after a deadline is allowed (the official
date does not move) but needs the reason for the delay, which the record keeps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission.decisions.models.decisions import Ceremony, StepStatus
from admission.decisions.models.meetings import Meeting, MeetingPurpose, Vote
from admission.decisions.services.decisions import ceremony_record
from admission.decisions.services.meetings import vote_record
from admission.dossier.services import _organisations as clean_organisations
from admission.party import hierarchy, permissions
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.probation.models import (
    DisciplineKind,
    HelperComment,
    NewMemberCertificate,
    Probation,
    ProbationDiscipline,
    ProbationOpinions,
    ProbationRemoval,
    ProbationStatus,
    ProbationTransfer,
    RecognitionStep,
    RemovalReason,
    RemovalStatus,
    SelfReview,
    TransferStatus,
)
from admission.probation.signals import probation_changed
from admission.rules import compute as rules
from admission.rules.calendar import WorkingCalendar, working_calendar
from admission.rules.models.rulesets import DeadlineStep, RuleSet, VoteBody
from admission.rules.reference import normalise_text
from admission.rules.reference import vn_date as _d
from admission.rules.services import ruleset_for_step
from admission.sourcing.models.candidates import Candidate, CandidateState, Mentor
from admission.sourcing.services.candidates import MAX_ACTIVE_MENTORS, mentor_assign, mentor_end
from admission.sourcing.services.transitions import fire


def _lock(probation: Probation) -> Probation:
    return (
        Probation.objects.select_for_update()
        .select_related("candidate__cell", "candidate__person", "candidate__rule_set", "membership")
        .get(pk=probation.pk)
    )


def _rule_set(probation: Probation, on: date) -> RuleSet:
    return ruleset_for_step(case_rule_set=probation.candidate.rule_set, step_on=on)


def _require_open(probation: Probation) -> None:
    if not probation.is_open:
        raise ValidationError(_("The probation is closed (%(status)s).") % {"status": probation.get_status_display()})


def _require_no_pending_transfer(probation: Probation) -> None:
    if probation.transfers.filter(status=TransferStatus.PENDING).exists():
        raise ValidationError(_("The member is being transferred: the receiving cell must receive them first."))


def _between(day: date, first: date, message: str) -> None:
    if day < first or day > permissions.today():
        raise ValidationError(message)


def _text(value: str) -> str:
    return normalise_text(value or "").strip()


# ------------------------------------------------------------------------------------------------------------------
# Start, helpers, dossier
# ------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def ceremony_hold(*, candidate: Candidate, by: Any, **ceremony: Any) -> Ceremony:
    """Record the ceremony (`ceremony_record`: its checks, its deadline) and open the probation it starts, in one
    transaction: the person is a probationary member from that day (Charter Art. 5.1)."""
    held = ceremony_record(candidate=candidate, by=by, **ceremony)
    probation_start(ceremony=held, by=by)
    return held


@transaction.atomic
def probation_start(*, ceremony: Ceremony, by: Any) -> Probation:
    """Open the probation at the ceremony (called by `ceremony_hold`, after `ceremony_record` checked the user): it
    runs from the ceremony's date for the rule set's months (Charter Art. 5.1; 29/02 + 12 months → 28/02). The
    helpers named at the ceremony replace those of the sourcing stage."""
    candidate = ceremony.candidate
    starts_on = ceremony.held_on
    months = ruleset_for_step(case_rule_set=candidate.rule_set, step_on=starts_on).probation_months
    for mentor in candidate.mentors.filter(ended_on__isnull=True):
        mentor.ended_on = max(starts_on, mentor.assigned_on)
        mentor.end_reason = _("Helpers assigned at the admission ceremony")
        mentor.save()
    for member in ceremony.mentors.all():
        Mentor.objects.create(candidate=candidate, member=member, assigned_on=starts_on)
    return Probation.objects.create(
        candidate=candidate,
        ceremony=ceremony,
        membership=ceremony.membership,
        starts_on=starts_on,
        months=months,
        ends_on=rules.probation_end(starts_on, months),
    )


def _helper_of(probation: Probation, mentor: Mentor) -> Mentor:
    if mentor.candidate_id != probation.candidate_id or mentor.assigned_on < probation.starts_on:
        raise ValidationError(_("This member was not assigned to help during the probation."))
    return mentor


@transaction.atomic
def helper_assign(*, probation: Probation, member: Membership, assigned_on: date, by: Any) -> Mentor:
    """Assign one more helper (one or two at a time), an official member of the member's current cell."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _between(assigned_on, probation.starts_on, _("The date must be between the start of probation and today."))
    return mentor_assign(candidate=probation.candidate, member=member, assigned_on=assigned_on, by=by)


@transaction.atomic
def helper_replace(
    *, probation: Probation, mentor: Mentor, replacement: Membership, on: date, reason: str, by: Any
) -> Mentor:
    """Replace a helper (moved away, ill, disciplined…) from `on`; both assignments stay on record."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _helper_of(probation, mentor)
    _between(on, probation.starts_on, _("The date must be between the start of probation and today."))
    new = mentor_end(mentor=mentor, ended_on=on, reason=reason, by=by, replacement=replacement)
    assert new is not None
    return new


@transaction.atomic
def course_certificate_record(
    *, probation: Probation, number: str, issued_on: date, issuer: str, by: Any
) -> NewMemberCertificate:
    """Record (or correct) the certificate of the political-theory course for new members."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _between(issued_on, probation.starts_on, _("The certificate must be dated between the ceremony and today."))
    if not _text(number) or not _text(issuer):
        raise ValidationError(_("Enter the certificate's number and who issued it."))
    cert = NewMemberCertificate.objects.filter(probation=probation).first() or NewMemberCertificate(probation=probation)
    cert.number, cert.issued_on, cert.issuer, cert.recorded_by = _text(number), issued_on, _text(issuer), by
    cert.full_clean()
    cert.save()
    return cert


@transaction.atomic
def discipline_record(
    *,
    probation: Probation,
    kind: str,
    decided_on: date,
    decision_ref: str,
    decided_by: str,
    reason: str,
    by: Any,
) -> ProbationDiscipline:
    """Record a sanction decided during probation: a reprimand or a warning only (Charter Art. 35). A graver fault
    means the probationer is no longer worthy: propose the removal instead."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    if kind not in DisciplineKind.values:
        raise ValidationError(
            _("During probation only a reprimand or a warning can be given; otherwise propose the removal.")
        )
    _between(decided_on, probation.starts_on, _("The decision must be dated between the ceremony and today."))
    if not _text(decision_ref) or not _text(reason) or not _text(decided_by):
        raise ValidationError(_("Enter the decision's number, who decided and the reason."))
    row = ProbationDiscipline(
        probation=probation,
        kind=kind,
        decided_on=decided_on,
        decision_ref=_text(decision_ref),
        decided_by=_text(decided_by),
        reason=_text(reason),
        recorded_by=by,
    )
    row.full_clean()
    row.save()
    return row


def _require_cell_or_self(probation: Probation, by: Any) -> None:
    person_user = probation.candidate.person.user_id
    if person_user is not None and getattr(by, "pk", None) == person_user:
        return
    permissions.require_act_for_org(by, probation.candidate.cell)


@transaction.atomic
def self_review_record(
    *, probation: Probation, written_on: date, strengths: str, by: Any, weaknesses: str = "", remedies: str = ""
) -> SelfReview:
    """The probationer's self-review (10-KNĐ), entered by the member or by the cell for them."""
    probation = _lock(probation)
    _require_cell_or_self(probation, by)
    _require_open(probation)
    _between(written_on, probation.starts_on, _("The self-review must be dated between the ceremony and today."))
    if not _text(strengths):
        raise ValidationError(_("Write the self-review's assessment."))
    review = SelfReview.objects.filter(probation=probation).first() or SelfReview(probation=probation)
    review.written_on = written_on
    review.strengths, review.weaknesses, review.remedies = _text(strengths), _text(weaknesses), _text(remedies)
    review.recorded_by = by
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def helper_comment_record(
    *,
    probation: Probation,
    mentor: Mentor,
    written_on: date,
    assessment: str,
    recommends_recognition: bool,
    by: Any,
) -> HelperComment:
    """A helper's comment on the probationer (11-KNĐ), entered by the helper or by the cell."""
    probation = _lock(probation)
    _helper_of(probation, mentor)
    helper_user = mentor.member.person.user_id
    if helper_user is None or getattr(by, "pk", None) != helper_user:
        permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _between(written_on, mentor.assigned_on, _("The comment must be dated between the assignment and today."))
    if not _text(assessment):
        raise ValidationError(_("Write the helper's assessment."))
    comment = HelperComment.objects.filter(probation=probation, mentor=mentor).first() or HelperComment(
        probation=probation, mentor=mentor
    )
    comment.written_on, comment.assessment = written_on, _text(assessment)
    comment.recommends_recognition, comment.recorded_by = recommends_recognition, by
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def opinions_record(
    *,
    probation: Probation,
    compiled_on: date,
    residence_cell: str,
    residence_opinion: str,
    by: Any,
    organisations: Sequence[Mapping[str, Any]] = (),
    synthesis: str = "",
) -> ProbationOpinions:
    """The cell committee's compilation (12-KNĐ) of the opinions of the organisations where the member works and of
    the cell where the member lives."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _between(compiled_on, probation.starts_on, _("The compilation must be dated between the ceremony and today."))
    if not _text(residence_cell) or not _text(residence_opinion):
        raise ValidationError(_("Record the opinion of the cell where the member lives."))
    summary = ProbationOpinions.objects.filter(probation=probation).first() or ProbationOpinions(probation=probation)
    summary.compiled_on = compiled_on
    summary.organisations = clean_organisations(organisations, compiled_on=compiled_on)
    summary.residence_cell, summary.residence_opinion = _text(residence_cell), _text(residence_opinion)
    summary.synthesis, summary.recorded_by = _text(synthesis), by
    summary.full_clean()
    summary.save()
    return summary


def recognition_dossier_missing(probation: Probation) -> list[str]:
    """What the cell still needs before voting (the recognition dossier, domain.md §5 item 2)."""
    missing: list[str] = []
    if not NewMemberCertificate.objects.filter(probation=probation).exists():
        missing.append(_("the new-member course certificate"))
    if not SelfReview.objects.filter(probation=probation).exists():
        missing.append(_("the self-review (10-KNĐ)"))
    if not probation.helper_comments.exists():
        missing.append(_("a helper's comment (11-KNĐ)"))
    if not ProbationOpinions.objects.filter(probation=probation).exists():
        missing.append(_("the compiled opinions (12-KNĐ)"))
    return missing


# ------------------------------------------------------------------------------------------------------------------
# Deadlines and the timer's to-do list
# ------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    days_before: int
    on: date


@dataclass(frozen=True)
class ProbationDeadlines:
    starts_on: date
    ends_on: date
    official_on: date  # the day probation ends, whatever the decision's date (Charter Art. 5.3)
    party_age_from: date  # the admission decision's date (Charter Art. 5.4)
    cell_due: date
    cell_resolution_on: date | None
    decision_due: date | None
    decision_extended: bool
    transfer_due: date | None
    reminders: list[Reminder] = field(default_factory=list)


def pending_transfer(probation: Probation) -> ProbationTransfer | None:
    """A move to another cell of this system that the receiving cell has not recorded yet."""
    return probation.transfers.filter(status=TransferStatus.PENDING).select_related("to_cell").first()


def pending_removal(probation: Probation) -> ProbationRemoval | None:
    """A removal proposed and waiting for the competent committee."""
    return probation.removals.filter(status=RemovalStatus.PROPOSED).first()


def current_round(probation: Probation) -> int:
    return probation.steps.aggregate(m=Max("round"))["m"] or 0


def cell_resolution(probation: Probation) -> RecognitionStep | None:
    """The cell's 13-KNĐ of the current chain, if done."""
    return probation.steps.filter(round=current_round(probation), order=1, status=StepStatus.DONE).first()


def next_step(probation: Probation) -> RecognitionStep | None:
    return probation.steps.filter(round=current_round(probation), status=StepStatus.PENDING).order_by("order").first()


def probation_deadlines(candidate: Candidate, *, calendar: WorkingCalendar | None = None) -> ProbationDeadlines:
    """The dates of a probation: its end (= the official date), the party-age date, the cell's recognition deadline
    (N working days after the end), the decision's (M working days after the cell's resolution, + the extension
    when a reason was given), the pending transfer's, and the reminder days (calendar days before the end)."""
    cal = calendar or working_calendar()
    probation = Probation.objects.select_related("membership", "candidate__rule_set").get(candidate=candidate)
    rs = ruleset_for_step(case_rule_set=candidate.rule_set, step_on=probation.ends_on)
    cell_due = rules.deadline(rule_set=rs, step=DeadlineStep.RECOGNITION_CELL, start=probation.ends_on, calendar=cal)
    resolution = cell_resolution(probation)
    decision_due = None
    if resolution is not None and resolution.done_on is not None:
        decision_due = rules.deadline(
            rule_set=_rule_set(probation, resolution.done_on),
            step=DeadlineStep.RECOGNITION_DECISION,
            start=resolution.done_on,
            calendar=cal,
            extended=bool(probation.decision_extension_reason),
        )
    pending = probation.transfers.filter(status=TransferStatus.PENDING).first()
    transfer_due = (
        rules.deadline(rule_set=rs, step=DeadlineStep.TRANSFER, start=pending.moved_on, calendar=cal)
        if pending
        else None
    )
    reminders = [
        Reminder(days, probation.ends_on - timedelta(days=days))
        for days in sorted(rs.probation_reminder_days, reverse=True)
    ]
    return ProbationDeadlines(
        starts_on=probation.starts_on,
        ends_on=probation.ends_on,
        official_on=probation.ends_on,
        party_age_from=probation.membership.admitted_on,
        cell_due=cell_due,
        cell_resolution_on=resolution.done_on if resolution else None,
        decision_due=decision_due,
        decision_extended=bool(probation.decision_extension_reason),
        transfer_due=transfer_due,
        reminders=reminders,
    )


class TimerAction(models.TextChoices):
    REMIND = "remind", gettext_lazy("Remind the cell that probation ends soon")
    OPEN_RECOGNITION = "open_recognition", gettext_lazy("Open the recognition step")


@dataclass(frozen=True)
class DueAction:
    probation: Probation
    action: str  # TimerAction
    days_before: int | None = None


def probation_actions_on(day: date, probations: Iterable[Probation]) -> list[DueAction]:
    """Pure: which running probations need their recognition step opened on `day` (probation has ended), and which
    need a reminder (the closest lead time reached and not yet sent; a missed day is caught up once, not once per
    lead time). Reads only the objects given (with `candidate.rule_set` loaded)."""
    due: list[DueAction] = []
    for probation in probations:
        if probation.status != ProbationStatus.RUNNING:
            continue
        if day >= probation.ends_on:
            due.append(DueAction(probation, TimerAction.OPEN_RECOGNITION))
            continue
        left = (probation.ends_on - day).days
        reached = [
            d
            for d in probation.candidate.rule_set.probation_reminder_days
            if d >= left and (probation.last_reminder_days is None or d < probation.last_reminder_days)
        ]
        if reached:
            due.append(DueAction(probation, TimerAction.REMIND, min(reached)))
    return due


def probation_actions_due(on: date | None = None) -> list[DueAction]:
    """The to-do list of the timer (viewflow timer or a daily command) for `on` (default: today)."""
    day = on or permissions.today()
    running = Probation.objects.filter(status=ProbationStatus.RUNNING).select_related(
        "candidate__rule_set", "candidate__cell", "candidate__person"
    )
    return probation_actions_on(day, running)


@transaction.atomic
def probation_open_recognition(*, probation: Probation, on: date) -> Probation:
    """The timer opens the recognition step once probation has ended (system action, no user)."""
    probation = _lock(probation)
    if probation.status != ProbationStatus.RUNNING:
        return probation
    if on < probation.ends_on:
        raise ValidationError(_("Probation ends on %(day)s.") % {"day": _d(probation.ends_on)})
    probation.status = ProbationStatus.RECOGNITION_DUE
    probation.recognition_opened_on = on
    probation.save()
    return probation


@transaction.atomic
def probation_reminder_mark(*, probation: Probation, days_before: int) -> Probation:
    """Remember that the reminder `days_before` the end went out, so it is sent once."""
    probation = _lock(probation)
    probation.last_reminder_days = days_before
    probation.save(update_fields=["last_reminder_days"])
    return probation


# ------------------------------------------------------------------------------------------------------------------
# The cell's vote, the chain, the decision
# ------------------------------------------------------------------------------------------------------------------


class VoteOutcome(models.TextChoices):
    RECOGNISE = "recognise", gettext_lazy("Recognition reached the threshold")
    REMOVE = "remove", gettext_lazy("Removal reached the threshold")
    INCONCLUSIVE = "inconclusive", gettext_lazy("Neither way reached the threshold")


def recognition_vote_outcome(vote: Vote) -> str:
    """The same fraction decides both ways: votes for recognition, or votes against (for removal), must each reach
    the threshold of the vote's basis (Charter Art. 5.2–5.3)."""
    if vote.passed:
        return VoteOutcome.RECOGNISE
    if vote.rule_set.vote_rule(vote.meeting.body).passes(vote.votes_against, vote.denominator):
        return VoteOutcome.REMOVE
    return VoteOutcome.INCONCLUSIVE


def inconclusive_votes(probation: Probation) -> int:
    votes = Vote.objects.filter(
        candidate=probation.candidate,
        meeting__purpose=MeetingPurpose.RECOGNITION,
        meeting__body=VoteBody.CELL,
        meeting__held_on__gte=probation.starts_on,
    ).select_related("meeting", "rule_set")
    return sum(recognition_vote_outcome(v) == VoteOutcome.INCONCLUSIVE for v in votes)


def deciding_org(probation: Probation, on: date) -> PartyOrg:
    """The committee competent to recognise or remove: the escalation's, else the last step of the current chain,
    else the decision step of the chain the hierarchy resolves for the member's cell on `on`."""
    if probation.escalated_to_id:
        assert probation.escalated_to is not None
        return probation.escalated_to
    last = probation.steps.filter(round=current_round(probation)).order_by("-order").first()
    if last is not None and last.kind == hierarchy.StepKind.DECISION:
        return last.org
    return hierarchy.approval_chain(probation.candidate.cell, on, purpose=hierarchy.Purpose.RECOGNITION)[-1].org


def _active_chain(probation: Probation) -> bool:
    return next_step(probation) is not None


@dataclass(frozen=True)
class VoteResult:
    vote: Vote
    outcome: str
    probation: Probation
    escalated: bool = False


@transaction.atomic
def recognition_vote_record(
    *,
    probation: Probation,
    meeting: Meeting,
    votes_for: int,
    votes_against: int,
    by: Any,
    removal_reason_code: str = "",
    removal_reason: str = "",
    late_reason: str = "",
) -> VoteResult:
    """The cell's vote on recognition (13-KNĐ), counted by `vote_record` like an admission vote. Reaching the
    threshold for: recognition → the chain of that day is snapshotted and its first step done; removal → the
    removal is proposed (give its reason); neither → after the rule set's number of such votes the case is reported
    to the competent committee, which decides."""
    probation = _lock(probation)
    candidate = probation.candidate
    permissions.require_act_for_org(by, candidate.cell)
    _require_open(probation)
    _require_no_pending_transfer(probation)
    own_cell = meeting.body == VoteBody.CELL and meeting.org_id == candidate.cell_id
    if meeting.purpose != MeetingPurpose.RECOGNITION or not own_cell:
        raise ValidationError(_("Record the vote at a recognition meeting of the member's cell."))
    if probation.escalated_on:
        raise ValidationError(
            _("The case has been reported to %(org)s, which decides.") % {"org": probation.escalated_to}
        )
    if _active_chain(probation):
        raise ValidationError(_("The cell's resolution is already with the committees."))
    if probation.removals.filter(status=RemovalStatus.PROPOSED).exists():
        raise ValidationError(_("A removal is waiting for the committee's decision."))
    if meeting.held_on < probation.ends_on:
        raise ValidationError(
            _("Probation ends on %(day)s: the cell considers recognition from that day.")
            % {"day": _d(probation.ends_on)}
        )
    missing = recognition_dossier_missing(probation)
    if missing:
        raise ValidationError(_("The recognition dossier lacks %(items)s.") % {"items": ", ".join(missing)})
    cell_due = probation_deadlines(candidate).cell_due
    if meeting.held_on > cell_due and not _text(late_reason):
        raise ValidationError(
            _("The cell's recognition was due by %(day)s: give the reason for the delay.") % {"day": _d(cell_due)}
        )
    vote = vote_record(meeting=meeting, candidate=candidate, votes_for=votes_for, votes_against=votes_against, by=by)
    outcome = recognition_vote_outcome(vote)
    if probation.status == ProbationStatus.RUNNING:
        probation.status = ProbationStatus.RECOGNITION_DUE
        probation.recognition_opened_on = probation.recognition_opened_on or meeting.held_on
    escalated = False
    if outcome == VoteOutcome.RECOGNISE:
        round_ = current_round(probation) + 1
        for step in hierarchy.approval_chain(candidate.cell, meeting.held_on, purpose=hierarchy.Purpose.RECOGNITION):
            first = step.order == 1
            RecognitionStep.objects.create(
                probation=probation,
                round=round_,
                order=step.order,
                kind=step.kind,
                org=step.org,
                form=step.form,
                vote_body=step.vote_body or "",
                deciding_body=step.deciding_body or "",
                status=StepStatus.DONE if first else StepStatus.PENDING,
                vote=vote if first else None,
                document_date=meeting.held_on if first else None,
                done_on=meeting.held_on if first else None,
                done_by=by if first else None,
                late_reason=_text(late_reason) if first else "",
            )
    elif outcome == VoteOutcome.REMOVE:
        _propose_removal(
            probation=probation,
            reason_code=removal_reason_code,
            reason=removal_reason,
            proposed_on=meeting.held_on,
            org=candidate.cell,
            by=by,
            vote=vote,
        )
    elif inconclusive_votes(probation) >= _rule_set(probation, meeting.held_on).recognition_max_inconclusive_votes:
        probation.escalated_on = meeting.held_on
        probation.escalated_to = hierarchy.approval_chain(
            candidate.cell, meeting.held_on, purpose=hierarchy.Purpose.RECOGNITION
        )[-1].org
        escalated = True
    probation.save()
    return VoteResult(vote, outcome, probation, escalated)


def _late_check(probation: Probation, on: date, late_reason: str) -> None:
    due = probation_deadlines(probation.candidate).decision_due
    if due is not None and on > due and not _text(late_reason):
        raise ValidationError(_("The decision was due by %(day)s: give the reason for the delay.") % {"day": _d(due)})


@transaction.atomic
def recognition_step_complete(
    *,
    step: RecognitionStep,
    by: Any,
    on: date,
    vote: Vote | None = None,
    document_number: str = "",
    note: str = "",
    late_reason: str = "",
) -> RecognitionStep:
    """Do the next step of the recognition chain: the partial committee's appraisal (14-KNĐ), the grassroots
    committee's resolution (15-KNĐ, with its passed vote) or the decision (16-KNĐ, with its number and date), which
    makes the member official from the day probation ended."""
    probation = _lock(step.probation)
    step = RecognitionStep.objects.select_for_update().get(pk=step.pk)
    _require_open(probation)
    if step != next_step(probation):
        raise ValidationError(_("This step is not the one waiting for this case."))
    permissions.require_act_for_org(by, step.org)
    resolution = cell_resolution(probation)
    if on > permissions.today() or (resolution and resolution.done_on and on < resolution.done_on):
        raise ValidationError(_("The date must be between the cell's resolution and today."))
    vote_required = step.vote_body in (VoteBody.GRASSROOTS_COMMITTEE, VoteBody.AUTHORISED_GRASSROOTS_COMMITTEE)
    if vote is not None or vote_required:
        if vote is None or vote.candidate_id != probation.candidate_id or vote.meeting.org_id != step.org_id:
            raise ValidationError(_("Record the vote of %(org)s on this member first.") % {"org": step.org})
        if vote.meeting.body != step.vote_body or vote.meeting.purpose != MeetingPurpose.RECOGNITION:
            raise ValidationError(_("This vote was not a recognition vote of the body this step needs."))
        if not vote.passed:
            raise ValidationError(
                _("The vote did not pass: %(for)d in favour of %(total)d, %(needed)d needed.")
                % {"for": vote.votes_for, "total": vote.denominator, "needed": vote.needed}
            )
    is_decision = step.kind == hierarchy.StepKind.DECISION
    if is_decision:
        if not _text(document_number):
            raise ValidationError(_("Enter the number of the recognition decision."))
        _late_check(probation, on, late_reason)
    step.status = StepStatus.DONE
    step.vote = vote
    step.document_number = _text(document_number)
    step.document_date = on
    step.done_on = on
    step.done_by = by
    step.note = _text(note)
    step.late_reason = _text(late_reason)
    step.save()
    if is_decision:
        _recognise(probation, on=on, number=step.document_number, by=by)
    return step


def _recognise(probation: Probation, *, on: date, number: str, by: Any) -> None:
    """Official from the day probation ended, whatever the decision's date (Charter Art. 5.3)."""
    membership = Membership.objects.select_for_update().get(pk=probation.membership_id)
    membership.official_on = probation.ends_on
    membership.full_clean()
    membership.save()
    probation.status = ProbationStatus.RECOGNISED
    probation.closed_on = on
    probation.save()
    candidate = probation.candidate
    candidate.closed_on = on
    fire(
        candidate,
        "recognise",
        by=by,
        reason=_("Decision %(n)s of %(day)s: official member from %(official)s")
        % {"n": number, "day": _d(on), "official": _d(probation.ends_on)},
    )


@transaction.atomic
def recognition_step_refuse(
    *, step: RecognitionStep, reason: str, by: Any, on: date, reason_code: str = RemovalReason.FAILED_RECOGNITION
) -> ProbationRemoval:
    """A body of the chain does not agree to recognise: the chain stops and the removal is proposed to the competent
    committee, which decides (Charter Art. 5.2)."""
    probation = _lock(step.probation)
    _require_open(probation)
    if step != next_step(probation):
        raise ValidationError(_("This step is not the one waiting for this case."))
    permissions.require_act_for_org(by, step.org)
    if not _text(reason):
        raise ValidationError(_("Give the reason; the cell is told."))
    _between(on, probation.ends_on, _("The date must be between the end of probation and today."))
    RecognitionStep.objects.filter(pk=step.pk).update(
        status=StepStatus.REFUSED, note=_text(reason), done_on=on, done_by=by
    )
    probation.steps.filter(round=step.round, status=StepStatus.PENDING).exclude(pk=step.pk).delete()
    return _propose_removal(
        probation=probation, reason_code=reason_code, reason=reason, proposed_on=on, org=step.org, by=by
    )


@transaction.atomic
def recognition_decision_extend(*, probation: Probation, reason: str, by: Any) -> Probation:
    """Extend the decision deadline once, with a reason (29-QĐ/TW §4.3.1: special cases, ≤ 30 working days)."""
    probation = _lock(probation)
    _require_open(probation)
    if cell_resolution(probation) is None or next_step(probation) is None:
        raise ValidationError(_("Only a case waiting for its recognition decision can be extended."))
    permissions.require_act_for_org(by, deciding_org(probation, permissions.today()))
    if probation.decision_extension_reason:
        raise ValidationError(_("The deadline has already been extended once."))
    if not _text(reason):
        raise ValidationError(_("Give the reason for the extension."))
    probation.decision_extension_reason = _text(reason)
    probation.save()
    probation_changed.send(sender=Probation, candidate=probation.candidate)
    return probation


# ------------------------------------------------------------------------------------------------------------------
# Removal and escalation
# ------------------------------------------------------------------------------------------------------------------


def _propose_removal(
    *,
    probation: Probation,
    reason_code: str,
    reason: str,
    proposed_on: date,
    org: PartyOrg,
    by: Any,
    vote: Vote | None = None,
) -> ProbationRemoval:
    if reason_code not in RemovalReason.values:
        raise ValidationError(_("Choose the reason for the removal."))
    if not _text(reason):
        raise ValidationError(_("Explain the reason for the removal."))
    if probation.removals.filter(status=RemovalStatus.PROPOSED).exists():
        raise ValidationError(_("A removal is already waiting for the committee's decision."))
    removal = ProbationRemoval(
        probation=probation,
        reason_code=reason_code,
        reason=_text(reason),
        proposed_on=proposed_on,
        proposed_by_org=org,
        vote=vote,
        proposed_by=by,
    )
    removal.full_clean()
    removal.save()
    return removal


@transaction.atomic
def removal_propose(
    *, probation: Probation, reason_code: str, reason: str, proposed_on: date, by: Any
) -> ProbationRemoval:
    """The cell proposes to remove the probationer from the list (xóa tên): no longer worthy during probation, or
    not qualified at its end."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _require_no_pending_transfer(probation)
    if _active_chain(probation):
        raise ValidationError(_("The cell's resolution is already with the committees."))
    _between(proposed_on, probation.starts_on, _("The date must be between the ceremony and today."))
    removal = _propose_removal(
        probation=probation,
        reason_code=reason_code,
        reason=reason,
        proposed_on=proposed_on,
        org=probation.candidate.cell,
        by=by,
    )
    probation_changed.send(sender=Probation, candidate=probation.candidate)
    return removal


@transaction.atomic
def removal_decide(
    *,
    removal: ProbationRemoval,
    approve: bool,
    decided_on: date,
    by: Any,
    decision_number: str = "",
    note: str = "",
) -> ProbationRemoval:
    """The competent committee decides a proposed removal. Approved: the member leaves the list and the cell on
    that date, the case closes. Not approved: the cell considers recognition again."""
    probation = _lock(removal.probation)
    removal = ProbationRemoval.objects.select_for_update().get(pk=removal.pk)
    _require_open(probation)
    if removal.status != RemovalStatus.PROPOSED:
        raise ValidationError(_("This removal has already been decided."))
    org = deciding_org(probation, decided_on)
    permissions.require_act_for_org(by, org)
    _between(decided_on, removal.proposed_on, _("The decision must be dated between the proposal and today."))
    if approve and not _text(decision_number):
        raise ValidationError(_("Enter the number of the decision."))
    removal.status = RemovalStatus.DECIDED if approve else RemovalStatus.REJECTED
    removal.decided_on = decided_on
    removal.decision_number = _text(decision_number)
    removal.decided_by_org = org
    removal.decision_note = _text(note)
    removal.decided_by = by
    removal.save()
    if approve:
        _remove(probation, removal=removal, by=by)
    return removal


def _remove(probation: Probation, *, removal: ProbationRemoval, by: Any) -> None:
    assert removal.decided_on is not None
    membership = Membership.objects.select_for_update().get(pk=probation.membership_id)
    if removal.decided_on <= membership.joined_cell_on:
        raise ValidationError(_("The removal must be dated after the member joined the cell."))
    membership.left_cell_on = removal.decided_on
    membership.full_clean()
    membership.save()
    probation.status = ProbationStatus.REMOVED
    probation.closed_on = removal.decided_on
    probation.save()
    candidate = probation.candidate
    candidate.closed_on = removal.decided_on
    candidate.closing_reason = removal.reason
    fire(
        candidate,
        "remove",
        by=by,
        reason=_("Removed from the list by decision %(n)s of %(day)s: %(reason)s")
        % {"n": removal.decision_number, "day": _d(removal.decided_on), "reason": removal.get_reason_code_display()},
    )


@transaction.atomic
def escalation_decide(
    *,
    probation: Probation,
    recognise: bool,
    decided_on: date,
    document_number: str,
    by: Any,
    reason_code: str = "",
    reason: str = "",
) -> Probation:
    """After three inconclusive votes the competent committee decides the case itself: recognition (16-KNĐ, official
    from the end of probation) or removal (with its reason)."""
    probation = _lock(probation)
    _require_open(probation)
    if not probation.escalated_on or probation.escalated_to is None:
        raise ValidationError(_("This case has not been reported to the superior committee."))
    permissions.require_act_for_org(by, probation.escalated_to)
    _between(decided_on, probation.escalated_on, _("The decision must be dated between the report and today."))
    if not _text(document_number):
        raise ValidationError(_("Enter the number of the decision."))
    if recognise:
        RecognitionStep.objects.create(
            probation=probation,
            round=current_round(probation) + 1,
            order=1,
            kind=hierarchy.StepKind.DECISION,
            org=probation.escalated_to,
            form=hierarchy.FORMS[hierarchy.Purpose.RECOGNITION][hierarchy.StepKind.DECISION],
            status=StepStatus.DONE,
            document_number=_text(document_number),
            document_date=decided_on,
            done_on=decided_on,
            done_by=by,
            note=_("Decided by the superior committee after the cell's votes reached no conclusion"),
        )
        _recognise(probation, on=decided_on, number=_text(document_number), by=by)
        return probation
    removal = _propose_removal(
        probation=probation,
        reason_code=reason_code,
        reason=reason,
        proposed_on=decided_on,
        org=probation.escalated_to,
        by=by,
    )
    removal.status = RemovalStatus.DECIDED
    removal.decided_on = decided_on
    removal.decision_number = _text(document_number)
    removal.decided_by_org = probation.escalated_to
    removal.decided_by = by
    removal.save()
    _remove(probation, removal=removal, by=by)
    return probation


# ------------------------------------------------------------------------------------------------------------------
# Transfers
# ------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def transfer_out(
    *,
    probation: Probation,
    moved_on: date,
    former_cell_comment: str,
    by: Any,
    to_cell: PartyOrg | None = None,
    destination: str = "",
) -> ProbationTransfer:
    """The former cell transfers the probationer, with its comments on the months spent there. To a cell of this
    system (inside or outside the organisation) the receiving cell then receives them and completes the
    recognition; to an organisation outside the system the case closes here."""
    probation = _lock(probation)
    candidate = probation.candidate
    permissions.require_act_for_org(by, candidate.cell)
    _require_open(probation)
    _require_no_pending_transfer(probation)
    if _active_chain(probation) or probation.removals.filter(status=RemovalStatus.PROPOSED).exists():
        raise ValidationError(_("A recognition or a removal is with the committees: wait for its outcome."))
    if not _text(former_cell_comment):
        raise ValidationError(_("Write the cell's comments on the member's probation here."))
    membership = probation.membership
    if moved_on <= membership.joined_cell_on or moved_on > permissions.today():
        raise ValidationError(_("The date must be after the member joined the cell and not in the future."))
    if (to_cell is None) == (not _text(destination)):
        raise ValidationError(_("Choose the receiving cell, or name the organisation outside this system."))
    if to_cell is not None and (
        not to_cell.is_cell or to_cell.pk == candidate.cell_id or not to_cell.exists_on(moved_on)
    ):
        raise ValidationError(_("Choose another party cell that exists on that date."))
    membership.left_cell_on = moved_on
    membership.full_clean()
    membership.save()
    transfer = ProbationTransfer.objects.create(
        probation=probation,
        from_cell=candidate.cell,
        from_membership=membership,
        to_cell=to_cell,
        destination=_text(destination),
        moved_on=moved_on,
        former_cell_comment=_text(former_cell_comment),
        status=TransferStatus.PENDING if to_cell else TransferStatus.LEFT_SYSTEM,
        recorded_by=by,
    )
    for mentor in candidate.mentors.filter(ended_on__isnull=True):
        mentor.ended_on = max(moved_on, mentor.assigned_on)
        mentor.end_reason = _("The member moved to another cell")
        mentor.save()
    if to_cell is None:
        probation.status = ProbationStatus.TRANSFERRED_OUT
        probation.closed_on = moved_on
        probation.save()
        candidate.closed_on = moved_on
        candidate.closing_reason = _("Transferred to %(org)s") % {"org": transfer.destination}
        fire(candidate, "transfer_away", by=by, reason=candidate.closing_reason)
    probation_changed.send(sender=Probation, candidate=candidate)
    return transfer


@transaction.atomic
def transfer_in(
    *, transfer: ProbationTransfer, received_on: date, helpers: Sequence[Membership], by: Any
) -> ProbationTransfer:
    """The receiving cell receives the probationer: a new membership there (admission date unchanged), the case
    moves to the cell, which names one or two helpers and will complete the recognition with the former cell's
    comments attached."""
    transfer = ProbationTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.to_cell is None:
        raise PermissionDenied(_("This transfer went outside this system."))
    permissions.require_act_for_org(by, transfer.to_cell)
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(_("This transfer has already been received."))
    probation = _lock(transfer.probation)
    _require_open(probation)
    _between(received_on, transfer.moved_on, _("The date must be between the move and today."))
    if not 1 <= len(helpers) <= MAX_ACTIVE_MENTORS:
        raise ValidationError(_("Assign one or two official members of the cell to help the member."))
    old = transfer.from_membership
    membership = Membership(
        person=old.person,
        cell=transfer.to_cell,
        admitted_on=old.admitted_on,
        joined_cell_on=received_on,
        party_card_no=old.party_card_no,
    )
    membership.full_clean()
    membership.save()
    candidate = Candidate.objects.select_for_update().get(pk=probation.candidate_id)
    candidate.cell = transfer.to_cell
    candidate._change_reason = _("Transferred from %(cell)s") % {"cell": transfer.from_cell}
    candidate.save()
    for member in helpers:
        mentor_assign(candidate=candidate, member=member, assigned_on=received_on, by=by)
    probation.membership = membership
    probation.save()
    transfer.status = TransferStatus.RECEIVED
    transfer.received_on = received_on
    transfer.to_membership = membership
    transfer.received_by = by
    transfer.save()
    return transfer


def require_probationary(candidate: Candidate) -> Probation:
    """The probation of a case, or a plain refusal when the case has none."""
    probation = Probation.objects.filter(candidate=candidate).first()
    if probation is None or candidate.state not in (
        CandidateState.PROBATIONARY,
        CandidateState.OFFICIAL,
        CandidateState.REMOVED,
        CandidateState.TRANSFERRED_OUT,
    ):
        raise ValidationError(_("This case has no probation."))
    return probation
