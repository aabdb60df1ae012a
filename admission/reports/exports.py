"""The report as files: XLSX (openpyxl) in the layout of the statistical forms, and PDF (WeasyPrint).

Layout of Biểu 1/2-BTCTW (demo-and-reports.md A.1): a three-cell header block (reporting org | THỐNG KÊ + title +
year | form number), the columns "Tiêu chí | Thực hiện (Kỳ này, Cùng kỳ năm trước) | (%)" with the numbering row
"1 | 2 | 3 | 4(=2*100/3)", the rows, then the signature block. Column 4 is left empty when column 3 is 0.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from admission.core.spreadsheets import workbook_bytes
from admission.reports.statistics import AdmissionReport, Line, ShareLine, report_header

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)
PERCENT = "0.00%"


def _percent(cell: Cell, value: float | None) -> Cell:
    """A percentage as a number cell a spreadsheet can compute with: the fraction (33.33 % is 0.3333…), shown with a
    percent format; nothing when there is no ratio (the forms leave column 4 empty when column 3 is 0)."""
    cell.value = None if value is None else value / 100
    cell.number_format = PERCENT
    return cell


def _append(ws: Worksheet, values: list[object], percent_columns: tuple[int, ...]) -> None:
    """A row of a plain table, its percentage columns (1-based) as percent cells."""
    ws.append([None if i + 1 in percent_columns else v for i, v in enumerate(values)])
    for column in percent_columns:
        value = values[column - 1]
        _percent(ws.cell(ws.max_row, column), value if isinstance(value, int | float) else None)


FORM_TITLES = {
    "2": ("Biểu số 2-BTCTW", "THỐNG KÊ ĐẢNG VIÊN MỚI KẾT NẠP"),
    "2B": ("Biểu số 2B-BTCTW", "ĐẢNG VIÊN MỚI KẾT NẠP"),
    "1": ("Biểu số 1-BTCTW", "THỐNG KÊ TĂNG, GIẢM ĐẢNG VIÊN"),
    "10": ("Biểu 10-TCTW (2012), mục II", "KẾT NẠP ĐẢNG VIÊN TRONG NĂM"),
}


def _header(ws: Worksheet, report: AdmissionReport, form: str, width: int, subtitle: str = "") -> int:
    number, title = FORM_TITLES[form]
    upper, own = report_header(report.org)
    ws.cell(1, 1, upper or own).font = BOLD
    ws.cell(2, 1, own if upper else "").font = BOLD
    ws.cell(1, width, number).font = BOLD
    middle = 2 if width > 3 else 1
    ws.cell(1, middle, "THỐNG KÊ").font = BOLD
    ws.cell(2, middle, title).font = BOLD
    ws.cell(3, middle, subtitle or f"Từ ngày {report.period.label} — NĂM {report.period.end.year}")
    for row in (1, 2, 3):
        ws.cell(row, middle).alignment = CENTRE
    return 5


def _signature(ws: Worksheet, row: int, width: int) -> None:
    row += 1
    ws.cell(row, 1, "NGƯỜI LẬP BIỂU").font = BOLD
    ws.cell(row + 1, 1, "(Ký, ghi rõ họ và tên; số điện thoại di động và cố định liên hệ)")
    ws.cell(row, width, "………, ngày…tháng…năm 20…")
    ws.cell(row + 1, width, "TRƯỞNG BAN").font = BOLD
    ws.cell(row + 2, width, "(Ký, đóng dấu, ghi rõ họ và tên)")


def _compare_table(ws: Worksheet, start: int, lines: list[Line]) -> int:
    """The four columns of the "this period / same period" forms, from row `start`; returns the next free row."""
    ws.merge_cells(start_row=start, start_column=1, end_row=start + 1, end_column=1)
    ws.merge_cells(start_row=start, start_column=2, end_row=start, end_column=3)
    ws.merge_cells(start_row=start, start_column=4, end_row=start + 1, end_column=4)
    ws.cell(start, 1, "Tiêu chí")
    ws.cell(start, 2, "Thực hiện")
    ws.cell(start + 1, 2, "Kỳ này")
    ws.cell(start + 1, 3, "Cùng kỳ năm trước")
    ws.cell(start, 4, "(%) kỳ này so với cùng kỳ năm trước")
    for col, text in enumerate(("1", "2", "3", "4(=2*100/3)"), start=1):
        ws.cell(start + 2, col, text)
    for row in range(start, start + 3):
        for col in range(1, 5):
            cell = ws.cell(row, col)
            cell.font, cell.alignment, cell.border = BOLD, CENTRE, BOX
    row = start + 3
    for line in lines:
        label = ws.cell(row, 1, line.label)
        label.alignment = Alignment(indent=line.level * 2, wrap_text=True, vertical="center")
        label.font = Font(bold=line.bold)
        for col, value in ((2, line.current), (3, line.previous)):
            cell = ws.cell(row, col, value)
            cell.number_format = "0.00" if line.kind == "mean_age" else "#,##0"
        _percent(ws.cell(row, 4), line.percent)
        for col in range(1, 5):
            ws.cell(row, col).border = BOX
        row += 1
    return row


def _share_table(ws: Worksheet, start: int, sections: list[list[ShareLine]]) -> int:
    headers = ("TT", "Tên dân tộc, tôn giáo", "Tổng số", "Trong đó: nữ", "Tỷ lệ (%)")
    ws.merge_cells(start_row=start, start_column=3, end_row=start, end_column=4)
    ws.cell(start, 3, "Đảng viên chia theo dân tộc, tôn giáo")
    for col, text in enumerate(headers, start=1):
        ws.cell(start + 1, col, text)
        ws.cell(start + 2, col, str(col))
    for row in range(start, start + 3):
        for col in range(1, 6):
            cell = ws.cell(row, col)
            cell.font, cell.alignment, cell.border = BOLD, CENTRE, BOX
    row = start + 3
    for section in sections:
        for line in section:
            values = (line.number, line.label, line.total, line.female)
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row, col, value)
                cell.border = BOX
                cell.font = Font(bold=line.bold)
            share = _percent(ws.cell(row, 5), line.percent)
            share.border, share.font = BOX, Font(bold=line.bold)
            row += 1
    return row


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def report_xlsx(report: AdmissionReport) -> bytes:
    """The report as a workbook: one sheet per form, then the targets, the units, the funnel and the timings."""
    book = Workbook()
    ws = book.active
    ws.title = "Biểu 2-BTCTW"
    row = _compare_table(ws, _header(ws, report, "2", 4), [*report.form2, *report.form2_orgs])
    _signature(ws, row, 4)
    _widths(ws, [70, 14, 18, 20])

    ws = book.create_sheet("Biểu 2B-BTCTW")
    row = _share_table(
        ws,
        _header(ws, report, "2B", 5, "Chia theo dân tộc và tôn giáo"),
        [report.form2b_ethnicity, report.form2b_religion],
    )
    _signature(ws, row, 5)
    _widths(ws, [6, 34, 12, 14, 12])

    ws = book.create_sheet("Biểu 1-BTCTW")
    row = _compare_table(ws, _header(ws, report, "1", 4), report.form1)
    _signature(ws, row, 4)
    _widths(ws, [60, 14, 18, 20])

    ws = book.create_sheet("Kết nạp - công nhận")
    row = _compare_table(ws, _header(ws, report, "10", 4), report.supplementary)
    _widths(ws, [60, 14, 18, 20])

    ws = book.create_sheet("Chỉ tiêu")
    ws.append(
        [
            _("Category"),
            _("This period"),
            _("Same period last year"),
            _("Target for the year"),
            _("Share of the target") + " (%)",
        ]
    )
    for target in report.targets:
        _append(ws, [target.label, target.current, target.previous, target.target, target.attainment], (5,))
    ws.append([])
    ws.append([_("Unit"), _("This period"), _("Same period last year")])
    for unit in report.units:
        ws.append([unit.name, unit.current, unit.previous])
    _widths(ws, [50, 14, 18, 18, 12])

    ws = book.create_sheet("Quy trình")
    ws.append([_("Stage"), _("Cohort nominated in the period"), _("Conversion (%)"), _("Events in the period")])
    for stage in report.funnel:
        _append(ws, [stage.label, stage.cohort, stage.conversion, stage.events], (3,))
    ws.append([])
    ws.append([_("Step"), _("Body"), _("Steps"), _("Median working days"), _("Late"), _("Late (%)")])
    for step in report.processing:
        _append(ws, [step.label, step.body, step.count, step.median_days, step.overdue, step.overdue_rate], (6,))
    _widths(ws, [40, 40, 14, 18, 10, 10])
    for sheet in book.worksheets:
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    return workbook_bytes(book)


def report_pdf(report: AdmissionReport) -> bytes:
    """The forms as an A4 PDF (WeasyPrint), from templates/admission/reports/report_pdf.html."""
    from weasyprint import HTML  # imported here: loading WeasyPrint costs ~0.3 s and only this path needs it

    upper, own = report_header(report.org)
    html = render_to_string("admission/reports/report_pdf.html", {"report": report, "upper": upper, "own": own})
    return HTML(string=html).write_pdf()
