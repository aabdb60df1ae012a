"""Recording a cell's guests: a member of another cell who takes part in this cell's meetings for a time, with the
reason (a border-guard member in a border-village cell). The host cell records them; every change is kept in the
record's history with who and why."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from admission.party import permissions
from admission.party.models.guests import CellGuest
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.rules.reference import normalise_text


@transaction.atomic
def guest_record(
    *,
    membership: Membership,
    host_cell: PartyOrg,
    starts_on: date,
    reason: str,
    by: Any,
    ends_on: date | None = None,
) -> CellGuest:
    """Record that `membership`'s member takes part in `host_cell`'s meetings from `starts_on` (until `ends_on`,
    exclusive). Refuses a member who is not in the party on that day and a period overlapping another in that cell."""
    permissions.require_act_for_org(by, host_cell)
    reason = normalise_text(reason).strip()
    if not reason:
        raise ValidationError(_("Say why the member takes part in this cell's meetings."))
    if not Membership.objects.filter(pk=membership.pk).active_on(starts_on).exists():
        raise ValidationError(_("The member is not in their cell on the start date."))
    guest = CellGuest(
        membership=membership, host_cell=host_cell, starts_on=starts_on, ends_on=ends_on, reason=reason, recorded_by=by
    )
    guest.full_clean()
    overlapping = CellGuest.objects.select_for_update().filter(membership=membership, host_cell=host_cell)
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lt=ends_on)
    if overlapping.exclude(ends_on__isnull=False, ends_on__lte=starts_on).exists():
        raise ValidationError(_("This member is already a guest of this cell in that period."))
    guest._change_reason = reason  # type: ignore[attr-defined]
    guest.save()
    return guest


@transaction.atomic
def guest_end(*, guest: CellGuest, ends_on: date, reason: str, by: Any) -> CellGuest:
    """End a guest period (exclusive date); the reason goes to the record's history."""
    guest = CellGuest.objects.select_for_update().select_related("host_cell").get(pk=guest.pk)
    permissions.require_act_for_org(by, guest.host_cell)
    if not reason.strip():
        raise ValidationError(_("Say why the guest period ends."))
    if guest.ends_on is not None and guest.ends_on <= ends_on:
        raise ValidationError(_("This guest period has already ended."))
    guest.ends_on = ends_on
    guest.full_clean()
    guest._change_reason = normalise_text(reason)  # type: ignore[attr-defined]
    guest.save()
    return guest
