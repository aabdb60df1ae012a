"""Every form renders from the case's data: A4, fonts embedded, Vietnamese intact, dates and percentages written the
party's way, numbers per issuing body and period, template versions pinned per case."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from admission.documents import formatting, numbering, registry, render
from admission.documents.models import DocumentNumber, DocumentStatus, GeneratedDocument
from admission.sourcing.services.candidates import candidate_nominate
from tests.admission.documents.helpers import fonts, is_a4, text
from tests.factories import PersonFactory

D = datetime.date


def test_every_form_of_a_decided_case_renders_on_a4_with_its_fonts_embedded(decided_case):
    codes = [p.spec.code for p in render.applicable_forms(decided_case)]
    assert codes == ["CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ", "6-KNĐ", "7-KNĐ", "8-KNĐ", "9-KNĐ"]
    for code in codes:
        pdf = render.render_form(decided_case, code).pdf
        assert is_a4(pdf), code
        used = fonts(pdf)
        assert used and all(used.values()), (code, used)
        assert all("Liberation" in name for name in used), (code, used)
        assert f"Mẫu {code}" in text(pdf)


def test_the_cell_resolution_reads_in_vietnamese_with_its_vote_and_number(decided_case):
    content = text(render.render_form(decided_case, "6-KNĐ").pdf)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ BỘ PHẬN KHỐI GIÁO VIÊN",
        "CHI BỘ TỔ TOÁN",
        "Số 01-NQ/CB",
        "NGHỊ QUYẾT",
        "đề nghị kết nạp đảng viên",
        "ngày 06 tháng 4 năm 2026",
        "quần chúng Lò Thị Mai",
        "sinh ngày 02/04/2000",
        "5 đồng chí (đạt 83,33%)",
        "Đi công tác",
        "T/M CHI BỘ",
        "BÍ THƯ",
        "Nông Văn Đức",
        "Nơi nhận:",
    ):
        assert expected in content, expected


def test_the_decision_prints_the_number_entered_with_it_and_the_deciding_standing_committee(decided_case):
    content = text(render.render_form(decided_case, "9-KNĐ").pdf)
    for expected in (
        "ĐẢNG BỘ TỈNH QUẢNG NINH",
        "ĐẢNG ỦY XÃ HOÀNH MÔ",
        "Số 12-QĐ/ĐU",
        "Hoành Mô, ngày 20 tháng 4 năm 2026",
        "QUYẾT ĐỊNH",
        "kết nạp đảng viên",
        "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ HOÀNH MÔ",
        "Căn cứ Quy định số 294-QĐ/TW",
        "Nghị quyết số 01-NQ/CB",
        "Điều 1.",
        "T/M BAN THƯỜNG VỤ",
    ):
        assert expected in content, expected


def test_the_committee_resolution_counts_against_all_committee_members(decided_case):
    content = text(render.render_form(decided_case, "8-KNĐ").pdf)
    assert "Tổng số cấp ủy viên: 9 đồng chí; có mặt 8 đồng chí; vắng mặt 1 đồng chí" in content
    assert "7 đồng chí (đạt 77,78%) so với tổng số cấp ủy viên" in content
    assert "T/M ĐẢNG ỦY" in content and "Số 01-NQ/ĐU" in content


def test_the_handwritten_forms_come_out_as_prefilled_drafts(decided_case):
    application = text(render.render_form(decided_case, "1-KNĐ").pdf)
    assert "Bản in sẵn để người vào Đảng tự viết/ký" in application
    assert "ĐƠN XIN VÀO ĐẢNG" in application and "NGƯỜI LÀM ĐƠN" in application
    cv = text(render.render_form(decided_case, "2-KNĐ").pdf)
    assert "LÝ LỊCH" in cv and "Lò Văn Pấng" in cv and "Lường Thị Xuân" in cv and "CAM ĐOAN VÀ KÝ TÊN" in cv


def test_the_certificate_and_the_youth_union_resolution_carry_their_own_headers(decided_case):
    certificate = text(render.render_form(decided_case, "CN-NTVĐ").pdf)
    assert "GIẤY CHỨNG NHẬN" in certificate and "BỒI DƯỠNG NHẬN THỨC VỀ ĐẢNG" in certificate
    assert "Số 125/CN" in certificate and "Sinh ngày: 02/04/2000" in certificate
    youth = text(render.render_form(decided_case, "4-KNĐ").pdf)
    assert "ĐOÀN TNCS HỒ CHÍ MINH" in youth and "Số: 05-NQ/ĐTN" in youth
    assert "giới thiệu đoàn viên ưu tú vào Đảng" in youth


def test_a_form_whose_data_does_not_exist_yet_does_not_apply(case_in_dossier):
    codes = [p.spec.code for p in render.applicable_forms(case_in_dossier)]
    assert "6-KNĐ" not in codes and "9-KNĐ" not in codes
    with pytest.raises(render.FormNotApplicable):
        render.render_form(case_in_dossier, "9-KNĐ")


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [(2, 3, "66,67%"), (4, 6, "66,67%"), (5, 6, "83,33%"), (6, 6, "100%"), (1, 8, "12,5%"), (0, 6, "0%"), (1, 0, "0%")],
)
def test_percentages_take_a_decimal_comma_and_at_most_two_decimals(part, whole, shown):
    assert formatting.percent(part, whole) == shown


def test_dates_take_a_leading_zero_for_days_below_ten_and_for_january_and_february():
    assert formatting.spelled(D(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"
    assert formatting.spelled(D(2026, 2, 20)) == "ngày 20 tháng 02 năm 2026"
    assert formatting.spelled(D(2026, 12, 31)) == "ngày 31 tháng 12 năm 2026"
    assert formatting.dmy(D(2000, 4, 2)) == "02/04/2000"


def second_case(world, people):
    return candidate_nominate(
        person=PersonFactory(), cell=world.cell, nominated_by="cell", nominated_on=D(2026, 5, 4), by=people[0]
    )


def test_numbers_run_per_body_type_and_year_and_a_form_keeps_its_number(world, people, case_in_dossier):
    org, one, two = world.cell, case_in_dossier, second_case(world, people)
    first = numbering.number_for(candidate=one, form_code="6-KNĐ", org=org, doc_type="NQ", period="2026")
    again = numbering.number_for(candidate=one, form_code="6-KNĐ", org=org, doc_type="NQ", period="2026")
    other = numbering.number_for(candidate=two, form_code="6-KNĐ", org=org, doc_type="NQ", period="2026")
    next_year = numbering.number_for(candidate=two, form_code="13-KNĐ", org=org, doc_type="NQ", period="2027")
    report = numbering.number_for(candidate=two, form_code="7-KNĐ", org=world.partial, doc_type="BC", period="2026")
    assert (first, again, other, next_year, report) == (1, 1, 2, 1, 1)
    assert DocumentNumber.objects.filter(candidate=one).count() == 1


def test_a_template_amended_later_changes_new_dossiers_only(monkeypatch, world, people, case_in_dossier):
    decided_case = case_in_dossier
    spec = registry.get("5-KNĐ")
    GeneratedDocument.objects.create(
        candidate=decided_case,
        form_code="5-KNĐ",
        template_version="2025.1",
        rule_set_version="294-QĐ/TW",
        input_hash="x",
        status=DocumentStatus.DONE,
    )
    amended = dataclasses.replace(
        spec,
        versions=(*spec.versions, registry.TemplateVersion("2026.1", D(2026, 6, 1), spec.versions[0].template)),
    )
    monkeypatch.setitem(registry.BY_CODE, "5-KNĐ", amended)
    assert render.pinned_version(decided_case, amended).version == "2025.1"
    assert render.prepare_form(decided_case, "5-KNĐ").version.version == "2025.1"
    new_case = second_case(world, people)
    assert render.pinned_version(new_case, amended).version == "2026.1"
