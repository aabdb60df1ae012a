"""The admission dossier: its records and their order (application, CV, page-join stamp, verification, comment and
certification), introducers judged on the meeting date, the mass-organisation resolution, the compiled opinions, the
scans, and the checklist with each document's validity pinned at its boundary."""

from __future__ import annotations

import datetime
import struct
import unicodedata
import zlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from admission.dossier import services as svc
from admission.dossier.checklist import check_introducer, dossier_checklist, dossier_complete, introducers_needed
from admission.dossier.models import Application, BackgroundCheck, Curriculum, Introduction
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCertificate
from admission.sourcing.services.candidates import candidate_nominate
from tests.factories import MembershipFactory, PersonFactory

D = datetime.date
TODAY = D(2026, 6, 15)
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today(settings, tmp_path):
    """A fixed today, English messages (match= reads the msgids), and scans written to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    with (
        translation.override("en"),
        time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False),
    ):
        yield


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png(name="scan.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_pdf():
    return SimpleUploadedFile("don.pdf", b"This is only text pretending to be a PDF.", content_type="application/pdf")


def make_case(world, person=None, certificate_on=None):
    """A case at the dossier step, rule set 294-QĐ/TW, with a course certificate (of 10/10/2025 by default)."""
    certificate_on = certificate_on or D(2025, 10, 10)
    person = person or PersonFactory(full_name="Lò Thị Mai", date_of_birth=D(2000, 4, 2))
    case = candidate_nominate(
        person=person, cell=world.village_cell, nominated_by="cell", nominated_on=D(2025, 9, 1), by=world.secretary
    )
    AwarenessCertificate.objects.create(person=person, number="12/CN", issued_on=certificate_on, issuer="TTCT")
    Candidate.objects.filter(pk=case.pk).update(state=CandidateState.DOSSIER)
    case.refresh_from_db()
    return case


@pytest.fixture
def case(world):
    return make_case(world)


RELATIVES = [
    {"relation": "father", "full_name": "Lò Văn Pấng", "birth_year": 1970, "residence": "Nà Sa"},
    {"relation": "mother", "full_name": "Lường Thị Xuân", "birth_year": 1972},
    {"relation": "sibling", "full_name": "Lò Văn Tùng", "birth_year": 2003},
    {"relation": "spouse", "full_name": "Hà Văn Sơn", "birth_year": 1998},
    {"relation": "child", "full_name": "Hà Minh Anh", "birth_year": 2022},
]


def record_application(case, by, **kw):
    return svc.application_record(
        candidate=case,
        written_on=kw.pop("written_on", D(2026, 1, 5)),
        received_on=kw.pop("received_on", D(2026, 1, 6)),
        by=by,
        **kw,
    )


def record_cv(case, by, relatives=RELATIVES, **kw):
    return svc.curriculum_record(
        candidate=case,
        declared_on=kw.pop("declared_on", D(2026, 1, 10)),
        name_in_use="Lò Thị Mai",
        hometown="Hoành Mô, Quảng Ninh",
        permanent_residence="Thôn Nà Sa, xã Hoành Mô",
        work_history=[{"from": "09/2018", "to": "06/2022", "what": "Sinh viên"}],
        relatives=relatives,
        by=by,
        **kw,
    )


def checks_by_name(case):
    return {c.subject_name: c for c in case.background_checks.all()}


def verify_all(case, by, replied_on=None):
    replied_on = replied_on or D(2026, 2, 20)
    for check in case.background_checks.filter(exempt=False):
        svc.background_check_request(check=check, method="letter", request_sent_on=D(2026, 1, 22), by=by)
        svc.background_check_reply(check=check, reply_received_on=replied_on, result="clear", by=by)


def certify(case, by, commented_on=None):
    return svc.curriculum_certify(
        candidate=case,
        cell_comment="Chi ủy xác nhận lý lịch khai đúng.",
        cell_commented_on=commented_on or D(2026, 3, 1),
        committee_certification="Đảng ủy chứng nhận.",
        committee_certified_on=D(2026, 3, 5),
        by=by,
    )


LONG_AGO = D(2016, 3, 10)


def official(world, official_on=LONG_AGO, **kw):
    return MembershipFactory(cell=world.village_cell, official_on=official_on, **kw)


def introduce(case, by, member, written_on=None, worked_from=None, **kw):
    return svc.introduction_add(
        candidate=case,
        introducer=member,
        worked_together_from=worked_from or D(2024, 1, 1),
        written_on=written_on or D(2026, 3, 10),
        by=by,
        **kw,
    )


def opinions(case, by, compiled_on=None, **kw):
    return svc.opinions_record(
        candidate=case,
        compiled_on=compiled_on or D(2026, 3, 15),
        organisations=[{"name": "Chi đoàn thôn Nà Sa", "met_on": "2026-03-12", "participants": 18}],
        residence_cell="Chi bộ thôn Nà Sa",
        residence_opinion="Gương mẫu, chấp hành tốt chính sách.",
        by=by,
        **kw,
    )


def full_dossier(case, world):
    by = world.secretary
    record_application(case, by)
    record_cv(case, by)
    svc.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=by)
    verify_all(case, by)
    certify(case, by)
    introduce(case, by, official(world))
    introduce(case, by, official(world))
    opinions(case, by)


def items(case, on):
    return {item.code: item for item in dossier_checklist(case, on)}


# The checklist


def test_a_new_dossier_shows_the_valid_certificate_and_everything_else_missing(case):
    checklist = dossier_checklist(case, TODAY)
    assert [i.code for i in checklist] == [
        "certificate",
        "application",
        "curriculum",
        "verification",
        "introductions",
        "opinions",
    ]
    assert [i.status for i in checklist] == ["done", "missing", "missing", "missing", "missing", "missing"]
    certificate = checklist[0]
    assert (certificate.form, certificate.date, certificate.valid_until, certificate.expires_on) == (
        "CN-NTVĐ",
        D(2025, 10, 10),
        D(2030, 10, 9),
        D(2030, 10, 10),
    )
    assert not dossier_complete(case, TODAY)


def test_the_certificate_is_valid_the_day_before_sixty_months_and_expired_on_the_day(world):
    case = make_case(world, certificate_on=D(2021, 7, 1))
    assert items(case, D(2026, 6, 30))["certificate"].status == "done"
    expired = items(case, D(2026, 7, 1))["certificate"]
    assert expired.status == "expired"
    assert "01/07/2026" in expired.reason and "attend the course again" in expired.reason


def test_a_complete_dossier_is_complete_until_its_first_document_expires(case, world):
    full_dossier(case, world)
    checklist = items(case, TODAY)
    assert {code: i.status for code, i in checklist.items()} == dict.fromkeys(checklist, "done")
    assert dossier_complete(case, TODAY)
    # The CV was certified on 05/03/2026: valid 12 months, so until 04/03/2027 inclusive.
    assert (checklist["curriculum"].valid_until, checklist["curriculum"].expires_on) == (D(2027, 3, 4), D(2027, 3, 5))
    assert dossier_complete(case, D(2027, 3, 4))
    on_the_day = items(case, D(2027, 3, 5))
    assert (on_the_day["curriculum"].status, on_the_day["verification"].status) == ("expired", "expired")
    assert not dossier_complete(case, D(2027, 3, 5))


def test_introductions_and_opinions_expire_twelve_months_after_their_date(case, world):
    full_dossier(case, world)
    assert items(case, D(2027, 3, 9))["introductions"].status == "done"
    assert items(case, D(2027, 3, 9))["introductions"].valid_until == D(2027, 3, 9)
    expired = items(case, D(2027, 3, 10))["introductions"]
    assert expired.status == "expired" and "10/03/2027" in expired.reason
    assert items(case, D(2027, 3, 14))["opinions"].status == "done"
    assert items(case, D(2027, 3, 15))["opinions"].status == "expired"


def test_a_record_dated_after_the_checklist_date_does_not_exist_yet(case, world):
    full_dossier(case, world)
    before = items(case, D(2026, 1, 5))
    assert before["application"].status == "missing"  # received on 06/01/2026
    assert before["curriculum"].status == "missing"
    assert items(case, D(2026, 1, 15))["curriculum"].status == "in_progress"
    assert items(case, D(2026, 3, 9))["introductions"].status == "missing"
    assert items(case, D(2026, 3, 14))["opinions"].status == "missing"


def test_the_application_has_no_validity_period_in_the_seeded_rule_set(case, world):
    record_application(case, world.secretary)
    application = items(case, TODAY)["application"]
    assert (application.status, application.date, application.valid_until) == ("done", D(2026, 1, 5), None)


# 1-KNĐ and scans


def test_the_application_is_recorded_with_a_real_png_scan(case, world):
    application = record_application(case, world.secretary, scan=png("don.png"))
    assert application.scan.name.startswith(f"dossier/{case.pk}/application/don")
    assert application.recorded_by == world.secretary


def test_a_real_pdf_scan_is_accepted(case, world):
    assert record_application(case, world.secretary, scan=pdf()).scan.read().startswith(b"%PDF-")


def test_a_fake_pdf_that_is_really_text_is_refused_and_nothing_is_recorded(case, world):
    with pytest.raises(ValidationError, match="Only PDF, JPEG or PNG scans are accepted"):
        record_application(case, world.secretary, scan=fake_pdf())
    assert not Application.objects.exists()


def test_a_scan_over_the_size_limit_is_refused(case, world, settings):
    settings.SCAN_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="too large"):
        record_application(case, world.secretary, scan=pdf())


def test_the_application_cannot_be_received_before_it_was_written_nor_in_the_future(case, world):
    with pytest.raises(ValidationError, match="received before it was written"):
        record_application(case, world.secretary, written_on=D(2026, 1, 6), received_on=D(2026, 1, 5))
    with pytest.raises(ValidationError, match="cannot be in the future"):
        record_application(case, world.secretary, received_on=D(2026, 6, 16))


def test_recording_the_application_again_corrects_it_and_keeps_the_history(case, world):
    record_application(case, world.secretary)
    record_application(case, world.secretary, written_on=D(2026, 1, 4))
    application = Application.objects.get()
    assert application.written_on == D(2026, 1, 4)
    assert application.history.count() == 2


# 2-KNĐ and the verification


def test_the_cv_needs_the_application_first_and_cannot_be_dated_before_it(case, world):
    with pytest.raises(ValidationError, match="Record the application"):
        record_cv(case, world.secretary)
    record_application(case, world.secretary)
    with pytest.raises(ValidationError, match="cannot be dated before the application"):
        record_cv(case, world.secretary, declared_on=D(2026, 1, 4))


def test_the_cv_is_stored_in_nfc_with_its_relatives_in_order(case, world):
    record_application(case, world.secretary)
    decomposed = unicodedata.normalize("NFD", "Lò Văn Pấng")
    cv = record_cv(case, world.secretary, relatives=[{**RELATIVES[0], "full_name": decomposed}, RELATIVES[1]])
    father = cv.relatives.first()
    assert father.full_name == "Lò Văn Pấng" and unicodedata.is_normalized("NFC", father.full_name)
    assert [r.relation for r in cv.relatives.all()] == ["father", "mother"]
    assert cv.work_history == [{"from": "09/2018", "to": "06/2022", "what": "Sinh viên"}]
    assert items(case, TODAY)["curriculum"].status == "in_progress"
    assert "stamp across its page joins" in items(case, TODAY)["curriculum"].reason


def test_a_cv_declares_one_father_only(case, world):
    record_application(case, world.secretary)
    with pytest.raises(ValidationError, match="only one father"):
        record_cv(case, world.secretary, relatives=[RELATIVES[0], RELATIVES[0]])


def test_the_cv_cannot_be_changed_once_stamped_across_its_page_joins(case, world):
    record_application(case, world.secretary)
    record_cv(case, world.secretary)
    svc.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=world.secretary)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        record_cv(case, world.secretary)
    with pytest.raises(ValidationError, match="already stamped"):
        svc.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 21), by=world.secretary)


def test_the_stamp_cannot_precede_the_cv(case, world):
    record_application(case, world.secretary)
    record_cv(case, world.secretary)
    with pytest.raises(ValidationError, match="before it was declared"):
        svc.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 9), by=world.secretary)


def test_stamping_prepares_checks_for_the_applicant_and_the_relatives_to_verify_not_siblings_or_minor_children(
    case, world
):
    record_application(case, world.secretary)
    record_cv(case, world.secretary)
    svc.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=world.secretary)
    assert list(checks_by_name(case)) == ["Lò Thị Mai", "Lò Văn Pấng", "Lường Thị Xuân", "Hà Văn Sơn"]
    # Preparing again changes nothing.
    assert len(svc.background_checks_prepare(candidate=case, by=world.secretary)) == 4


def test_an_adult_child_and_the_parents_in_law_are_verified(case, world):
    record_application(case, world.secretary)
    family = [
        {"relation": "child", "full_name": "Hà Văn Lớn", "birth_year": 2007},
        {"relation": "father_in_law", "full_name": "Hà Văn Bố", "birth_year": 1960},
        {"relation": "mother_in_law", "full_name": "Vi Thị Mẹ", "birth_year": 1962},
        {"relation": "guardian", "full_name": "Lò Thị Nuôi", "birth_year": 1950},
    ]
    record_cv(case, world.secretary, relatives=family)
    svc.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=world.secretary)
    assert set(checks_by_name(case)) == {"Lò Thị Mai", "Hà Văn Lớn", "Hà Văn Bố", "Vi Thị Mẹ", "Lò Thị Nuôi"}


def test_a_party_member_relative_declared_fully_is_exempt_but_not_one_declared_partly(case, world):
    record_application(case, world.secretary)
    family = [
        {**RELATIVES[0], "is_party_member": True, "fully_declared": True},
        {**RELATIVES[1], "is_party_member": True, "fully_declared": False},
    ]
    record_cv(case, world.secretary, relatives=family)
    svc.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=world.secretary)
    checks = checks_by_name(case)
    assert (checks["Lò Văn Pấng"].exempt, checks["Lường Thị Xuân"].exempt) == (True, False)
    assert checks["Lò Văn Pấng"].is_done
    with pytest.raises(ValidationError, match="exempt from verification"):
        svc.background_check_request(
            check=checks["Lò Văn Pấng"], method="letter", request_sent_on=D(2026, 1, 22), by=world.secretary
        )


@pytest.fixture
def sealed(case, world):
    record_application(case, world.secretary)
    record_cv(case, world.secretary)
    svc.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=world.secretary)
    return case


def test_a_verification_request_cannot_go_out_before_the_stamp(sealed, world):
    check = checks_by_name(sealed)["Lò Văn Pấng"]
    with pytest.raises(ValidationError, match="after the CV is stamped"):
        svc.background_check_request(check=check, method="letter", request_sent_on=D(2026, 1, 19), by=world.secretary)
    svc.background_check_request(
        check=check, method="in_person", request_sent_on=D(2026, 1, 20), addressed_to="Đảng ủy xã", by=world.secretary
    )
    check.refresh_from_db()
    assert (check.method, check.request_sent_on, check.addressed_to) == ("in_person", D(2026, 1, 20), "Đảng ủy xã")


def test_a_reply_needs_its_request_and_cannot_arrive_before_it(sealed, world):
    check = checks_by_name(sealed)["Lò Văn Pấng"]
    with pytest.raises(ValidationError, match="Record the request"):
        svc.background_check_reply(check=check, reply_received_on=D(2026, 2, 1), result="clear", by=world.secretary)
    svc.background_check_request(check=check, method="letter", request_sent_on=D(2026, 1, 22), by=world.secretary)
    with pytest.raises(ValidationError, match="before the request was sent"):
        svc.background_check_reply(check=check, reply_received_on=D(2026, 1, 21), result="clear", by=world.secretary)


def test_concerns_need_a_note_and_the_reply_keeps_its_scan(sealed, world):
    check = checks_by_name(sealed)["Lò Văn Pấng"]
    svc.background_check_request(check=check, method="letter", request_sent_on=D(2026, 1, 22), by=world.secretary)
    with pytest.raises(ValidationError, match="what the concerns are"):
        svc.background_check_reply(check=check, reply_received_on=D(2026, 2, 1), result="concerns", by=world.secretary)
    reply = svc.background_check_reply(
        check=check,
        reply_received_on=D(2026, 2, 1),
        result="concerns",
        note="Có người thân ở nước ngoài",
        scan=pdf("tra-loi.pdf"),
        by=world.secretary,
    )
    assert reply.scan.name.startswith(f"dossier/{sealed.pk}/backgroundcheck/tra-loi")


def test_the_verification_item_counts_the_replies_and_names_whom_it_waits_for(sealed, world):
    item = items(sealed, TODAY)["verification"]
    assert item.status == "in_progress" and "0 of 4 verified" in item.reason and "Request not sent yet" in item.reason
    verify_all(sealed, world.secretary)
    item = items(sealed, TODAY)["verification"]
    assert (item.status, item.date, item.valid_until) == ("done", D(2026, 2, 20), None)
    assert "waiting for the verification" not in items(sealed, TODAY)["curriculum"].reason
    assert "cell committee writes its comment" in items(sealed, TODAY)["curriculum"].reason


def test_the_cell_comment_is_refused_while_a_verification_reply_is_missing(sealed, world):
    with pytest.raises(ValidationError, match=r"only after every verification reply is back \(waiting for: Lò Thị Mai"):
        certify(sealed, world.secretary)
    assert not Curriculum.objects.get().cell_comment


def test_the_comment_and_certification_come_after_the_last_reply_and_in_that_order(sealed, world):
    verify_all(sealed, world.secretary)
    with pytest.raises(ValidationError, match=r"after the last verification reply \(20/02/2026\)"):
        certify(sealed, world.secretary, commented_on=D(2026, 2, 19))
    with pytest.raises(ValidationError, match="comments on the CV before the grassroots committee certifies"):
        svc.curriculum_certify(
            candidate=sealed,
            committee_certification="Chứng nhận",
            committee_certified_on=D(2026, 3, 5),
            by=world.secretary,
        )
    svc.curriculum_certify(
        candidate=sealed, cell_comment="Nhận xét", cell_commented_on=D(2026, 3, 1), by=world.secretary
    )
    assert "grassroots committee certifies" in items(sealed, TODAY)["curriculum"].reason
    with pytest.raises(ValidationError, match="before the cell's comment"):
        svc.curriculum_certify(
            candidate=sealed, committee_certification="CN", committee_certified_on=D(2026, 2, 28), by=world.secretary
        )
    svc.curriculum_certify(
        candidate=sealed, committee_certification="CN", committee_certified_on=D(2026, 3, 5), by=world.secretary
    )
    assert items(sealed, TODAY)["curriculum"].status == "done"
    with pytest.raises(ValidationError, match="can no longer be changed"):
        check = sealed.background_checks.first()
        svc.background_check_reply(check=check, reply_received_on=D(2026, 3, 6), result="clear", by=world.secretary)


def test_a_comment_without_its_date_is_refused(sealed, world):
    verify_all(sealed, world.secretary)
    with pytest.raises(ValidationError, match="with its date"):
        svc.curriculum_certify(candidate=sealed, cell_comment="Nhận xét", by=world.secretary)


# Introducers (Charter Art. 4.2)


def test_an_introducer_who_worked_together_exactly_twelve_months_passes_and_one_day_less_fails(case, world):
    member = official(world)

    def cowork(meeting_on, to=None):
        verdicts = check_introducer(
            introducer=member,
            worked_together_from=D(2025, 3, 2),
            worked_together_to=to,
            rule_set=case.rule_set,
            meeting_on=meeting_on,
        )
        return {v.code: v.passed for v in verdicts}["introducer_cowork"]

    assert cowork(D(2026, 3, 2)) is True
    assert cowork(D(2026, 3, 1)) is False
    # A period that ended counts its last day: 02/03/2025 to 01/03/2026 is exactly twelve months.
    assert cowork(D(2026, 6, 1), to=D(2026, 3, 1)) is True
    assert cowork(D(2026, 6, 1), to=D(2026, 2, 28)) is False


def test_an_introducer_must_be_official_on_the_meeting_date_with_no_minimum_seniority(case, world):
    member = official(world, official_on=D(2026, 3, 1))

    def is_official(meeting_on):
        verdicts = check_introducer(
            introducer=member,
            worked_together_from=D(2024, 1, 1),
            worked_together_to=None,
            rule_set=case.rule_set,
            meeting_on=meeting_on,
        )
        return {v.code: v for v in verdicts}["introducer_official"]

    assert is_official(D(2026, 3, 1)).passed  # official for a day, two years together: qualifies
    failed = is_official(D(2026, 2, 28))
    assert not failed.passed and "is not an official member on 28/02/2026" in failed.reason


def test_a_probationary_member_cannot_write_an_introduction(case, world):
    member = official(world, official_on=None)
    with pytest.raises(ValidationError, match="is not an official member"):
        introduce(case, world.secretary, member)


def test_a_period_together_that_ended_short_is_refused_at_once(case, world):
    with pytest.raises(ValidationError, match="only from 01/01/2025 to 30/06/2025; 12 months are needed"):
        introduce(case, world.secretary, official(world), worked_from=D(2025, 1, 1), worked_together_to=D(2025, 6, 30))


def test_a_period_still_running_is_judged_on_the_meeting_date(case, world):
    introduce(case, world.secretary, official(world), written_on=D(2026, 3, 10), worked_from=D(2025, 6, 1))
    introduce(case, world.secretary, official(world))
    assert items(case, D(2026, 5, 31))["introductions"].status == "in_progress"
    assert "reached only on 01/06/2026" in items(case, D(2026, 5, 31))["introductions"].reason
    assert items(case, D(2026, 6, 1))["introductions"].status == "done"


def test_an_introducer_who_left_the_cell_no_longer_counts(case, world):
    member = official(world)
    introduce(case, world.secretary, member)
    introduce(case, world.secretary, official(world))
    member.left_cell_on = D(2026, 5, 1)
    member.save()
    item = items(case, D(2026, 5, 1))
    assert item["introductions"].status == "in_progress" and "replace the introducer" in item["introductions"].reason
    assert items(case, D(2026, 4, 30))["introductions"].status == "done"


def test_two_introducers_are_needed_and_a_third_is_refused(case, world):
    assert introducers_needed(case, TODAY) == 2
    introduce(case, world.secretary, official(world))
    assert items(case, TODAY)["introductions"].status == "in_progress"
    introduce(case, world.secretary, official(world))
    assert items(case, TODAY)["introductions"].status == "done"
    with pytest.raises(ValidationError, match="already has the 2 introduction"):
        introduce(case, world.secretary, official(world))


def test_the_same_member_introduces_once_and_the_applicant_never(case, world):
    member = official(world)
    introduce(case, world.secretary, member)
    with pytest.raises(ValidationError, match="already introduces"):
        introduce(case, world.secretary, member)
    own = MembershipFactory(cell=world.other_cell, person=case.person)
    with pytest.raises(ValidationError, match="cannot introduce themself"):
        introduce(case, world.secretary, own)


def test_a_youth_union_resolution_replaces_one_introducer(world):
    case = make_case(world, person=PersonFactory(full_name="Đinh Văn Trẻ", youth_union_member=True))
    item = items(case, TODAY)["mass_org_resolution"]
    assert item.status == "missing" and "Youth Union" in item.reason
    svc.mass_org_resolution_record(
        candidate=case,
        kind="youth_union",
        body_name="BCH Đoàn xã Hoành Mô",
        number="05-NQ/ĐTN",
        adopted_on=D(2026, 3, 12),
        scan=png(),
        by=world.secretary,
    )
    assert introducers_needed(case, TODAY) == 1
    assert introducers_needed(case, D(2026, 3, 11)) == 2  # not adopted yet on that day
    introduce(case, world.secretary, official(world))
    checklist = items(case, TODAY)
    assert (checklist["introductions"].status, checklist["mass_org_resolution"].status) == ("done", "done")
    assert checklist["mass_org_resolution"].expires_on == D(2027, 3, 12)
    assert items(case, D(2027, 3, 12))["mass_org_resolution"].status == "expired"
    with pytest.raises(ValidationError, match="already has the 1 introduction"):
        introduce(case, world.secretary, official(world))


def test_only_union_members_are_introduced_by_their_union(case, world):
    with pytest.raises(ValidationError, match="Only a Youth Union member"):
        svc.mass_org_resolution_record(
            candidate=case,
            kind="youth_union",
            body_name="BCH",
            number="1",
            adopted_on=D(2026, 3, 1),
            by=world.secretary,
        )
    with pytest.raises(ValidationError, match="Only a trade-union member"):
        svc.mass_org_resolution_record(
            candidate=case,
            kind="trade_union",
            body_name="BCH",
            number="1",
            adopted_on=D(2026, 3, 1),
            by=world.secretary,
        )


def test_a_replaced_introducer_stops_counting_and_keeps_the_link_and_reason(case, world):
    leaving, staying, incoming = official(world), official(world), official(world)
    old = introduce(case, world.secretary, leaving)
    introduce(case, world.secretary, staying)
    new = svc.introduction_replace(
        introduction=old,
        introducer=incoming,
        worked_together_from=D(2023, 5, 1),
        written_on=D(2026, 4, 20),
        reason="Chuyển công tác",
        scan=pdf(),
        by=world.secretary,
    )
    old.refresh_from_db()
    assert (old.replaced_by, old.replaced_on, old.replacement_reason) == (new, D(2026, 4, 20), "Chuyển công tác")
    assert [i.introducer for i in Introduction.objects.filter(replaced_by__isnull=True)] == [staying, incoming]
    item = items(case, TODAY)["introductions"]
    assert item.status == "done" and leaving.person.full_name not in item.reason
    # On the day before the replacement, the old introduction still stood.
    assert leaving.person.full_name in items(case, D(2026, 4, 19))["introductions"].reason
    with pytest.raises(ValidationError, match="already been replaced"):
        svc.introduction_replace(
            introduction=old,
            introducer=official(world),
            worked_together_from=D(2023, 5, 1),
            written_on=D(2026, 4, 21),
            reason="x",
            by=world.secretary,
        )


def test_a_replacement_needs_a_reason_and_another_member(case, world):
    member = official(world)
    old = introduce(case, world.secretary, member)
    kwargs = {"introduction": old, "worked_together_from": D(2023, 5, 1), "written_on": D(2026, 4, 20)}
    with pytest.raises(ValidationError, match="Say why"):
        svc.introduction_replace(introducer=official(world), reason=" ", by=world.secretary, **kwargs)
    with pytest.raises(ValidationError, match="Choose another member"):
        svc.introduction_replace(introducer=member, reason="Kỷ luật", by=world.secretary, **kwargs)


# 5-KNĐ


def test_the_opinions_need_the_residence_cells_opinion_and_keep_the_organisations(case, world):
    with pytest.raises(ValidationError, match="cell where the applicant lives"):
        svc.opinions_record(
            candidate=case, compiled_on=D(2026, 3, 15), residence_cell="", residence_opinion="", by=world.secretary
        )
    summary = opinions(case, world.secretary, scan=png())
    assert summary.organisations == [
        {"name": "Chi đoàn thôn Nà Sa", "met_on": "2026-03-12", "participants": 18, "strengths": "", "weaknesses": ""}
    ]
    with pytest.raises(ValidationError, match="met after the opinions were compiled"):
        opinions(case, world.secretary, compiled_on=D(2026, 3, 11))


# Who may write, and when


@pytest.mark.parametrize("persona", ["approver", "outsider", "agency_officer"])
def test_only_someone_acting_for_the_cell_writes_the_dossier(case, world, persona):
    with pytest.raises(PermissionDenied, match=world.village_cell.name):
        record_application(case, getattr(world, persona))
    assert not Application.objects.exists()


def test_the_dossier_is_written_only_at_the_dossier_step(case, world):
    Candidate.objects.filter(pk=case.pk).update(state=CandidateState.PROPOSED)
    with pytest.raises(ValidationError, match="only while the case is at the dossier step"):
        record_application(case, world.secretary)
    # Reading still works in any state.
    assert items(case, TODAY)["application"].status == "missing"


def test_every_record_keeps_its_history(case, world):
    full_dossier(case, world)
    assert Curriculum.history.count() >= 3  # declared, stamped, certified
    assert BackgroundCheck.history.filter(history_type="~").exists()
    assert Introduction.history.count() == 2
