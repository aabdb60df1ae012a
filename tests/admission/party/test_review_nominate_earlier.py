"""The nomination form folds the earlier-membership fields away unless one of them has a value or an error."""

from __future__ import annotations

from admission.party.models.orgs import PartyOrg
from workflows.forms import NominationForm


def test_the_earlier_membership_is_folded_unless_given(db):
    cells = PartyOrg.objects.none()
    assert not NominationForm(cells=cells).earlier_open()
    assert len(NominationForm(cells=cells).earlier_fields()) == 6
    assert all(f.name not in NominationForm.EARLIER_KEYS for f in NominationForm(cells=cells).other_fields())
    given = NominationForm({"earlier_left_on": "10/03/2020"}, cells=cells)
    assert given.earlier_open()
    assert NominationForm({"full_name": "A"}, cells=cells).earlier_open() is False
