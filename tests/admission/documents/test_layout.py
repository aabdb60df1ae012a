"""Forms an organisation board accepts: the signature block never stands alone on a page, every field the case
knows is printed (an unknown one gets a writing line, never an empty gap before a comma), and 6-KNĐ names the
members its denominator leaves out. Checked through the text of each PDF page, on cases built to stress the layout:
long names, long org names, many relatives, many absentees, long free texts; and over a sweep of top margins that
moves every page break through the last paragraphs."""

from __future__ import annotations

import datetime

import pytest

from admission.decisions.services.decisions import case_propose, chain_step_complete, next_step
from admission.decisions.services.meetings import cell_meeting_record, committee_meeting_record, vote_record
from admission.documents import render
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import ExemptionKind, MemberExemption, Membership
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import CandidateState
from tests.admission.documents.conftest import (
    at,
    dossier_case,
    probation_of,
    recognition_above_the_partial_committee,
    recognition_dossier,
)
from tests.admission.documents.helpers import lone_signature_pages, page_texts, text
from tests.factories import MembershipFactory, PersonFactory

D = datetime.date

LONG_NAME = "Công Tằng Tôn Nữ Thị Phương Thảo"
LONG_REASON = "Đi công tác dài ngày tại Trung tâm Giáo dục thường xuyên tỉnh theo Quyết định của Sở Giáo dục"


def _stretch_names(world):
    """The longest names real orgs carry (a school's subject group, a semi-boarding ethnic school)."""
    PartyOrg.objects.filter(pk=world.cell.pk).update(
        name="Chi bộ Tổ Ngữ văn - Lịch sử - Địa lý - Giáo dục kinh tế và pháp luật"
    )
    PartyOrg.objects.filter(pk=world.partial.pk).update(name="Đảng bộ bộ phận Khối giáo viên Khoa học xã hội")
    PartyOrg.objects.filter(pk=world.agency.pk).update(
        name="Đảng bộ Trường Phổ thông Dân tộc Bán trú Tiểu học và Trung học cơ sở Hoành Mô"
    )
    for org in (world.cell, world.partial, world.agency):
        org.refresh_from_db()


@pytest.fixture
def stressed(world, people):
    """The stress case through its decision (see stress_case)."""
    secretary, partial_officer = people
    _stretch_names(world)
    members = [MembershipFactory(cell=world.cell) for _ in range(26)]
    for member in members[:2]:
        MemberExemption.objects.create(
            membership=member,
            kind=ExemptionKind.TEMPORARY_TRANSFER,
            starts_on=D(2025, 9, 1),
            reason="Học tập trung tại Học viện Chính trị khu vực I",
        )
    for member in members[2:4]:
        MemberExemption.objects.create(
            membership=member, kind=ExemptionKind.EXEMPTED, starts_on=D(2024, 1, 1), reason="Tuổi cao, sức yếu"
        )
    person = PersonFactory(full_name=LONG_NAME, date_of_birth=D(2000, 4, 2), sex="female", youth_union_member=True)
    case = dossier_case(world, secretary, person=person, cv=STRESS_CV)
    everyone = list(Membership.objects.filter(cell=world.cell).active_on(D(2026, 4, 6)))
    absent = [m for m in everyone if m.pk not in {x.pk for x in members[:4]}][:6]
    away = absent + members[:4]
    meeting = cell_meeting_record(
        cell=world.cell,
        held_on=D(2026, 4, 6),
        purpose="admission",
        present={m.pk for m in everyone if m not in away},
        absence_reasons={m.pk: f"{LONG_REASON} số {i + 1}" for i, m in enumerate(absent)},
        place="Phòng họp Hội đồng sư phạm, nhà hiệu bộ Trường Phổ thông Dân tộc Bán trú Hoành Mô",
        by=secretary,
    )
    voters = meeting.attendance.filter(present=True, official=True).count()
    vote = vote_record(meeting=meeting, candidate=case, votes_for=voters - 1, votes_against=1, by=secretary)
    case = case_propose(candidate=case, vote=vote, by=secretary)
    chain_step_complete(step=next_step(case), by=partial_officer, on=D(2026, 4, 10), note="Hồ sơ đầy đủ. " * 40)
    committee = committee_meeting_record(
        org=world.agency,
        body=VoteBody.GRASSROOTS_COMMITTEE,
        held_on=D(2026, 4, 15),
        purpose="admission",
        members_total=15,
        present=13,
        by=world.agency_officer,
    )
    committee_vote = vote_record(
        meeting=committee, candidate=case, votes_for=12, votes_against=1, by=world.agency_officer
    )
    chain_step_complete(step=next_step(case), by=world.agency_officer, on=D(2026, 4, 15), vote=committee_vote)
    chain_step_complete(step=next_step(case), by=world.approver, on=D(2026, 4, 20), document_number="12-QĐ/ĐU")
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED
    return case


STRESS_CV = {
    "place_of_birth": "Bệnh viện Đa khoa khu vực Tiên Yên, tỉnh Quảng Ninh",
    "hometown": "Thôn Khe Và, xã Hoành Mô, tỉnh Quảng Ninh",
    "work_history": [
        {"from": f"09/{2006 + 3 * i}", "to": f"06/{2009 + 3 * i}", "what": "Học sinh, sinh viên, giáo viên " * 3}
        for i in range(6)
    ],
    "self_assessment": "Chấp hành tốt chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước. " * 6,
    "relatives": [
        {
            "relation": "sibling",
            "full_name": f"Công Tằng Tôn Nữ Thị Chị Em Thứ {i + 1}",
            "birth_year": 1980 + i,
            "hometown": "Thôn Khe Và, xã Hoành Mô, tỉnh Quảng Ninh",
            "residence": "Phường Hồng Gai, tỉnh Quảng Ninh",
            "occupation": "Công nhân Công ty Than Hà Tu",
            "political_history": "Chấp hành tốt chủ trương, chính sách; không vi phạm pháp luật",
        }
        for i in range(14)
    ],
}


def recognise_all_present(world, people, case):
    """The recognition chain of the stress case: the cell (everyone not away votes in favour), the partial
    committee, the school committee and the commune's decision."""
    from admission.probation import services as prob

    secretary, partial_officer = people
    probation = case.probation
    day = D(2027, 5, 24)
    members = list(Membership.objects.filter(cell=world.cell).active_on(day))
    away = {e.membership_id for e in MemberExemption.objects.filter(membership__cell=world.cell) if e.covers(day)}
    with at(D(2027, 6, 3)):
        meeting = cell_meeting_record(
            cell=world.cell,
            held_on=day,
            purpose="recognition",
            present={m.pk for m in members if m.pk not in away},
            absence_reasons={},
            by=secretary,
        )
        voters = meeting.attendance.filter(present=True, official=True).count()
        prob.recognition_vote_record(
            probation=probation, meeting=meeting, votes_for=voters, votes_against=0, by=secretary
        )
        prob.recognition_step_complete(step=prob.next_step(probation), by=partial_officer, on=D(2027, 5, 26))
        recognition_above_the_partial_committee(world, case, members_total=15, votes_for=14)
    case.refresh_from_db()
    assert case.state == CandidateState.OFFICIAL
    return case


def forms_of(case):
    return [p.spec.code for p in render.applicable_forms(case)]


def test_no_form_of_the_stress_case_leaves_its_signature_alone_on_a_page(stressed):
    codes = forms_of(stressed)
    assert codes == ["CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ", "6-KNĐ", "7-KNĐ", "8-KNĐ", "9-KNĐ"]
    for code in codes:
        pdf = render.render_form(stressed, code).pdf
        assert lone_signature_pages(pdf) == [], (code, page_texts(pdf))


def test_the_recognition_forms_of_the_stress_case_keep_their_signatures_with_their_text(world, people, stressed):
    probation = probation_of(world, people, stressed)
    recognition_dossier(probation, people[0])
    stressed.refresh_from_db()
    case = recognise_all_present(world, people, stressed)
    for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "14-KNĐ", "15-KNĐ", "16-KNĐ"):
        pdf = render.render_form(case, code, check_state=False).pdf
        assert lone_signature_pages(pdf) == [], (code, page_texts(pdf))


def test_the_complete_dossier_of_the_stress_case_has_no_lone_signature_either(stressed):
    from admission.documents import dossier

    pdf, pages, _key = dossier.render_dossier(stressed)
    assert pages > 12
    assert lone_signature_pages(pdf) == [], page_texts(pdf)


def test_wherever_the_page_breaks_fall_the_signature_goes_with_the_last_paragraph(stressed, settings):
    """A larger top margin pushes every line down: over the sweep, each form's last paragraphs meet the bottom of a
    page at least once."""
    for top in (34, 48, 62, 76, 90):
        settings.DOCUMENTS_PAGE_MARGINS = f"{top}mm 15mm 20mm 30mm"
        for code in ("1-KNĐ", "5-KNĐ", "6-KNĐ", "7-KNĐ", "8-KNĐ", "9-KNĐ"):
            pdf = render.render_form(stressed, code).pdf
            assert lone_signature_pages(pdf) == [], (top, code, page_texts(pdf))


def test_the_check_finds_a_signature_standing_alone(decided_case):
    """The check itself: the same resolution with a page break forced before its closing has a lone last page."""
    prepared = render.prepare_form(decided_case, "6-KNĐ")
    html = render.form_html(decided_case, prepared, allocate_number=False)
    broken = html.replace('<table class="sign">', '<table class="sign" style="break-before: page">')
    assert lone_signature_pages(render.html_to_pdf(html)) == []
    pdf = render.html_to_pdf(broken)
    assert lone_signature_pages(pdf) == [len(page_texts(pdf))]


def test_every_field_the_case_knows_is_printed_and_an_unknown_one_gets_a_line(stressed):
    application = text(render.render_form(stressed, "1-KNĐ").pdf)
    assert "Nơi sinh: Bệnh viện Đa khoa khu vực Tiên Yên, tỉnh Quảng Ninh" in application
    assert "Quê quán: Thôn Khe Và, xã Hoành Mô, tỉnh Quảng Ninh" in application
    for code in ("6-KNĐ", "8-KNĐ", "9-KNĐ"):
        content = text(render.render_form(stressed, code).pdf)
        assert "quê quán Thôn Khe Và, xã Hoành Mô, tỉnh Quảng Ninh," in content, code
        assert "quê quán ," not in content and " , " not in content, code
    cv = text(render.render_form(stressed, "2-KNĐ").pdf)
    assert "06. Nơi sinh: Bệnh viện Đa khoa khu vực Tiên Yên" in cv


def test_a_field_nobody_recorded_prints_a_writing_line_not_a_gap(world, people):
    case = dossier_case(world, people[0], cv={"hometown": "Xã Hoành Mô, tỉnh Quảng Ninh"})
    case.person.hometown = ""
    case.person.save()
    html = render.form_html(case, render.prepare_form(case, "1-KNĐ"), allocate_number=False)
    assert 'Nơi sinh: <span class="fill long"></span>' in html  # no place of birth in the CV
    assert "Quê quán: Xã Hoành Mô, tỉnh Quảng Ninh" in html  # the CV's hometown stands in for the person's


def test_the_cell_resolution_names_the_members_its_denominator_leaves_out_and_why(stressed):
    content = text(render.render_form(stressed, "6-KNĐ").pdf)
    vote = render.prepare_form(stressed, "6-KNĐ").data["vote"]
    assert vote["official"] - vote["denominator"] == vote["not_counted"] == 4
    assert f"Số đảng viên chính thức tính tỷ lệ biểu quyết: {vote['denominator']} đồng chí; không tính 4 đồng chí" in (
        content
    )
    for entry in vote["left_out"]:
        assert entry["name"] in content
    assert sorted(entry["reason"] for entry in vote["left_out"]) == sorted(
        ["được miễn công tác và sinh hoạt đảng, không dự họp (Tuổi cao, sức yếu)"] * 2
        + ["đang sinh hoạt đảng tạm thời ở đảng bộ, chi bộ khác (Học tập trung tại Học viện Chính trị khu vực I)"] * 2
    )
    assert f"so với tổng số đảng viên chính thức của chi bộ ({vote['denominator']} đồng chí)" in content


def test_a_cell_that_counts_everyone_says_nothing_about_left_out_members(decided_case):
    content = text(render.render_form(decided_case, "6-KNĐ").pdf)
    assert "không tính" not in content
