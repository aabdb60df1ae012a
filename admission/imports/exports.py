"""Spreadsheets out: the import templates (with an instructions sheet) and the roster and case-list exports.

Exports use the import's columns, so an exported roster can be corrected and imported elsewhere. The querysets
come from the scoped selectors; the rows are streamed with `values_list`/`iterator`, never built per object.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from admission.core.spreadsheets import csv_row, workbook_bytes
from admission.imports.columns import CANDIDATES, COLUMNS, MEMBERS, Column
from admission.party.models.people import Membership
from admission.sourcing.models.candidates import Candidate

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def _cell(value: Any) -> Any:
    return "x" if value is True else ("" if value is False or value is None else value)


def _book(columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, instructions: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Data")
    sheet.append([c.header() for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(14, len(column.header()) + 2)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for index, column in enumerate(columns, start=1):
        if column.kind == "date":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "DD/MM/YYYY"
    if instructions:
        guide = book.create_sheet(_("Instructions"))
        guide.append([_("Column"), _("Required"), _("What to write")])
        for cell in guide[1]:
            cell.font = Font(bold=True)
        for column in columns:
            if column.kind == "choice":
                what = "; ".join(f"{code} = {label}" for code, label in column.choices)
            elif column.kind == "date":
                what = _("a date, dd/mm/yyyy")
            elif column.kind == "bool":
                what = _("x for yes, empty for no")
            else:
                what = _("text, at most %(n)d characters") % {"n": column.max_length}
            guide.append([column.header(), _("yes") if column.required else "", what])
        guide.column_dimensions["A"].width = 36
        guide.column_dimensions["C"].width = 120
    return workbook_bytes(book)


def _csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row(c.header() for c in columns))
    for row in rows:
        writer.writerow(csv_row(v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else _cell(v) for v in row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def template_file(kind: str, fmt: str) -> bytes:
    columns = COLUMNS[kind]
    return _book(columns, [], instructions=True) if fmt == "xlsx" else _csv(columns, [])


_PERSON = (
    "person__citizen_id",
    "person__full_name",
    "person__date_of_birth",
    "person__sex",
    "person__ethnicity",
    "person__religion",
    "person__education",
    "person__professional_level",
    "person__occupation",
    "person__employer_sector",
    "person__workplace",
    "person__residence",
    "person__phone",
    "person__youth_union_member",
    "person__trade_union_member",
)


def roster_rows(members: QuerySet[Membership]) -> Iterable[Sequence[Any]]:
    fields = (*_PERSON, "cell__code", "admitted_on", "official_on", "joined_cell_on", "party_card_no")
    return members.order_by("cell__path", "person__full_name").values_list(*fields).iterator(chunk_size=2000)


# The person's last earlier membership, as the import's columns take it.
_EARLIER_FIELDS = {
    "earlier_admitted": "admitted_on",
    "earlier_official": "official_on",
    "earlier_left": "left_on",
    "earlier_how_left": "how_left",
    "earlier_expunged": "conviction_expunged_on",
}
_EARLIER = tuple(_EARLIER_FIELDS)


def case_rows(cases: QuerySet[Candidate]) -> Iterable[Sequence[Any]]:
    """One row per case with the dates of its steps, read through joins (the decision and the ceremony)."""
    from django.db.models import FilteredRelation, OuterRef, Q, Subquery

    from admission.decisions.models.decisions import StepStatus
    from admission.party.hierarchy import StepKind
    from admission.party.models.earlier import EarlierMembership

    cases = cases.annotate(
        resolution=FilteredRelation(
            "chain_steps", condition=Q(chain_steps__kind=StepKind.CELL_RESOLUTION, chain_steps__status=StepStatus.DONE)
        ),
        decision=FilteredRelation(
            "chain_steps", condition=Q(chain_steps__kind=StepKind.DECISION, chain_steps__status=StepStatus.DONE)
        ),
    )
    fields = (
        *_PERSON,
        "cell__code",
        "state",
        "nominated_on",
        "nominated_by",
        "sympathiser_meeting_on",
        "resolution__done_on",
        "decision__document_number",
        "decision__document_date",
        "ceremony__held_on",
        "is_readmission",
        *_EARLIER,
    )
    last = EarlierMembership.objects.filter(person=OuterRef("person")).order_by("-left_on", "-pk")
    cases = cases.annotate(**{name: Subquery(last.values(field)[:1]) for name, field in _EARLIER_FIELDS.items()})
    return cases.order_by("cell__path", "code").values_list(*fields).iterator(chunk_size=2000)


def export_file(kind: str, fmt: str, rows: Iterable[Sequence[Any]]) -> bytes:
    columns = COLUMNS[kind]
    return _book(columns, rows, instructions=False) if fmt == "xlsx" else _csv(columns, rows)


EXPORTS = {MEMBERS: roster_rows, CANDIDATES: case_rows}
