"""Writes on the awareness course: creating courses, the last place, results moving the case, certificates from
elsewhere; every enrollment transition logged with who and why."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_fsm_log.models import StateLog

from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import CandidateState
from admission.sourcing.models.training import AwarenessCertificate, EnrollmentState
from admission.sourcing.services.candidates import candidate_list_as_sympathiser, candidate_nominate
from admission.sourcing.services.training import (
    certificate_record_external,
    course_create,
    enrollment_decide,
    enrollment_propose,
    enrollment_record_result,
    enrollment_start,
)
from tests.factories import PersonFactory, UserFactory, give_role

D = datetime.date
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    """A fixed today, and English messages so that `match=` reads the msgids whatever the catalogue says."""
    with (
        translation.override("en"),
        time_machine.travel(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC), tick=False),
    ):
        yield


@pytest.fixture
def trainer(world):
    user = UserFactory(username="trainer")
    give_role(user, world.commune, RoleKind.TRAINING_OFFICER)
    return user


def make_course(world, trainer, capacity=2):
    return course_create(
        name="Lớp nhận thức về Đảng 1/2026",
        organiser=world.commune,
        issuer_name="Đảng ủy xã Hoành Mô",
        starts_on=D(2026, 3, 10),
        ends_on=D(2026, 4, 20),
        capacity=capacity,
        by=trainer,
    )


def sympathiser(world):
    case = candidate_nominate(
        person=PersonFactory(),
        cell=world.village_cell,
        nominated_by="youth_union",
        nominated_on=D(2026, 2, 1),
        by=world.secretary,
    )
    return candidate_list_as_sympathiser(candidate=case, meeting_on=D(2026, 2, 10), by=world.secretary)


def proposed(world, course):
    return enrollment_propose(candidate=sympathiser(world), course=course, on=D(2026, 3, 1), by=world.secretary)


def attending(world, course):
    enrollment = enrollment_decide(
        enrollment=proposed(world, course), approve=True, on=D(2026, 3, 2), by=world.approver
    )
    return enrollment_start(enrollment=enrollment, by=world.approver)


# Courses


def test_a_course_is_created_for_an_org_the_user_acts_for(world, trainer):
    course = make_course(world, trainer)
    assert (course.organiser, course.capacity) == (world.commune, 2)


def test_a_cell_secretary_cannot_create_the_communes_course(world):
    with pytest.raises(PermissionDenied):
        make_course(world, world.secretary)


def test_a_course_cannot_end_before_it_starts(world, trainer):
    with pytest.raises(ValidationError, match="end before"):
        course_create(
            name="x",
            organiser=world.commune,
            issuer_name="y",
            starts_on=D(2026, 5, 2),
            ends_on=D(2026, 5, 1),
            capacity=3,
            by=trainer,
        )


# Proposal and approval


def test_the_commune_committee_approves_attendance_for_its_village_cell(world, trainer):
    enrollment = proposed(world, make_course(world, trainer))
    assert enrollment.approving_org == world.commune
    enrollment = enrollment_decide(enrollment=enrollment, approve=True, on=D(2026, 3, 2), by=world.approver)
    assert enrollment.state == EnrollmentState.APPROVED
    enrollment.candidate.refresh_from_db()
    assert enrollment.candidate.state == CandidateState.IN_TRAINING


def test_the_cell_cannot_approve_its_own_proposal(world, trainer):
    enrollment = proposed(world, make_course(world, trainer))
    with pytest.raises(PermissionDenied):
        enrollment_decide(enrollment=enrollment, approve=True, on=D(2026, 3, 2), by=world.secretary)


def test_only_a_person_on_the_list_can_be_proposed(world, trainer):
    case = candidate_nominate(
        person=PersonFactory(),
        cell=world.village_cell,
        nominated_by="cell",
        nominated_on=D(2026, 2, 1),
        by=world.secretary,
    )
    with pytest.raises(ValidationError, match="sympathiser list"):
        enrollment_propose(candidate=case, course=make_course(world, trainer), on=D(2026, 3, 1), by=world.secretary)


def test_the_last_place_is_given_and_the_next_approval_is_refused(world, trainer):
    course = make_course(world, trainer, capacity=2)
    first, second, third = (proposed(world, course) for _ in range(3))
    enrollment_decide(enrollment=first, approve=True, on=D(2026, 3, 2), by=world.approver)
    last = enrollment_decide(enrollment=second, approve=True, on=D(2026, 3, 2), by=world.approver)
    assert last.state == EnrollmentState.APPROVED
    with pytest.raises(ValidationError, match="full"):
        enrollment_decide(enrollment=third, approve=True, on=D(2026, 3, 2), by=world.approver)
    third.refresh_from_db()
    third.candidate.refresh_from_db()
    assert (third.state, third.candidate.state) == (EnrollmentState.PROPOSED, CandidateState.SYMPATHISER)


def test_a_refusal_needs_a_reason_and_frees_no_place(world, trainer):
    course = make_course(world, trainer, capacity=1)
    enrollment = proposed(world, course)
    with pytest.raises(ValidationError):
        enrollment_decide(enrollment=enrollment, approve=False, on=D(2026, 3, 2), by=world.approver)
    refused = enrollment_decide(
        enrollment=enrollment, approve=False, on=D(2026, 3, 2), reason="Đủ chỉ tiêu", by=world.approver
    )
    assert refused.state == EnrollmentState.REFUSED
    approved = enrollment_decide(enrollment=proposed(world, course), approve=True, on=D(2026, 3, 2), by=world.approver)
    assert approved.state == EnrollmentState.APPROVED


# Results


def test_a_pass_issues_the_certificate_and_completes_the_training(world, trainer):
    enrollment = attending(world, make_course(world, trainer))
    enrollment = enrollment_record_result(
        enrollment=enrollment, passed=True, on=D(2026, 3, 31), certificate_number="15/CN", by=world.approver
    )
    assert enrollment.state == EnrollmentState.PASSED
    certificate = AwarenessCertificate.objects.get(enrollment=enrollment)
    assert (certificate.number, certificate.issued_on, certificate.issuer) == (
        "15/CN",
        D(2026, 3, 31),
        "Đảng ủy xã Hoành Mô",
    )
    enrollment.candidate.refresh_from_db()
    assert enrollment.candidate.state == CandidateState.TRAINED


def test_a_failed_course_returns_the_case_to_the_sympathiser_list(world, trainer):
    enrollment = attending(world, make_course(world, trainer))
    enrollment = enrollment_record_result(
        enrollment=enrollment, passed=False, on=D(2026, 3, 31), note="Vắng nhiều buổi", by=world.approver
    )
    case = enrollment.candidate
    case.refresh_from_db()
    assert (enrollment.state, case.state) == (EnrollmentState.FAILED, CandidateState.SYMPATHISER)
    last = StateLog.objects.for_(case).order_by("timestamp", "pk").last()
    assert (last.source_state, last.state, last.description) == (
        CandidateState.IN_TRAINING,
        CandidateState.SYMPATHISER,
        "Vắng nhiều buổi",
    )
    assert not AwarenessCertificate.objects.filter(person=case.person).exists()


def test_a_pass_needs_the_certificate_number(world, trainer):
    with pytest.raises(ValidationError, match="certificate number"):
        enrollment_record_result(
            enrollment=attending(world, make_course(world, trainer)), passed=True, on=D(2026, 3, 31), by=world.approver
        )


def test_every_enrollment_transition_is_logged_with_who(world, trainer):
    enrollment = attending(world, make_course(world, trainer))
    enrollment_record_result(
        enrollment=enrollment, passed=True, on=D(2026, 3, 31), certificate_number="1", by=world.approver
    )
    rows = list(StateLog.objects.for_(enrollment).order_by("timestamp", "pk"))
    assert [(r.source_state, r.state) for r in rows] == [
        (EnrollmentState.PROPOSED, EnrollmentState.APPROVED),
        (EnrollmentState.APPROVED, EnrollmentState.ATTENDING),
        (EnrollmentState.ATTENDING, EnrollmentState.PASSED),
    ]
    assert {r.by for r in rows} == {world.approver}


def test_every_case_transition_of_the_course_is_logged_with_who_and_why(world, trainer):
    enrollment = attending(world, make_course(world, trainer))
    enrollment_record_result(
        enrollment=enrollment, passed=True, on=D(2026, 3, 31), certificate_number="7/CN", by=world.approver
    )
    rows = list(StateLog.objects.for_(enrollment.candidate).order_by("timestamp", "pk"))
    assert [r.state for r in rows] == [CandidateState.SYMPATHISER, CandidateState.IN_TRAINING, CandidateState.TRAINED]
    assert [r.by for r in rows] == [world.secretary, world.approver, world.approver]
    assert all(r.description for r in rows)
    assert "7/CN" in rows[-1].description


# Certificates obtained elsewhere


def test_a_certificate_from_elsewhere_completes_the_training(world):
    case = sympathiser(world)
    certificate_record_external(
        candidate=case, number="88/CN", issued_on=D(2024, 6, 1), issuer="Trường Chính trị tỉnh", by=world.secretary
    )
    case.refresh_from_db()
    assert case.state == CandidateState.TRAINED
    last = StateLog.objects.for_(case).order_by("timestamp", "pk").last()
    assert last.by == world.secretary and "88/CN" in last.description


def test_an_expired_certificate_from_elsewhere_is_refused_and_not_kept(world):
    case = sympathiser(world)
    with pytest.raises(ValidationError, match="expired"):
        certificate_record_external(
            candidate=case, number="3/CN", issued_on=D(2021, 3, 31), issuer="TTCT huyện", by=world.secretary
        )
    case.refresh_from_db()
    assert case.state == CandidateState.SYMPATHISER
    assert not AwarenessCertificate.objects.filter(person=case.person).exists()


def test_a_certificate_from_elsewhere_withdraws_the_pending_enrollment(world, trainer):
    enrollment = proposed(world, make_course(world, trainer))
    certificate_record_external(
        candidate=enrollment.candidate, number="9/CN", issued_on=D(2025, 1, 1), issuer="TTCT", by=world.secretary
    )
    enrollment.refresh_from_db()
    assert enrollment.state == EnrollmentState.WITHDRAWN
