"""The cell's vote, the recognition chain and the decision (domain.md §5).

- The cell's vote (13-KNĐ) goes through `admission.decisions.services.meetings` with purpose "recognition": same
  threshold as admission, probationary members never count. A vote reaching the threshold for recognition snapshots the
  recognition chain (13 → 14 → 15 → 16-KNĐ, `hierarchy.approval_chain(..., purpose=RECOGNITION)`); one whose votes
  against reach it proposes the removal; after the rule set's number (three) of votes reaching it neither way, the
  case is reported to the competent committee, which decides (Charter Art. 5.3; 29-QĐ/TW §4.3.1).
- The decision (16-KNĐ) makes the member official **from the day probation ended**, however late it comes
  (Art. 5.3); party age keeps counting from the admission decision's date (Art. 5.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission.decisions.models.decisions import StepStatus
from admission.decisions.models.meetings import Meeting, MeetingPurpose, Vote
from admission.decisions.services.meetings import vote_record
from admission.party import hierarchy, permissions
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.probation.models import (
    Probation,
    ProbationRemoval,
    ProbationStatus,
    RecognitionStep,
    RemovalReason,
    RemovalStatus,
)
from admission.probation.services.base import (
    _between,
    _lock,
    _propose_removal,
    _require_no_pending_transfer,
    _require_open,
    _rule_set,
    _text,
)
from admission.probation.services.deadlines import cell_resolution, current_round, next_step, probation_deadlines
from admission.probation.services.dossier import recognition_dossier_missing
from admission.probation.signals import probation_changed
from admission.rules.models.rulesets import VoteBody
from admission.rules.reference import vn_date as _d
from admission.sourcing.services.transitions import fire

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
    # Saved, not updated in bulk: the history chain records the refusal (admission.audit).
    step = RecognitionStep.objects.get(pk=step.pk)
    step.status, step.note, step.done_on, step.done_by = StepStatus.REFUSED, _text(reason), on, by
    step.save(update_fields=["status", "note", "done_on", "done_by"])
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
