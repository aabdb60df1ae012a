"""Spreadsheet cells that cannot run: every XLSX and CSV export writes its values through here.

A value a person typed (a name, an address, an org's name) may begin with `=`, `+`, `-` or `@`, which Excel and
LibreOffice read as the start of a formula (`=HYPERLINK("http://…")` becomes a live link, `=cmd|…` worse); a
leading tab or carriage return hides such a start from a naive check. OWASP's "CSV injection" advice:
- XLSX has cell types, so such a value is written as a text cell with Excel's "quote prefix" style (the value is
  unchanged; Excel keeps it text even when someone edits the cell);
- CSV has no types, so such a value is written with a leading apostrophe, which spreadsheet programs read as
  "this is text" and do not show. `csv_value_read` removes that apostrophe again, so an exported file imports back
  unchanged.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_value(value: Any) -> Any:
    """A value for csv.writer: a text that could start a formula gets a leading apostrophe."""
    return "'" + value if looks_like_formula(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(value) for value in values]


def csv_value_read(value: Any) -> Any:
    """The inverse of `csv_value` for the import: "'=x" read from a CSV is "=x" (other apostrophes are kept)."""
    if isinstance(value, str) and value.startswith("'") and looks_like_formula(value[1:]):
        return value[1:]
    return value


def neutralise_workbook(book: Workbook) -> None:
    """Make every cell of every sheet that would be a formula a text cell (openpyxl turns any string beginning
    with "=" into a formula; the other starts become formulas when someone edits the cell in Excel)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or looks_like_formula(cell.value):
                    value = cell.value if isinstance(cell.value, str) else str(cell.value)
                    cell.value = value
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes, with formula-looking cells neutralised: the one way our exports save a book."""
    neutralise_workbook(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
