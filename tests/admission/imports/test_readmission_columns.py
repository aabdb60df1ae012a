"""The earlier-membership columns of a candidate-case import (re-admission, domain.md §2.6): recorded on the person,
the case a re-admission; a category never re-admitted and an incomplete or impossible earlier membership refused
with the row and the column; the export carries them back."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.utils import translation
from openpyxl import Workbook

from admission.imports.columns import CANDIDATES
from admission.imports.engine import import_file
from admission.imports.exports import case_rows
from admission.party.models.earlier import EarlierMembership
from admission.sourcing.models.candidates import Candidate
from tests.factories import citizen_id_for

D = datetime.date
HEADER = [
    "citizen_id",
    "full_name",
    "date_of_birth",
    "sex",
    "cell_code",
    "state",
    "nominated_on",
    "earlier_admitted_on",
    "earlier_official_on",
    "earlier_left_on",
    "earlier_how_left",
    "earlier_expunged_on",
]


@pytest.fixture(autouse=True)
def frozen():
    with translation.override("en"), time_machine.travel(datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)):
        yield


def row(world, *earlier):
    dob = D(1980, 4, 4)
    return [citizen_id_for(dob, "male"), "Lý Văn Lại", "04/04/1980", "male", world.village_cell.code, "nominated",
            "01/02/2026", *earlier]  # fmt: skip


def run(world, rows):
    book = Workbook()
    for r in [HEADER, *rows]:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return import_file(
        kind=CANDIDATES, target=world.commune, data=out.getvalue(), filename="c.xlsx", by=world.approver, dry_run=False
    )


def test_the_earlier_membership_is_imported_and_the_case_is_a_readmission(world):
    result = run(world, [row(world, "19/05/2005", "19/05/2006", "10/03/2020", "Removed from the list (xóa tên)", "")])
    assert result.imported, result.errors
    case = Candidate.objects.get(person__full_name="Lý Văn Lại")
    assert case.is_readmission
    earlier = EarlierMembership.objects.get(person=case.person)
    assert (earlier.admitted_on, earlier.left_on, earlier.how_left) == (D(2005, 5, 19), D(2020, 3, 10), "removed")
    exported = next(iter(case_rows(Candidate.objects.filter(pk=case.pk))))
    assert list(exported[-5:]) == [D(2005, 5, 19), D(2006, 5, 19), D(2020, 3, 10), "removed", None]


def test_a_category_never_readmitted_is_refused_by_row_and_column(world):
    result = run(world, [row(world, "19/05/2005", "", "10/03/2020", "serious_crime", "")])
    assert not result.imported
    assert [(e.row, e.column) for e in result.errors] == [(2, "Earlier membership: how it ended")]
    assert not EarlierMembership.objects.exists()


def test_an_incomplete_earlier_membership_is_refused(world):
    result = run(world, [row(world, "", "", "10/03/2020", "", "")])
    assert {e.column for e in result.errors} == {"Earlier membership: admitted on", "Earlier membership: how it ended"}


def test_an_earlier_membership_ending_after_the_nomination_is_refused(world):
    result = run(world, [row(world, "19/05/2005", "", "02/02/2026", "removed", "")])
    assert [e.column for e in result.errors] == ["Earlier membership: left the party on"]


def test_a_less_serious_conviction_needs_the_expungement_date(world):
    result = run(world, [row(world, "19/05/2005", "", "10/03/2020", "convicted_less_serious", "")])
    assert [e.column for e in result.errors] == ["Earlier membership: conviction expunged on"]


def test_a_different_way_of_leaving_on_the_same_day_is_checked_not_skipped(world):
    first = row(world, "19/05/2005", "", "10/03/2020", "removed", "")
    assert run(world, [first]).imported
    case = Candidate.objects.get(person__full_name="Lý Văn Lại")
    assert EarlierMembership.objects.get(person=case.person).history.first().history_change_reason
    Candidate.objects.filter(pk=case.pk).update(state="withdrawn")
    again = run(world, [[*first[:-2], "family_reasons", ""]])
    assert [(e.column, "overlaps" in e.message) for e in again.errors] == [("Earlier membership: admitted on", True)]
    assert EarlierMembership.objects.filter(person=case.person).count() == 1


def test_an_earlier_membership_in_the_future_is_refused(world):
    result = run(world, [row(world, "19/05/2005", "", "10/03/2020", "removed", "01/01/2027")])
    assert [e.column for e in result.errors] == ["Earlier membership: conviction expunged on"]


def test_an_unreadable_csv_is_explained_without_python_text():
    from django.core.exceptions import ValidationError

    from admission.imports.engine import read_rows

    with pytest.raises(ValidationError) as refused:
        read_rows(b'citizen_id,full_name\n1,"' + b"x" * 200_000 + b"\n", "c.csv")
    message = refused.value.messages[0]
    assert "a cell is too long" in message and "field limit" not in message
