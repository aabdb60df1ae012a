"""Where a case stands after its dossier: the chain as lived, votes, deadlines, consents, the ceremony."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.sourcing.models.candidates import Candidate, CandidateState


@dataclass(frozen=True)
class AdmissionOverview:
    """Where a case stands after its dossier: the chain as lived, votes, deadlines (overdue is a visible state),
    consents required and recorded, the ceremony."""

    chain: list[Any]
    votes: list[Any]
    deadlines: Any
    decision_overdue: bool
    ceremony_overdue: bool
    consents: list[Any]
    required_consents: list[str]
    missing_consents: list[str]
    ceremony: Any
    last_body: PartyOrg | None  # the deciding body, which may extend the decision deadline


def admission_overview(*, candidate: Candidate, on: date | None = None) -> AdmissionOverview:
    from admission.decisions.models.decisions import Ceremony
    from admission.decisions.models.meetings import Vote
    from admission.decisions.services import decisions
    from admission.sourcing.models.consents import ConsentKind

    on = on or permissions.today()
    chain = list(
        candidate.chain_steps.select_related("org", "done_by", "vote", "moved_from", "moved_by").order_by("order", "pk")
    )
    deadlines = decisions.admission_deadlines(candidate)
    resolution = decisions.cell_resolution(candidate)
    required = decisions.required_consents(candidate, resolution.done_on if resolution and resolution.done_on else on)
    return AdmissionOverview(
        chain=chain,
        votes=list(
            Vote.objects.filter(candidate=candidate).select_related("meeting__org").order_by("meeting__held_on")
        ),
        deadlines=deadlines,
        decision_overdue=bool(
            candidate.state == CandidateState.PROPOSED and deadlines.decision_due and on > deadlines.decision_due
        ),
        ceremony_overdue=bool(
            candidate.state == CandidateState.ADMITTED and deadlines.ceremony_due and on > deadlines.ceremony_due
        ),
        consents=list(candidate.consents.all()),
        required_consents=[str(ConsentKind(kind).label) for kind in sorted(required)],
        missing_consents=decisions.missing_consent_labels(candidate),
        ceremony=Ceremony.objects.filter(candidate=candidate).prefetch_related("mentors__person").first(),
        last_body=chain[-1].org if chain else None,
    )
