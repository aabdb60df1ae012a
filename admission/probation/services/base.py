"""The checks every write on a probation shares: the row lock, the rule set of a day, the probation still open and not
being transferred, a date between a first day and today, the cleaned text; and proposing a removal, which the cell's
vote, a refusal in the chain, the cell's own proposal and the committee's escalated decision all go through.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from admission.decisions.models.meetings import Vote
from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.probation.models import Probation, ProbationRemoval, RemovalReason, RemovalStatus, TransferStatus
from admission.rules.models.rulesets import RuleSet
from admission.rules.reference import normalise_text
from admission.rules.services import ruleset_for_step
from admission.sourcing.models.candidates import Candidate, CandidateState


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
