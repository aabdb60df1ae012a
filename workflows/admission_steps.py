"""What each human step of the admission flow does, shared by its task page and its API endpoint.

Each action runs inside the task's transaction (`workflows.services.run_step` or viewflow's task view), so the
records it writes, the case's FSM transition and the task's completion succeed or fail together. A vote below the
threshold is a fact worth keeping: it is recorded and closes the case only when the user confirms it; otherwise
nothing is written and the form says what the numbers mean.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission.decisions.models.decisions import ChainStepRecord
from admission.decisions.models.meetings import MeetingPurpose, Vote
from admission.decisions.services import decisions
from admission.decisions.services import meetings as meeting_services
from admission.dossier.checklist import dossier_checklist
from admission.party import permissions
from admission.probation import services as probation_services
from admission.rules.reference import vn_date as _d
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.services import candidates as candidate_services
from workflows import admission_forms as forms
from workflows.models import ProbationProcess
from workflows.step import Step, flow_start


def require_complete_dossier(candidate: Candidate, on: Any) -> None:
    """Every item of the dossier must be present and valid on the meeting day (HD 12-HD/BTCTW 2022 §II.1.1)."""
    missing = [f"{item.form} {item.title}: {item.reason}" for item in dossier_checklist(candidate, on) if not item.done]
    if missing:
        raise ValidationError(
            [_("The dossier is not complete on %(day)s:") % {"day": _d(on)}, *missing],
        )


def _failed(vote: Vote) -> str:
    return _("The vote did not pass: %(for)d in favour of %(total)d, %(needed)d needed.") % {
        "for": vote.votes_for,
        "total": vote.denominator,
        "needed": vote.needed,
    }


def _dossier_ready(candidate: Candidate, user: Any, data: dict[str, Any]) -> str | None:
    permissions.require_act_for_org(user, candidate.cell)
    require_complete_dossier(candidate, permissions.today())
    return None


def _cell_vote(candidate: Candidate, user: Any, data: dict[str, Any]) -> str | None:
    held_on = data["held_on"]
    require_complete_dossier(candidate, held_on)
    reasons = {int(key.removeprefix("reason_")): value for key, value in data.items() if key.startswith("reason_")}
    meeting = meeting_services.cell_meeting_record(
        cell=candidate.cell,
        held_on=held_on,
        purpose=MeetingPurpose.ADMISSION,
        present={member.pk for member in data["present"]},
        absence_reasons=reasons,
        by=user,
        place=data.get("place") or "",
    )
    vote = meeting_services.vote_record(
        meeting=meeting,
        candidate=candidate,
        votes_for=data["votes_for"],
        votes_against=data.get("votes_against") or 0,
        by=user,
    )
    if vote.passed:
        decisions.case_propose(candidate=candidate, vote=vote, by=user)
        return None
    if not data.get("confirm_failed"):
        raise ValidationError(
            [_failed(vote), _("Correct the numbers, or tick the confirmation to record the vote and close the case.")]
        )
    reason = _("The cell's vote of %(day)s did not pass (%(for)d of %(total)d, %(needed)d needed).") % {
        "day": _d(held_on),
        "for": vote.votes_for,
        "total": vote.denominator,
        "needed": vote.needed,
    }
    candidate_services.candidate_close(candidate=candidate, withdrawn=False, reason=reason, on=held_on, by=user)
    return reason + " " + _("The person stays on the sympathiser list and may be proposed again later.")


def committee_vote(
    candidate: Candidate, user: Any, data: dict[str, Any], *, org: Any, body: str, purpose: str
) -> Vote | None:
    """A committee's meeting and its vote on the case, when the form carries one. A vote below the threshold is kept
    only when the user confirmed it (the caller then refuses); otherwise nothing is written and the form explains."""
    if not body or data.get("votes_for") is None:
        return None
    meeting = meeting_services.committee_meeting_record(
        org=org,
        body=body,
        held_on=data["on"],
        purpose=purpose,
        members_total=data["members_total"],
        present=data["present"],
        by=user,
    )
    vote = meeting_services.vote_record(
        meeting=meeting,
        candidate=candidate,
        votes_for=data["votes_for"],
        votes_against=data.get("votes_against") or 0,
        by=user,
    )
    if not vote.passed and not data.get("confirm_failed"):
        raise ValidationError(
            [_failed(vote), _("Correct the numbers, or tick the confirmation to record the vote and refuse.")]
        )
    return vote


def _chain_step(candidate: Candidate, user: Any, data: dict[str, Any]) -> str | None:
    step: ChainStepRecord = data["step"]
    on, note, outcome = data["on"], data.get("note") or "", data["outcome"]
    if outcome == forms.REFUSE:
        decisions.chain_step_refuse(step=step, reason=note, by=user, on=on)
        return _("Admission refused; the cell is told the reason.")
    if outcome == forms.SEND_BACK:
        decisions.chain_step_send_back(step=step, reason=note, by=user, on=on)
        return _("The dossier is sent back to the cell to fix the named items.")
    vote = committee_vote(candidate, user, data, org=step.org, body=step.vote_body, purpose=MeetingPurpose.ADMISSION)
    if vote is not None and not vote.passed:
        reason = _("The committee's vote of %(day)s did not pass (%(for)d of %(total)d, %(needed)d needed).") % {
            "day": _d(on),
            "for": vote.votes_for,
            "total": vote.denominator,
            "needed": vote.needed,
        }
        decisions.chain_step_refuse(step=step, reason=reason, by=user, on=on)
        return reason
    decisions.chain_step_complete(
        step=step, by=user, on=on, vote=vote, document_number=data.get("document_number") or "", note=note
    )
    return None


def _decision_received(candidate: Candidate, user: Any, data: dict[str, Any]) -> str | None:
    decisions.decision_received(candidate=candidate, on=data["received_on"], by=user)
    return None


def _ceremony(candidate: Candidate, user: Any, data: dict[str, Any]) -> str | None:
    probation_services.ceremony_hold(
        candidate=candidate,
        held_on=data["held_on"],
        decision_read_by=data["decision_read_by"],
        mentors=list(data["mentors"]),
        by=user,
        place=data.get("place") or "",
        attendees=data.get("attendees") or "",
        late_consent_ref=data.get("late_consent_ref") or "",
    )
    flow_start(ProbationProcess, candidate)  # the year of probation begins in the same transaction
    return None


ADMISSION_STEPS = (
    Step(
        "prepare_dossier",
        gettext_lazy("Complete the admission dossier"),
        gettext_lazy(
            "Gather the application, the CV with its verification, the introductions and the compiled opinions; "
            "when every item is present and valid, put the dossier before the cell meeting."
        ),
        forms.DossierReadyForm,
        _dossier_ready,
    ),
    Step(
        "cell_vote",
        gettext_lazy("Cell meeting and vote on the admission"),
        gettext_lazy(
            "Record the cell meeting: who attended, why the others were absent, and the votes. The admission needs "
            "at least two thirds of the cell's official members (not of those present)."
        ),
        forms.CellVoteForm,
        _cell_vote,
    ),
    Step(
        "chain_step",
        gettext_lazy("Approval step"),
        gettext_lazy(
            "The body whose turn it is appraises, votes or decides; or refuses with a reason; or sends the dossier "
            "back to the cell naming what to fix."
        ),
        forms.ChainStepForm,
        _chain_step,
    ),
    Step(
        "receive_decision",
        gettext_lazy("Record receipt of the admission decision"),
        gettext_lazy("The ceremony deadline counts from the day the cell received the decision."),
        forms.DecisionReceivedForm,
        _decision_received,
    ),
    Step(
        "ceremony",
        gettext_lazy("Hold the admission ceremony"),
        gettext_lazy(
            "Record the ceremony: date, who read the decision, attendees, and the official members who will help "
            "the new member during probation. Probation starts on that day."
        ),
        forms.CeremonyForm,
        _ceremony,
    ),
)
