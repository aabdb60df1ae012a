"""A case carried through the whole admission with the real services, for the form and dossier tests.

The case sits in `world.cell` (a cell under a partial committee, under the school's grassroots committee, under the
commune), so its chain has every step: 6-KNĐ (cell) → 7-KNĐ (partial) → 8-KNĐ (grassroots) → 9-KNĐ (commune).
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import translation

from admission.decisions.services.decisions import case_propose, chain_step_complete, next_step
from admission.decisions.services.meetings import cell_meeting_record, committee_meeting_record, vote_record
from admission.dossier import services as svc
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import CandidateState
from admission.sourcing.services.candidates import (
    candidate_list_as_sympathiser,
    candidate_nominate,
    candidate_open_dossier,
)
from admission.sourcing.services.training import certificate_record_external
from tests.factories import MembershipFactory, PersonFactory, UserFactory, give_role

D = datetime.date
TODAY = D(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen(settings, tmp_path):
    """A fixed today, English messages, generated files and scans in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    with (
        translation.override("en"),
        time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False),
    ):
        yield


@pytest.fixture
def people(world):
    """Secretary of world.cell and an officer of the partial committee, with names the forms print."""
    cell_secretary = UserFactory(username="bithu.toan", first_name="Nông Văn", last_name="Đức")
    give_role(cell_secretary, world.cell, RoleKind.CELL_SECRETARY)
    partial_officer = UserFactory(username="dangbophan")
    give_role(partial_officer, world.partial, RoleKind.COMMITTEE_MEMBER)
    for _ in range(3):
        MembershipFactory(cell=world.cell)  # six official members in all
    return cell_secretary, partial_officer


def dossier_case(world, secretary, *, person=None, cv=None):
    """A case of world.cell with its complete dossier (1–5-KNĐ); `cv` overrides fields of its CV (2-KNĐ)."""
    person = person or PersonFactory(
        full_name="Lò Thị Mai",
        date_of_birth=D(2000, 4, 2),
        sex="female",
        hometown="Xã Hoành Mô, tỉnh Quảng Ninh",
        residence="Thôn Nà Sa, xã Hoành Mô",
        workplace="Trường THPT Hoành Mô",
        youth_union_member=True,
    )
    case = candidate_nominate(
        person=person, cell=world.cell, nominated_by="youth_union", nominated_on=D(2025, 9, 1), by=secretary
    )
    case = candidate_list_as_sympathiser(candidate=case, meeting_on=D(2025, 9, 20), by=secretary)
    certificate_record_external(
        candidate=case, number="125/CN", issued_on=D(2025, 12, 1), issuer="Đảng ủy xã Hoành Mô", by=secretary
    )
    case = candidate_open_dossier(candidate=case, by=secretary)
    svc.application_record(candidate=case, written_on=D(2026, 1, 5), received_on=D(2026, 1, 6), by=secretary)
    svc.curriculum_record(
        candidate=case,
        **{
            "declared_on": D(2026, 1, 10),
            "name_in_use": person.full_name,
            "hometown": "Xã Hoành Mô, tỉnh Quảng Ninh",
            "permanent_residence": "Thôn Nà Sa, xã Hoành Mô, tỉnh Quảng Ninh",
            "youth_union_joined_on": D(2015, 3, 26),
            "youth_union_joined_at": "Chi đoàn Trường THCS Hoành Mô",
            "work_history": [
                {"from": "09/2018", "to": "06/2022", "what": "Sinh viên Trường Đại học Sư phạm Thái Nguyên"}
            ],
            "self_assessment": "Chấp hành tốt chủ trương, đường lối của Đảng.",
            "relatives": [
                {"relation": "father", "full_name": "Lò Văn Pấng", "birth_year": 1970, "residence": "Nà Sa"},
                {"relation": "mother", "full_name": "Lường Thị Xuân", "birth_year": 1972},
            ],
            **(cv or {}),
        },
        by=secretary,
    )
    svc.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=secretary)
    for check in case.background_checks.filter(exempt=False):
        svc.background_check_request(check=check, method="letter", request_sent_on=D(2026, 1, 22), by=secretary)
        svc.background_check_reply(check=check, reply_received_on=D(2026, 2, 20), result="clear", by=secretary)
    svc.curriculum_certify(
        candidate=case,
        cell_comment="Chi ủy xác nhận lý lịch khai đúng.",
        cell_commented_on=D(2026, 3, 1),
        committee_certification="Đảng ủy chứng nhận lý lịch.",
        committee_certified_on=D(2026, 3, 5),
        by=secretary,
    )
    svc.mass_org_resolution_record(
        candidate=case,
        kind="youth_union",
        body_name="Ban Chấp hành Đoàn Trường THPT Hoành Mô",
        number="05-NQ/ĐTN",
        adopted_on=D(2026, 3, 8),
        by=secretary,
    )
    introducer = Membership.objects.filter(cell=world.cell).order_by("pk").first()
    svc.introduction_add(
        candidate=case,
        introducer=introducer,
        worked_together_from=D(2024, 1, 1),
        written_on=D(2026, 3, 10),
        by=secretary,
    )
    svc.opinions_record(
        candidate=case,
        compiled_on=D(2026, 3, 15),
        organisations=[{"name": "Công đoàn Trường THPT Hoành Mô", "met_on": "2026-03-12", "participants": 18}],
        residence_cell="Chi bộ thôn Nà Sa",
        residence_opinion="Gương mẫu, chấp hành tốt chính sách.",
        synthesis="Có lập trường tư tưởng vững vàng; cần mạnh dạn hơn trong phát biểu.",
        by=secretary,
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def case_in_dossier(world, people):
    return dossier_case(world, people[0])


@pytest.fixture
def decided_case(world, people, case_in_dossier):
    """Through the cell's vote (5 of 6), the partial committee's appraisal, the school committee's vote (7 of 9)
    and the commune's decision 12-QĐ/ĐU of 20/04/2026."""
    secretary, partial_officer = people
    case = case_in_dossier
    members = list(Membership.objects.filter(cell=world.cell))
    absent = members[-1]
    meeting = cell_meeting_record(
        cell=world.cell,
        held_on=D(2026, 4, 6),
        purpose="admission",
        present={m.pk for m in members if m != absent},
        absence_reasons={absent.pk: "Đi công tác"},
        place="Phòng họp Trường THPT Hoành Mô",
        by=secretary,
    )
    vote = vote_record(meeting=meeting, candidate=case, votes_for=5, votes_against=0, by=secretary)
    case = case_propose(candidate=case, vote=vote, by=secretary)
    chain_step_complete(
        step=next_step(case), by=partial_officer, on=D(2026, 4, 10), note="Hồ sơ đầy đủ, đúng quy trình."
    )
    committee = committee_meeting_record(
        org=world.agency,
        body=VoteBody.GRASSROOTS_COMMITTEE,
        held_on=D(2026, 4, 15),
        purpose="admission",
        members_total=9,
        present=8,
        by=world.agency_officer,
    )
    committee_vote = vote_record(
        meeting=committee, candidate=case, votes_for=7, votes_against=1, by=world.agency_officer
    )
    chain_step_complete(step=next_step(case), by=world.agency_officer, on=D(2026, 4, 15), vote=committee_vote)
    chain_step_complete(step=next_step(case), by=world.approver, on=D(2026, 4, 20), document_number="12-QĐ/ĐU")
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED
    return case


@pytest.fixture
def png_bytes() -> bytes:
    """A real 2×2 PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    raw = b"\x00\x00\xff\x00\xff\x00"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


# ------------------------------------------------------------------------------------------------------------------
# Probation and recognition (10–16-KNĐ), with the probation services
# ------------------------------------------------------------------------------------------------------------------

CEREMONY_ON = D(2026, 5, 19)  # probation ends (the official date) on 19/05/2027


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, 0, tzinfo=datetime.UTC), tick=False)


def probation_of(world, people, case):
    """The decided case's ceremony (19/05/2026) with one helper: a probationary member of world.cell."""
    from admission.decisions.services.decisions import decision_received
    from admission.probation.services import ceremony_hold

    secretary = people[0]
    helper = Membership.objects.filter(cell=world.cell).official_on(CEREMONY_ON).order_by("pk")[1]
    with at(D(2026, 5, 25)):
        decision_received(candidate=case, on=D(2026, 4, 22), by=secretary)
        ceremony = ceremony_hold(
            candidate=case,
            held_on=CEREMONY_ON,
            decision_read_by="Đồng chí Bí thư Đảng ủy xã",
            mentors=[helper],
            place="Hội trường Trường THPT Hoành Mô",
            by=secretary,
        )
    case.refresh_from_db()
    assert case.state == CandidateState.PROBATIONARY
    return ceremony.probation


def recognition_dossier(probation, secretary):
    """Certificate of the new-member course, 10-KNĐ, 11-KNĐ and 12-KNĐ, written in May 2027."""
    from admission.probation import services as prob

    with at(D(2027, 5, 12)):
        prob.course_certificate_record(
            probation=probation,
            number="45/CN",
            issued_on=D(2026, 11, 20),
            issuer="Trung tâm Chính trị huyện Bình Liêu",
            by=secretary,
        )
        prob.self_review_record(
            probation=probation,
            written_on=D(2027, 5, 10),
            strengths="Chấp hành nghiêm chủ trương của Đảng; hoàn thành tốt nhiệm vụ giảng dạy.",
            weaknesses="Đôi khi còn rụt rè trong phát biểu ý kiến.",
            remedies="Mạnh dạn đóng góp ý kiến trong sinh hoạt chi bộ.",
            by=secretary,
        )
        prob.helper_comment_record(
            probation=probation,
            mentor=probation.helpers().first(),
            written_on=D(2027, 5, 11),
            assessment="Đồng chí Mai có lập trường tư tưởng vững vàng, đạo đức tốt, đủ tư cách đảng viên chính thức.",
            recommends_recognition=True,
            by=secretary,
        )
        prob.opinions_record(
            probation=probation,
            compiled_on=D(2027, 5, 12),
            organisations=[{"name": "Công đoàn Trường THPT Hoành Mô", "met_on": "2027-05-08", "participants": 20}],
            residence_cell="Chi bộ thôn Nà Sa",
            residence_opinion="Gương mẫu nơi cư trú, đồng ý đề nghị công nhận.",
            synthesis="Các ý kiến đều tán thành đề nghị công nhận đảng viên chính thức.",
            by=secretary,
        )


@pytest.fixture
def probation_case(world, people, decided_case):
    """A probationary member (ceremony 19/05/2026) with the recognition dossier 10–12-KNĐ written."""
    probation = probation_of(world, people, decided_case)
    recognition_dossier(probation, people[0])
    decided_case.refresh_from_db()
    return decided_case


def recognise(world, people, case):
    """The cell's vote (5 of 6 official members, 24/05/2027), the partial committee's appraisal, the school
    committee's vote (8 of 9) and the commune's decision 35-QĐ/ĐU of 03/06/2027: an official member from 19/05/2027."""
    from admission.probation import services as prob

    secretary, partial_officer = people
    probation = case.probation
    members = list(Membership.objects.filter(cell=world.cell).active_on(D(2027, 5, 24)))
    absent = next(m for m in members if m.pk != probation.membership_id and m.status_on(D(2027, 5, 24)) == "official")
    with at(D(2027, 6, 3)):
        meeting = cell_meeting_record(
            cell=world.cell,
            held_on=D(2027, 5, 24),
            purpose="recognition",
            present={m.pk for m in members if m != absent},
            absence_reasons={absent.pk: "Ốm"},
            place="Phòng họp Trường THPT Hoành Mô",
            by=secretary,
        )
        prob.recognition_vote_record(probation=probation, meeting=meeting, votes_for=5, votes_against=0, by=secretary)
        prob.recognition_step_complete(
            step=prob.next_step(probation), by=partial_officer, on=D(2027, 5, 26), note="Hồ sơ đầy đủ, đúng quy trình."
        )
        recognition_above_the_partial_committee(world, case, members_total=9, votes_for=8)
    case.refresh_from_db()
    assert case.state == CandidateState.OFFICIAL
    return case


def recognition_above_the_partial_committee(world, case, *, members_total, votes_for):
    """The school committee's vote on 28/05/2027 (everyone present, one against) and the commune's decision
    35-QĐ/ĐU of 03/06/2027: the end of a recognition chain whose partial committee has appraised."""
    from admission.probation import services as prob

    probation = case.probation
    committee = committee_meeting_record(
        org=world.agency,
        body=VoteBody.GRASSROOTS_COMMITTEE,
        held_on=D(2027, 5, 28),
        purpose="recognition",
        members_total=members_total,
        present=members_total,
        by=world.agency_officer,
    )
    vote = vote_record(meeting=committee, candidate=case, votes_for=votes_for, votes_against=1, by=world.agency_officer)
    prob.recognition_step_complete(
        step=prob.next_step(probation), by=world.agency_officer, on=D(2027, 5, 28), vote=vote
    )
    prob.recognition_step_complete(
        step=prob.next_step(probation), by=world.approver, on=D(2027, 6, 3), document_number="35-QĐ/ĐU"
    )


@pytest.fixture
def recognised_case(world, people, probation_case):
    """The member recognised as official; the test runs on 10/06/2027."""
    case = recognise(world, people, probation_case)
    with at(D(2027, 6, 10)):
        yield case


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Request a document; the (immediate) task backend runs any job queued when the request commits."""

    from admission.documents import services

    def request(case, code, by):
        with django_capture_on_commit_callbacks(execute=True):
            document = services.document_request(candidate=case, form_code=code, by=by)
        document.refresh_from_db()
        return document

    return request
