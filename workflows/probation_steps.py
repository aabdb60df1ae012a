"""What each human step of the probation flow does, shared by its task page and the API's step endpoint.

Each action runs inside the task's transaction, so the records, the case's FSM transition and the task's completion
succeed or fail together. Every vote of the cell on recognition is kept, whatever its outcome: recognition goes
to the committees, enough votes against propose the removal, and after three votes that reach the threshold
neither way the case goes to the competent committee (`admission.probation.services`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission.decisions.models.meetings import MeetingPurpose
from admission.decisions.services import meetings as meeting_services
from admission.probation import services as probation_services
from admission.probation.models import RecognitionStep
from admission.sourcing.models.candidates import Candidate
from workflows import probation_forms as forms
from workflows.admission_forms import REFUSE
from workflows.admission_steps import committee_vote
from workflows.step import Step


def _recognition_vote(candidate: Candidate, user: Any, data: dict[str, Any]) -> str | None:
    probation = forms.probation_of(candidate)
    reasons = {int(key.removeprefix("reason_")): value for key, value in data.items() if key.startswith("reason_")}
    meeting = meeting_services.cell_meeting_record(
        cell=candidate.cell,
        held_on=data["held_on"],
        purpose=MeetingPurpose.RECOGNITION,
        present={member.pk for member in data["present"]},
        absence_reasons=reasons,
        by=user,
        place=data.get("place") or "",
    )
    result = probation_services.recognition_vote_record(
        probation=probation,
        meeting=meeting,
        votes_for=data["votes_for"],
        votes_against=data.get("votes_against") or 0,
        by=user,
        removal_reason_code=data.get("removal_reason_code") or "",
        removal_reason=data.get("removal_reason") or "",
        late_reason=data.get("late_reason") or "",
    )
    vote = result.vote
    counts = {"for": vote.votes_for, "against": vote.votes_against, "total": vote.denominator, "needed": vote.needed}
    if result.outcome == probation_services.VoteOutcome.RECOGNISE:
        return None
    if result.outcome == probation_services.VoteOutcome.REMOVE:
        return _("%(against)d of %(total)d voted against (%(needed)d needed): the removal is proposed.") % counts
    if result.escalated:
        return _("Neither side reached %(needed)d of %(total)d for the third time: the case goes to the committee.") % (
            counts
        )
    return _("Neither side reached %(needed)d of %(total)d: the cell will vote again.") % counts


def _recognition_step(candidate: Candidate, user: Any, data: dict[str, Any]) -> str | None:
    step: RecognitionStep = data["step"]
    on, note = data["on"], data.get("note") or ""
    if data["outcome"] == REFUSE:
        probation_services.recognition_step_refuse(step=step, reason=note, by=user, on=on)
        return _("Recognition refused: the member is removed from the list.")
    vote = committee_vote(candidate, user, data, org=step.org, body=step.vote_body, purpose=MeetingPurpose.RECOGNITION)
    if vote is not None and not vote.passed:
        reason = _("The committee's vote did not pass (%(for)d of %(total)d, %(needed)d needed).") % {
            "for": vote.votes_for,
            "total": vote.denominator,
            "needed": vote.needed,
        }
        probation_services.recognition_step_refuse(step=step, reason=reason, by=user, on=on)
        return reason
    probation_services.recognition_step_complete(
        step=step,
        by=user,
        on=on,
        vote=vote,
        document_number=data.get("document_number") or "",
        note=note,
        late_reason=data.get("late_reason") or "",
    )
    return None


def _receive_transfer(candidate: Candidate, user: Any, data: dict[str, Any]) -> str | None:
    transfer = probation_services.pending_transfer(forms.probation_of(candidate))
    if transfer is None:
        raise ValidationError(_("No transfer is waiting to be received."))
    probation_services.transfer_in(
        transfer=transfer, received_on=data["received_on"], helpers=list(data["helpers"]), by=user
    )
    return None


def _decide_removal(candidate: Candidate, user: Any, data: dict[str, Any]) -> str | None:
    removal = probation_services.pending_removal(forms.probation_of(candidate))
    if removal is None:
        raise ValidationError(_("No removal is waiting for a decision."))
    probation_services.removal_decide(
        removal=removal,
        approve=data["approve"],
        decided_on=data["decided_on"],
        by=user,
        decision_number=data.get("document_number") or "",
        note=data.get("note") or "",
    )
    return None


def _decide_escalation(candidate: Candidate, user: Any, data: dict[str, Any]) -> str | None:
    probation_services.escalation_decide(
        probation=forms.probation_of(candidate),
        recognise=data["approve"],
        decided_on=data["decided_on"],
        document_number=data.get("document_number") or "",
        by=user,
        reason_code=data.get("reason_code") or "",
        reason=data.get("note") or "",
    )
    return None


PROBATION_STEPS = (
    Step(
        "recognition_vote",
        gettext_lazy("Cell meeting on recognition as an official member"),
        gettext_lazy(
            "Probation has ended: with the member's self-review (10-KNĐ), the helpers' comments (11-KNĐ) and the "
            "compiled opinions (12-KNĐ), the cell meets and votes. Two thirds of the official members recognise; "
            "two thirds against propose the removal; otherwise the cell votes again (three times at most)."
        ),
        forms.RecognitionVoteForm,
        _recognition_vote,
    ),
    Step(
        "recognition_step",
        gettext_lazy("Recognition step"),
        gettext_lazy(
            "The body whose turn it is appraises (14-KNĐ), resolves with its vote (15-KNĐ) or decides (16-KNĐ); the "
            "member is official from the day probation ended, whenever the decision comes."
        ),
        forms.RecognitionStepForm,
        _recognition_step,
    ),
    Step(
        "receive_transfer",
        gettext_lazy("Receive the transferred probationary member"),
        gettext_lazy(
            "The member moved here during probation: record the day the cell received them and name one or two "
            "official members to help; the cell completes the recognition with the former cell's comments."
        ),
        forms.ReceiveTransferForm,
        _receive_transfer,
    ),
    Step(
        "decide_removal",
        gettext_lazy("Decide on the proposed removal"),
        gettext_lazy("The competent committee decides whether to remove the member from the list (xóa tên)."),
        forms.RemovalDecisionForm,
        _decide_removal,
    ),
    Step(
        "decide_escalation",
        gettext_lazy("Decide the reported recognition"),
        gettext_lazy(
            "The cell voted three times without reaching the threshold either way: the committee recognises the "
            "member or removes them."
        ),
        forms.EscalationDecisionForm,
        _decide_escalation,
    ),
)
