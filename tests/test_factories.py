"""The test factories themselves: people made in one session never share a citizen ID, however many there are."""

from __future__ import annotations

import datetime

from admission.rules.reference import validate_citizen_id
from tests.factories import citizen_id_for


def test_citizen_ids_stay_unique_and_valid_past_ten_thousand_people():
    dob = datetime.date(1995, 5, 17)
    ids = [citizen_id_for(dob, "male") for _ in range(12_000)]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 12 and i.isdigit() and not i[6:].startswith("99") for i in ids)
    assert validate_citizen_id(ids[-1], date_of_birth=dob, sex="male") == ids[-1]
