"""Writes on the awareness course: courses, enrollments (proposed → approved → attending → result), certificates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from admission.core.uploads import validate_scan
from admission.party import hierarchy, permissions
from admission.party.models.orgs import PartyOrg
from admission.rules.reference import normalise_text
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCertificate, AwarenessCourse, Enrollment, EnrollmentState
from admission.sourcing.services.locks import case_lock
from admission.sourcing.services.transitions import fire


@transaction.atomic
def course_create(
    *,
    name: str,
    organiser: PartyOrg,
    issuer_name: str,
    starts_on: date,
    ends_on: date,
    capacity: int,
    by: Any,
    location: str = "",
) -> AwarenessCourse:
    permissions.require_act_for_org(by, organiser)
    if ends_on < starts_on:
        raise ValidationError(_("The course cannot end before it starts."))
    if capacity < 1:
        raise ValidationError(_("A course needs at least one place."))
    course = AwarenessCourse(
        name=normalise_text(name),
        organiser=organiser,
        issuer_name=normalise_text(issuer_name),
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        location=normalise_text(location),
    )
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def enrollment_propose(*, candidate: Candidate, course: AwarenessCourse, on: date, by: Any) -> Enrollment:
    """The cell proposes a person on its sympathiser list for a course."""
    candidate = Candidate.objects.select_for_update().select_related("cell").get(pk=candidate.pk)
    permissions.require_act_for_org(by, candidate.cell)
    if candidate.state != CandidateState.SYMPATHISER:
        raise ValidationError(_("Only a person on the sympathiser list can be proposed for the course."))
    if course.ends_on < on:
        raise ValidationError(_("This course has already ended."))
    if (
        candidate.enrollments.filter(state__in=[EnrollmentState.PROPOSED, *EnrollmentState.taking_a_place()])
        .exclude(state__in=[EnrollmentState.PASSED, EnrollmentState.FAILED])
        .exists()
    ):
        raise ValidationError(_("The person is already proposed for or attending a course."))
    enrollment = Enrollment(
        course=course,
        candidate=candidate,
        approving_org=hierarchy.training_approver(candidate.cell, on),
        proposed_on=on,
    )
    enrollment.save()
    return enrollment


@transaction.atomic
def enrollment_decide(*, enrollment: Enrollment, approve: bool, on: date, by: Any, reason: str = "") -> Enrollment:
    """The competent committee approves or refuses attendance; approval moves the case into training."""
    enrollment = Enrollment.objects.select_for_update().select_related("course", "candidate").get(pk=enrollment.pk)
    course = AwarenessCourse.objects.select_for_update().get(pk=enrollment.course_id)  # serialise the last place
    if approve:
        taken = course.enrollments.filter(state__in=EnrollmentState.taking_a_place()).count()
        if taken >= course.capacity:
            raise ValidationError(_("The course is full (%(n)d places).") % {"n": course.capacity})
    elif not reason.strip():
        raise ValidationError(_("Say why attendance is refused."))
    enrollment.decided_on = on
    fire(enrollment, "approve" if approve else "refuse", by=by, reason=reason)
    if approve:
        candidate = Candidate.objects.select_for_update().get(pk=enrollment.candidate_id)
        candidate.start_training(by=by, description=_("Attendance approved: %(course)s") % {"course": course.name})
        candidate.save()
    return enrollment


@transaction.atomic
def enrollment_start(*, enrollment: Enrollment, by: Any) -> Enrollment:
    enrollment = Enrollment.objects.select_for_update().select_related("course").get(pk=enrollment.pk)
    fire(enrollment, "start", by=by)
    return enrollment


@transaction.atomic
def enrollment_record_result(
    *,
    enrollment: Enrollment,
    passed: bool,
    on: date,
    by: Any,
    certificate_number: str = "",
    note: str = "",
) -> Enrollment:
    """Record the result; a pass issues the certificate and completes the candidate's training."""
    enrollment = Enrollment.objects.select_for_update().select_related("course", "candidate").get(pk=enrollment.pk)
    if on < enrollment.course.starts_on:
        raise ValidationError(_("The result cannot be dated before the course starts."))
    if on > permissions.today():
        raise ValidationError(_("The result date cannot be in the future."))
    if passed and not certificate_number.strip():
        raise ValidationError(_("Enter the certificate number."))
    enrollment.result_on = on
    enrollment.result_note = normalise_text(note)
    fire(enrollment, "pass_course" if passed else "fail_course", by=by, reason=note)
    candidate = Candidate.objects.select_for_update().get(pk=enrollment.candidate_id)
    if passed:
        certificate = AwarenessCertificate(
            person=candidate.person,
            enrollment=enrollment,
            number=normalise_text(certificate_number),
            issued_on=on,
            issuer=enrollment.course.issuer_name,
            recorded_by=by,
        )
        certificate.full_clean()
        certificate.save()
        candidate.complete_training(by=by, description=_("Certificate %(n)s") % {"n": certificate.number})
    else:
        candidate.stop_training(by=by, description=note or _("Did not pass the course"))
    candidate.save()
    return enrollment


@transaction.atomic
def certificate_record_external(
    *,
    candidate: Candidate,
    number: str,
    issued_on: date,
    issuer: str,
    by: Any,
    scan: UploadedFile | None = None,
) -> AwarenessCertificate:
    """A certificate obtained elsewhere (another unit, an earlier attempt), with its scan."""
    candidate = case_lock(candidate)
    permissions.require_act_for_org(by, candidate.cell)
    if issued_on > permissions.today():
        raise ValidationError(_("The issue date cannot be in the future."))
    if scan is not None:
        validate_scan(scan)
    certificate = AwarenessCertificate(
        person=candidate.person,
        number=normalise_text(number),
        issued_on=issued_on,
        issuer=normalise_text(issuer),
        recorded_by=by,
    )
    if scan is not None:
        certificate.scan = scan
    certificate.full_clean()
    certificate.save()
    if candidate.state in (CandidateState.SYMPATHISER, CandidateState.IN_TRAINING):
        if candidate.current_certificate() is None:
            raise ValidationError(_("This certificate has already expired; it cannot complete the training."))
        for enrollment in candidate.enrollments.filter(state__in=["proposed", "approved", "attending"]):
            enrollment.withdraw(by=by, description=_("Certificate obtained elsewhere"))
            enrollment.save()
        candidate.complete_training(by=by, description=_("Certificate %(n)s recorded") % {"n": certificate.number})
        candidate.save()
    return certificate
