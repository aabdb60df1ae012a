"""The application (1-KNĐ) and its scans, checked by their content; the CV (2-KNĐ), its page-join stamp, the
verification of the people it names, the cell's comment and the grassroots committee's certification, in that order;
and who may write the dossier, and when."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from admission.dossier import services as svc
from admission.dossier.models import Application, BackgroundCheck, Curriculum, Introduction
from admission.sourcing.models.candidates import Candidate, CandidateState
from tests.admission.dossier.services.helpers import (
    RELATIVES,
    TODAY,
    D,
    certify,
    checks_by_name,
    fake_pdf,
    full_dossier,
    items,
    pdf,
    png,
    record_application,
    record_cv,
    verify_all,
)

pytestmark = pytest.mark.usefixtures("frozen_today")


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
