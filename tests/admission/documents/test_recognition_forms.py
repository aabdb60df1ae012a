"""Forms 10–16-KNĐ (probation and recognition), from a case carried through the ceremony, the recognition dossier,
the cell's vote and the chain with the probation services: A4, fonts embedded, Vietnamese intact, dates written the
party's way, the official date the end of probation, and the recognised member's complete dossier in order."""

from __future__ import annotations

import datetime

import pytest

from admission.documents import dossier, render
from admission.documents.models import DocumentNumber
from tests.admission.documents.helpers import fonts, is_a4, page_texts, reader, text

D = datetime.date
RECOGNITION = ["10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "14-KNĐ", "15-KNĐ", "16-KNĐ"]


def test_every_recognition_form_of_a_recognised_member_renders_on_a4_with_its_fonts_embedded(recognised_case):
    codes = [p.spec.code for p in render.applicable_forms(recognised_case)]
    assert codes[-8:] == ["9-KNĐ", *RECOGNITION]
    for code in RECOGNITION:
        pdf = render.render_form(recognised_case, code).pdf
        assert is_a4(pdf), code
        used = fonts(pdf)
        assert used and all(used.values()) and all("Liberation" in name for name in used), (code, used)
        content = text(pdf)
        assert f"Mẫu {code}" in content and "ĐẢNG CỘNG SẢN VIỆT NAM" in content, code


def test_a_probationer_before_the_cells_vote_has_10_to_12_but_not_the_resolutions(probation_case):
    codes = [p.spec.code for p in render.applicable_forms(probation_case)]
    assert codes[-3:] == ["10-KNĐ", "11-KNĐ", "12-KNĐ"] and "13-KNĐ" not in codes
    with pytest.raises(render.FormNotApplicable):
        render.render_form(probation_case, "13-KNĐ")


def test_an_admitted_case_before_its_ceremony_has_no_probation_form(decided_case):
    with pytest.raises(render.FormNotApplicable):
        render.render_form(decided_case, "10-KNĐ")
    with pytest.raises(render.FormNotApplicable):
        render.render_form(decided_case, "10-KNĐ", check_state=False)  # no probation, whatever the state


def test_the_self_review_reads_in_vietnamese_with_the_members_particulars(probation_case):
    content = text(render.render_form(probation_case, "10-KNĐ").pdf)
    for expected in (
        "BẢN TỰ KIỂM ĐIỂM",
        "của đảng viên dự bị",
        "Chi ủy Chi bộ Tổ Toán",
        "Đảng ủy Trường THPT Hoành Mô",
        "Tôi là: Lò Thị Mai",
        "Ngày sinh: 02/04/2000",
        "Được kết nạp vào Đảng ngày 20 tháng 4 năm 2026, tại Chi bộ Tổ Toán",
        "Hiện đang sinh hoạt tại Chi bộ Tổ Toán",
        "Đôi khi còn rụt rè trong phát biểu ý kiến.",
        "Hoành Mô, ngày 10 tháng 5 năm 2027",
        "NGƯỜI TỰ KIỂM ĐIỂM",
    ):
        assert expected in content, expected


def test_the_helpers_comment_names_the_helper_and_the_assignment(probation_case):
    helper = probation_case.probation.helpers().get().member
    content = text(render.render_form(probation_case, "11-KNĐ").pdf)
    for expected in (
        "BẢN NHẬN XÉT",
        f"Tôi là: {helper.person.full_name}",
        f"Ngày vào Đảng: {helper.admitted_on:%d/%m/%Y}",
        "Ngày 19 tháng 5 năm 2026, tôi được chi bộ phân công giúp đỡ đảng viên dự bị Lò Thị Mai",
        "đủ tư cách đảng viên chính thức",
        "Tôi xin chịu trách nhiệm trước Đảng về lời nhận xét của mình.",
        "ĐẢNG VIÊN ĐƯỢC PHÂN CÔNG GIÚP ĐỠ",
    ):
        assert expected in content, expected


def test_the_compiled_opinions_carry_the_cells_header_and_signature(probation_case):
    content = text(render.render_form(probation_case, "12-KNĐ").pdf)
    for expected in (
        "CHI BỘ TỔ TOÁN",
        "Hoành Mô, ngày 12 tháng 5 năm 2027",
        "TỔNG HỢP Ý KIẾN NHẬN XÉT",
        "Công đoàn Trường THPT Hoành Mô, họp ngày 08/05/2027, tổng số có 20 đồng chí",
        "Chi bộ thôn Nà Sa",
        "T/M CHI BỘ",
        "Nông Văn Đức",
    ):
        assert expected in content, expected
    assert "Số" not in content.split("TỔNG HỢP")[0]  # 12-KNĐ carries no number


def test_the_cells_recognition_resolution_counts_official_members_and_is_numbered_for_its_year(recognised_case):
    content = text(render.render_form(recognised_case, "13-KNĐ").pdf)
    for expected in (
        "Số 01-NQ/CB",
        "Hoành Mô, ngày 24 tháng 5 năm 2027",
        "đề nghị công nhận đảng viên chính thức",
        "Căn cứ Điều 5, Điều lệ Đảng Cộng sản Việt Nam,",
        "đảng viên dự bị Lò Thị Mai được kết nạp vào Đảng ngày 20 tháng 4 năm 2026",
        "trong đó chính thức 6 đồng chí, dự bị 1 đồng chí",
        "Ốm",
        "5 đồng chí (đạt 83,33%) so với tổng số đảng viên chính thức",
        "từ ngày 19 tháng 5 năm 2026 đến ngày 19 tháng 5 năm 2027",
        "Đảng ủy bộ phận Khối giáo viên",
        "T/M CHI BỘ",
        "Nơi nhận:",
    ):
        assert expected in content, expected
    # Numbers run per body, type and year: the admission's 6-KNĐ (NQ of the cell, 2026) is 01 too.
    assert "Số 01-NQ/CB" in text(render.render_form(recognised_case, "6-KNĐ").pdf)
    numbers = dict(DocumentNumber.objects.filter(candidate=recognised_case).values_list("form_code", "number"))
    assert numbers["13-KNĐ"] == 1 and numbers["6-KNĐ"] == 1


def test_the_appraisal_lists_the_recognition_dossier_it_checked(recognised_case):
    content = text(render.render_form(recognised_case, "14-KNĐ").pdf)
    for expected in (
        "ĐẢNG ỦY BỘ PHẬN KHỐI GIÁO VIÊN",
        "Số 01-BC/ĐU",
        "thẩm định nghị quyết đề nghị công nhận đảng viên chính thức",
        "Kính gửi: Đảng ủy Trường THPT Hoành Mô",
        "Nghị quyết số 01-NQ/CB, ngày 24 tháng 5 năm 2027",
        "45/CN",
        "10/05/2027",
        "Hồ sơ đầy đủ, đúng quy trình.",
        "Đảng ủy bộ phận Khối giáo viên đề nghị",
        "T/M ĐẢNG ỦY",
    ):
        assert expected in content, expected


def test_the_committees_recognition_resolution_counts_against_all_committee_members(recognised_case):
    content = text(render.render_form(recognised_case, "15-KNĐ").pdf)
    assert "Tổng số ủy viên Ban Chấp hành: 9 đồng chí; có mặt 9 đồng chí; vắng mặt 0 đồng chí" in content
    assert "8 đồng chí (đạt 88,89%) so với tổng số cấp ủy viên" in content
    assert "Số 01-NQ/ĐU" in content and "Ban Thường vụ Đảng ủy xã Hoành Mô" in content


def test_the_decision_makes_the_member_official_from_the_end_of_probation_not_its_own_date(recognised_case):
    content = text(render.render_form(recognised_case, "16-KNĐ").pdf)
    for expected in (
        "ĐẢNG ỦY XÃ HOÀNH MÔ",
        "Số 35-QĐ/ĐU",
        "Hoành Mô, ngày 03 tháng 6 năm 2027",
        "công nhận đảng viên chính thức",
        "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ HOÀNH MÔ",
        "Nghị quyết số 01-NQ/CB, ngày 24 tháng 5 năm 2027",
        "Nghị quyết số 01-NQ/ĐU, ngày 28 tháng 5 năm 2027",
        "là đảng viên chính thức của Đảng Cộng sản Việt Nam kể từ ngày 19 tháng 5 năm 2027",
        "T/M BAN THƯỜNG VỤ",
    ):
        assert expected in content, expected


def test_the_recognised_members_dossier_has_admission_then_recognition_papers_in_order(recognised_case):
    pdf, pages, _key = dossier.render_dossier(recognised_case)
    texts = page_texts(pdf)
    assert len(texts) == pages and is_a4(pdf)
    assert "KẾT NẠP ĐẢNG VIÊN VÀ CÔNG NHẬN ĐẢNG VIÊN CHÍNH THỨC" in texts[0]
    outline = [item.title for item in reader(pdf).outline]
    assert outline[0] == "Bìa và mục lục" and len(outline) == 18
    assert [t.rsplit("(Mẫu ", 1)[1].rstrip(")") for t in outline[-8:]] == ["9-KNĐ", *RECOGNITION]
    contents = " ".join(t for t in texts[1:4] if "MỤC LỤC" in t or "Hồ sơ in ngày" in t)
    assert "24/05/2027" in contents and "03/06/2027" in contents and "Mẫu 16-KNĐ" in contents
    for number, page in enumerate(texts, start=1):
        assert recognised_case.code in page and f"Trang {number}/{pages}" in page
    used = fonts(pdf)
    assert used and all(used.values())


def test_the_documents_page_offers_the_recognition_forms_and_an_outsider_gets_404(
    client, world, people, recognised_case
):
    from django.urls import reverse

    url = reverse("admission:candidates:documents", kwargs={"pk": recognised_case.pk})
    client.force_login(people[0])
    response = client.get(url)
    assert response.status_code == 200
    for code in [*RECOGNITION, "HS"]:
        assert f'data-form="{code}"' in response.text, code
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
