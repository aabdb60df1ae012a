"""The earlier-membership columns of a candidate-case import (re-admission, domain.md §2.6)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from admission.party.models.earlier import EarlierMembership
from admission.party.models.people import Person
from admission.sourcing.services.readmission import earlier_membership_check

# The column of the spreadsheet that carries each field of the earlier membership.
_COLUMNS = {
    "admitted_on": "earlier_admitted_on",
    "official_on": "earlier_official_on",
    "left_on": "earlier_left_on",
    "how_left": "earlier_how_left",
    "conviction_expunged_on": "earlier_expunged_on",
}
_EARLIER = ("earlier_admitted_on", "earlier_official_on", "earlier_left_on", "earlier_how_left", "earlier_expunged_on")


def earlier_membership_import(person: Person, v: dict[str, Any], *, by: Any) -> list[tuple[str, str]]:
    """The row's earlier membership, recorded on the person unless the same one (same dates and way of leaving)
    already is; the problems of the row, by column, when it cannot be (the checks of `earlier_membership_add`)."""
    if not any(v.get(key) for key in _EARLIER):
        return []
    needed = [(k, _("Needed to record the earlier membership.")) for k in _EARLIER[:4] if k != "earlier_official_on"]
    missing = [(key, message) for key, message in needed if not v.get(key)]
    if missing:
        return missing
    same = EarlierMembership.objects.filter(
        person_id=person.pk,
        admitted_on=v["earlier_admitted_on"],
        left_on=v["earlier_left_on"],
        how_left=v["earlier_how_left"],
    )
    if same.exists():
        return []  # already recorded (the same spreadsheet imported again)
    earlier = EarlierMembership(
        person=person,
        admitted_on=v["earlier_admitted_on"],
        official_on=v.get("earlier_official_on"),
        left_on=v["earlier_left_on"],
        how_left=v["earlier_how_left"],
        conviction_expunged_on=v.get("earlier_expunged_on"),
        note=_("Imported from a spreadsheet"),
        recorded_by=by,
    )
    try:
        earlier_membership_check(earlier, nominated_on=v["nominated_on"])
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            return [("earlier_left_on", " ".join(exc.messages))]
        return [(_COLUMNS.get(name, "earlier_left_on"), " ".join(msgs)) for name, msgs in exc.message_dict.items()]
    earlier._change_reason = _("Imported from a spreadsheet")  # type: ignore[attr-defined]
    earlier.save()
    return []
