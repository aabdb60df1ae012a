"""Recording a person's earlier membership for a re-admission case (domain.md §2.6; 294-QĐ/TW §3.5).

The earlier membership belongs to the person (`admission.party.models.earlier`); it is recorded through the case that
needs it, by someone acting for the case's cell, and the person's open case becomes a re-admission from then on.
A category that is never re-admitted is refused at once: no case can come of it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from admission.party import permissions
from admission.party.models.earlier import CONSEQUENCES, Consequence, EarlierMembership, LeavingReason
from admission.rules.reference import normalise_text
from admission.sourcing.models.candidates import Candidate, CandidateState


@transaction.atomic
def earlier_membership_add(
    *,
    candidate: Candidate,
    by: Any,
    admitted_on: date,
    left_on: date,
    how_left: str,
    official_on: date | None = None,
    conviction_expunged_on: date | None = None,
    was_readmission: bool = False,
    note: str = "",
) -> EarlierMembership:
    """Record one earlier membership of the case's person and mark the person's open case as a re-admission."""
    candidate = Candidate.objects.select_for_update().select_related("cell", "person").get(pk=candidate.pk)
    permissions.require_act_for_org(by, candidate.cell)
    if not candidate.is_open:
        raise ValidationError(_("The case is closed."))
    if how_left not in LeavingReason.values:
        raise ValidationError(_("Choose how the earlier membership ended from the list."))
    if CONSEQUENCES[how_left] == Consequence.NEVER:
        raise ValidationError(
            _("%(reason)s: never re-admitted (294-QĐ/TW item 3.5). The case cannot go on as a re-admission.")
            % {"reason": LeavingReason(how_left).label}
        )
    today = permissions.today()
    for day in (admitted_on, official_on, left_on, conviction_expunged_on):
        if day is not None and day > today:
            raise ValidationError(_("The dates of the earlier membership cannot be in the future."))
    if left_on > candidate.nominated_on:
        raise ValidationError(_("The earlier membership must have ended before the nomination."))
    earlier = EarlierMembership(
        person=candidate.person,
        admitted_on=admitted_on,
        official_on=official_on,
        left_on=left_on,
        how_left=how_left,
        conviction_expunged_on=conviction_expunged_on,
        was_readmission=was_readmission,
        note=normalise_text(note),
        recorded_by=by,
    )
    earlier.full_clean()
    overlap = EarlierMembership.objects.filter(person=candidate.person, left_on__gte=admitted_on)
    if overlap.filter(admitted_on__lte=left_on).exists():
        raise ValidationError(_("This period overlaps an earlier membership already recorded."))
    earlier._change_reason = _("Recorded for case %(code)s") % {"code": candidate.code}  # type: ignore[attr-defined]
    earlier.save()
    sync_readmission(person_id=candidate.person_id)
    return earlier


def sync_readmission(*, person_id: int) -> None:
    """The person's open cases are re-admissions exactly when an earlier membership is recorded (history kept)."""
    recorded = EarlierMembership.objects.filter(person_id=person_id).exists()
    for case in Candidate.objects.filter(person_id=person_id, state__in=CandidateState.open_states()).exclude(
        is_readmission=recorded
    ):
        case.is_readmission = recorded
        case._change_reason = _("Earlier membership recorded")
        case.save(update_fields=["is_readmission"])
