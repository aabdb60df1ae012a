"""Sending a case back to an earlier stage, keeping what is still valid (domain.md §3, rejections).

Who may: the body whose turn it is (the cell while the dossier is prepared or the cell meets; the body of the
waiting approval step once the cell has proposed) and every body above it on that day. A body below the one whose
turn it is may not. Where to: back to the course (a new enrollment and certificate; the dossier's records stay and
each is judged again on the next meeting day), or back to the dossier (from the cell's meeting, or from any step
of the approval chain: the chain's own "send back" is this same move). Each move is one `CaseSendBack` record (who,
which body, when, why), the case's FSM transition logged with the reason, and, from a chain step, that step marked
"sent back". The flows follow in `workflows.send_back`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.models.send_backs import CaseSendBack, SendBackTarget
from admission.party import hierarchy, permissions
from admission.party.models.orgs import PartyOrg
from admission.rules.reference import normalise_text
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.services.locks import case_lock
from admission.sourcing.services.transitions import fire

# Which stage a case can go back to from each state (the admission decision, once made, is not sent back).
TARGETS_FROM: dict[str, tuple[str, ...]] = {
    CandidateState.TRAINED: (SendBackTarget.COURSE,),
    CandidateState.DOSSIER: (SendBackTarget.COURSE, SendBackTarget.DOSSIER),
    CandidateState.PROPOSED: (SendBackTarget.COURSE, SendBackTarget.DOSSIER),
}


def _lock(candidate: Candidate) -> Candidate:
    return case_lock(candidate)


def waiting_chain_step(candidate: Candidate) -> ChainStepRecord | None:
    if candidate.state != CandidateState.PROPOSED:
        return None
    return candidate.chain_steps.filter(status=StepStatus.PENDING).order_by("order").select_related("org").first()


def turn_org(candidate: Candidate) -> PartyOrg:
    """The body whose turn it is: the waiting approval step's body once proposed, else the cell."""
    step = waiting_chain_step(candidate)
    return step.org if step is not None else candidate.cell


def send_back_bodies(candidate: Candidate, on: date | None = None) -> list[PartyOrg]:
    """The bodies that may send the case back: the one whose turn it is, then those above it (nearest first)."""
    org = turn_org(candidate)
    return [org, *hierarchy.ancestors_on(org, on or permissions.today())]


def acting_body(candidate: Candidate, user: Any) -> PartyOrg | None:
    """The first body of `send_back_bodies` the user acts for, or None."""
    return next((org for org in send_back_bodies(candidate) if permissions.can_act_for_org(user, org)), None)


def send_back_targets(candidate: Candidate, user: Any) -> list[str]:
    """Where this user may send this case back now (empty when they may not)."""
    targets = TARGETS_FROM.get(candidate.state, ())
    if not targets or acting_body(candidate, user) is None:
        return []
    return list(targets)


def send_back_record(
    *,
    candidate: Candidate,
    target: str,
    reason: str,
    on: date,
    by: Any,
    acting_org: PartyOrg,
    from_step: str = "",
    chain_step: ChainStepRecord | None = None,
) -> CaseSendBack:
    return CaseSendBack.objects.create(
        candidate=candidate,
        target=target,
        from_state=candidate.state,
        from_step=from_step,
        chain_step=chain_step,
        acting_org=acting_org,
        reason=normalise_text(reason),
        sent_on=on,
        sent_by=by,
    )


def close_chain_step(step: ChainStepRecord, *, status: str, reason: str, on: date, by: Any) -> ChainStepRecord:
    """Close the waiting step of the chain as refused or sent back, and drop the steps after it (a case proposed
    again snapshots a new chain). The one place both the chain's refusal and every sending back close a step; the
    callers lock the case and check who may."""
    # Saved, not updated in bulk: the history chain records the refusal or the sending back (admission.audit).
    step = ChainStepRecord.objects.select_for_update().get(pk=step.pk)
    step.status, step.note, step.done_on, step.done_by = status, normalise_text(reason), on, by
    step.save(update_fields=["status", "note", "done_on", "done_by"])
    ChainStepRecord.objects.filter(candidate_id=step.candidate_id, status=StepStatus.PENDING).exclude(
        pk=step.pk
    ).delete()
    return step


@transaction.atomic
def case_send_back(
    *, candidate: Candidate, target: str, reason: str, on: date, by: Any, from_step: str = ""
) -> CaseSendBack:
    """Send the case back to the course or to the dossier (see the module's text). `from_step` names the flow's
    waiting step, for the record."""
    candidate = _lock(candidate)
    if target not in SendBackTarget.values:
        raise ValidationError(_("Say where the case goes back to: the course or the dossier."))
    if not reason.strip():
        raise ValidationError(_("Give the reason; the cell is told."))
    if on > permissions.today():
        raise ValidationError(_("The date cannot be in the future."))
    if target not in TARGETS_FROM.get(candidate.state, ()):
        raise ValidationError(
            _("This case cannot be sent back there while it is “%(state)s”.") % {"state": candidate.get_state_display()}
        )
    org = acting_body(candidate, by)
    if org is None:
        raise PermissionDenied(
            _("Only %(org)s, whose turn it is, or a body above it may send this case back.")
            % {"org": turn_org(candidate)}
        )
    if on < candidate.opened_on:
        raise ValidationError(_("The date cannot be before the case was opened."))
    step = waiting_chain_step(candidate)
    record = send_back_record(
        candidate=candidate,
        target=target,
        reason=reason,
        on=on,
        by=by,
        acting_org=org,
        from_step=from_step,
        chain_step=step,
    )
    if step is not None:
        close_chain_step(step, status=StepStatus.SENT_BACK, reason=reason, on=on, by=by)
    description = _("Sent back by %(org)s: %(reason)s") % {"org": org.name, "reason": normalise_text(reason)}
    if target == SendBackTarget.COURSE:
        fire(candidate, "return_to_course", by=by, reason=description)
    elif candidate.state == CandidateState.PROPOSED:
        fire(candidate, "send_back", by=by, reason=description)
    # Back to the dossier from the cell's meeting: the state stays "dossier"; the record and the flow say it.
    return record


def send_backs(candidate: Candidate) -> list[CaseSendBack]:
    return list(candidate.send_backs.select_related("acting_org", "sent_by", "chain_step").order_by("recorded_at"))
