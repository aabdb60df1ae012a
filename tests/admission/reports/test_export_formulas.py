"""The statistics workbook writes a unit whose name looks like a formula as text, never as a formula."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

XLSX = reverse("admission:reports:xlsx")
EVIL = '=HYPERLINK("http://evil.example","Chi bộ")'


def test_a_unit_named_like_a_formula_is_a_text_cell_in_the_report_workbook(client, province):
    w = province.world
    w.village_cell.name = EVIL
    w.village_cell.save(update_fields=["name"])
    client.force_login(w.approver)
    response = client.get(XLSX, {"period": "q1", "year": "2025", "org": w.commune.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    named = [cell for cell in cells if cell.value == EVIL]
    assert named and all(cell.data_type == "s" and cell.quotePrefix for cell in named)
