"""The earlier-membership columns of a candidate-case import (re-admission, domain.md §2.6)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from admission.party import permissions
from admission.party.models.earlier import CONSEQUENCES, Consequence, EarlierMembership
from admission.party.models.people import Person

_EARLIER = ("earlier_admitted_on", "earlier_official_on", "earlier_left_on", "earlier_how_left", "earlier_expunged_on")


def earlier_membership_import(person: Person, v: dict[str, Any], *, by: Any) -> list[tuple[str, str]]:
    """The row's earlier membership, recorded on the person unless the same one (same leaving date) already is;
    the problems of the row, by column, when it cannot be."""
    if not any(v.get(key) for key in _EARLIER):
        return []
    needed = [(k, _("Needed to record the earlier membership.")) for k in _EARLIER[:4] if k != "earlier_official_on"]
    missing = [(key, message) for key, message in needed if not v.get(key)]
    if missing:
        return missing
    if CONSEQUENCES[v["earlier_how_left"]] == Consequence.NEVER:
        return [("earlier_how_left", _("Never re-admitted (294-QĐ/TW item 3.5)."))]
    if v["earlier_left_on"] > permissions.today() or v["earlier_left_on"] > v["nominated_on"]:
        return [("earlier_left_on", _("The earlier membership must have ended before the nomination."))]
    if person.earlier_memberships.filter(left_on=v["earlier_left_on"]).exists():
        return []
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
    columns = {
        "admitted_on": "earlier_admitted_on",
        "official_on": "earlier_official_on",
        "left_on": "earlier_left_on",
        "how_left": "earlier_how_left",
        "conviction_expunged_on": "earlier_expunged_on",
    }
    try:
        earlier.full_clean(exclude=["person"])
    except ValidationError as exc:
        return [(columns.get(name, "earlier_left_on"), " ".join(msgs)) for name, msgs in exc.message_dict.items()]
    earlier.save()
    return []
