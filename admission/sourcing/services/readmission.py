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
from django.db.models import Q
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
    earlier_membership_check(earlier, nominated_on=candidate.nominated_on)
    earlier._change_reason = _("Recorded for case %(code)s") % {"code": candidate.code}  # type: ignore[attr-defined]
    earlier.save()
    sync_readmission(person_id=candidate.person_id)
    return earlier


def earlier_membership_check(earlier: EarlierMembership, *, nominated_on: date) -> None:
    """Every check an earlier membership passes before it is recorded, for the case screen, the API and the import
    alike. Raises a ValidationError keyed by field (the import names the column from it)."""
    how_left = earlier.how_left
    if how_left not in LeavingReason.values:
        raise ValidationError({"how_left": _("Choose how the earlier membership ended from the list.")})
    if CONSEQUENCES[how_left] == Consequence.NEVER:
        raise ValidationError(
            {
                "how_left": _(
                    "%(reason)s: never re-admitted (294-QĐ/TW item 3.5). The case cannot go on as a re-admission."
                )
                % {"reason": LeavingReason(how_left).label}
            }
        )
    today = permissions.today()
    for name in ("admitted_on", "official_on", "left_on", "conviction_expunged_on"):
        day = getattr(earlier, name)
        if day is not None and day > today:
            raise ValidationError({name: _("The dates of the earlier membership cannot be in the future.")})
    if earlier.left_on > nominated_on:
        raise ValidationError({"left_on": _("The earlier membership must have ended before the nomination.")})
    earlier.full_clean()
    overlap = EarlierMembership.objects.filter(person_id=earlier.person_id, left_on__gte=earlier.admitted_on)
    if overlap.filter(admitted_on__lte=earlier.left_on).exclude(pk=earlier.pk).exists():
        raise ValidationError({"admitted_on": _("This period overlaps an earlier membership already recorded.")})


def sync_readmission(*, person_id: int, declared: bool = False, case_id: int | None = None) -> None:
    """The one writer of `Candidate.is_readmission`: the person's open cases (and the case `case_id`, whatever its
    state: one just imported) are re-admissions exactly when an earlier membership is recorded, or when `declared`
    (an import's re-admission column, the record still to come); history kept."""
    recorded = declared or EarlierMembership.objects.filter(person_id=person_id).exists()
    cases = Candidate.objects.filter(person_id=person_id).filter(
        Q(state__in=CandidateState.open_states()) | Q(pk=case_id)
    )
    for case in cases.exclude(is_readmission=recorded):
        case.is_readmission = recorded
        case._change_reason = _("Earlier membership recorded") if recorded else _("No earlier membership recorded")
        case.save(update_fields=["is_readmission"])
