"""Writes of the portal: the cell issues the lookup PIN printed on the candidate's receipt."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from admission.party import permissions
from admission.sourcing.models.candidates import Candidate
from portal.models import LookupPin
from portal.pins import pin_hash

PIN_DIGITS = 6


def new_pin() -> str:
    """Six random digits from the system's secure source (leading zeros kept)."""
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


@transaction.atomic
def pin_issue(*, candidate: Candidate, by: Any, pin: str | None = None) -> str:
    """Issue (or replace) the case's lookup PIN and return it in plain text, once: only its hash is stored, so a lost
    receipt means a new PIN, which makes the old one useless. Only those who act for the case's cell may issue it.
    `pin` fixes the value (the demo's known PIN); otherwise it is random."""
    permissions.require_act_for_org(by, candidate.cell)
    plain = new_pin() if pin is None else pin
    if len(plain) != PIN_DIGITS or not plain.isdigit():
        raise ValidationError(_("The PIN must have exactly %(n)d digits.") % {"n": PIN_DIGITS})
    LookupPin.objects.update_or_create(
        candidate=candidate,
        defaults={
            "pin_hash": pin_hash(candidate.pk, plain),
            "issued_at": timezone.now(),
            "issued_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    return plain
