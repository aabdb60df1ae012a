"""Report screens and files per role: the committee sees its subtree, an outsider gets 404, the files open."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

D = datetime.date
INDEX = reverse("admission:reports:index")
FORMS = reverse("admission:reports:forms")
XLSX = reverse("admission:reports:xlsx")
PDF = reverse("admission:reports:pdf")
Q1 = {"period": "q1", "year": "2025"}


def test_the_commune_approver_sees_its_dashboard_with_the_counts(client, province):
    w = province.world
    client.force_login(w.approver)
    response = client.get(INDEX, {**Q1, "org": w.commune.pk})
    assert response.status_code == 200
    targets = {t.category: t for t in response.context["dashboard"].targets}
    assert (targets["total"].current, targets["total"].previous) == (6, 3)
    assert b"chart.umd.min.js" in response.content


def test_without_an_org_the_dashboard_opens_on_the_users_own_unit(client, province):
    client.force_login(province.world.secretary)
    response = client.get(INDEX, Q1)
    assert response.status_code == 200 and response.context["org"] == province.world.village_cell


def test_an_outsider_gets_404_on_another_communes_report_and_files(client, province):
    w = province.world
    client.force_login(w.outsider)
    for url in (INDEX, FORMS, XLSX, PDF):
        assert client.get(url, {**Q1, "org": w.commune.pk}).status_code == 404


def test_a_cell_secretary_cannot_open_the_communes_report(client, province):
    client.force_login(province.world.secretary)
    assert client.get(INDEX, {**Q1, "org": province.world.commune.pk}).status_code == 404


def test_the_forms_page_prints_the_rows_of_form_2(client, province):
    client.force_login(province.world.approver)
    response = client.get(FORMS, {**Q1, "org": province.world.commune.pk})
    assert response.status_code == 200
    assert "I. Tổng số đảng viên mới kết nạp" in response.content.decode()
    assert response.context["report"].total == 6


def test_the_xlsx_opens_with_openpyxl_and_has_the_form_layout_and_counts(client, province):
    client.force_login(province.world.approver)
    response = client.get(XLSX, {**Q1, "org": province.world.commune.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Biểu 2-BTCTW", "Biểu 2B-BTCTW", "Biểu 1-BTCTW"]
    ws = book["Biểu 2-BTCTW"]
    assert ws["D1"].value == "Biểu số 2-BTCTW"
    assert (ws["A5"].value, ws["B5"].value, ws["B6"].value, ws["C6"].value) == (
        "Tiêu chí",
        "Thực hiện",
        "Kỳ này",
        "Cùng kỳ năm trước",
    )
    assert [ws.cell(7, c).value for c in range(1, 5)] == ["1", "2", "3", "4(=2*100/3)"]
    assert (ws["A8"].value, ws["B8"].value, ws["C8"].value, ws["D8"].value) == (
        "I. Tổng số đảng viên mới kết nạp",
        6,
        3,
        2,  # 200 %: a number cell holding the fraction, shown with a percent format
    )
    assert ws["D8"].number_format == "0.00%" and ws["D8"].data_type == "n"
    assert (ws["A9"].value, ws["B9"].value) == ("Nữ", 3)
    assert ws["B13"].value is None  # "Chủ doanh nghiệp tư nhân": not recorded, printed empty


def test_the_pdf_is_a_pdf_with_the_forms_titles(client, province):
    from pypdf import PdfReader

    client.force_login(province.world.approver)
    response = client.get(PDF, {**Q1, "org": province.world.commune.pk})
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Biểu số 2-BTCTW" in text and "Biểu số 2B-BTCTW" in text


def test_the_api_returns_the_report_and_404_outside_scope(client, province):
    w = province.world
    url = reverse("api-report-admissions")
    client.force_login(w.approver)
    body = client.get(url, {"org": w.commune.pk, "start": "2025-01-01", "end": "31/03/2025"}).json()
    assert body["form2"][0]["current"] == 6 and body["form2"][0]["previous"] == 3
    assert body["start"] == "2025-01-01" and body["previous_end"] == "2024-03-31"
    client.force_login(w.outsider)
    assert client.get(url, {"org": w.commune.pk}).status_code == 404


@pytest.mark.parametrize("url", [INDEX, XLSX])
def test_the_report_pages_refuse_post(client, province, url):
    client.force_login(province.world.approver)
    assert client.post(url, {"org": province.world.commune.pk}).status_code == 405


def test_every_percentage_of_the_workbook_is_a_number_with_a_percent_format(client, province):
    client.force_login(province.world.approver)
    book = load_workbook(io.BytesIO(client.get(XLSX, {**Q1, "org": province.world.commune.pk}).content))
    percent_cells = [
        cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.number_format == "0.00%"
    ]
    assert len(percent_cells) > 20
    assert all(cell.value is None or isinstance(cell.value, int | float) for cell in percent_cells)
    assert all(cell.value is None or 0 <= cell.value <= 100 for cell in percent_cells)  # fractions, not 33.33…
    share = book["Biểu 2B-BTCTW"]
    shares = [row[4].value for row in share.iter_rows(min_row=8) if isinstance(row[4].value, float)]
    assert shares and all(0 <= value <= 1 for value in shares)


def test_the_first_load_shows_the_period_whose_figures_it_shows(client, province):
    import time_machine

    client.force_login(province.world.approver)
    with time_machine.travel(datetime.datetime(2025, 11, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        response = client.get(INDEX, {"org": province.world.commune.pk})
    html = response.content.decode()
    assert response.context["dashboard"].period.label == "01/10/2025 – 31/12/2025"
    assert '<option value="q4" selected>' in html
    assert 'name="year" value="2025"' in html
    assert "period=q4" in response.context["query"] and "year=2025" in response.context["query"]


def test_a_period_chosen_without_a_year_shows_this_years(client, province):
    client.force_login(province.world.approver)
    response = client.get(INDEX, {"org": province.world.commune.pk, "period": "h1"})
    year = datetime.date.today().year
    assert response.context["dashboard"].period.label == f"01/01/{year} – 30/06/{year}"
    assert f'name="year" value="{year}"' in response.content.decode()


def test_a_date_outside_the_records_years_is_explained_on_the_form_not_a_server_error(client, province):
    client.force_login(province.world.approver)
    response = client.get(INDEX, {"start": "0001-01-01", "end": "31/03/2025", "org": province.world.commune.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["start"]
