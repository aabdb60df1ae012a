"""The awareness course (lớp bồi dưỡng nhận thức về Đảng) and its certificate CN-NTVĐ (domain.md §2.3).

The issuing body changed with the 2025 reform (district political centres were abolished) and is not confirmed,
so the organiser is any org and the issuer's name is free text printed on the certificate.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Person


class AwarenessCourse(models.Model):
    name = models.CharField(_("name"), max_length=255)
    organiser = models.ForeignKey(
        PartyOrg, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="courses"
    )
    issuer_name = models.CharField(
        _("certificate issuer"), max_length=255, help_text=_("As printed on the certificate, e.g. Đảng ủy xã Hoành Mô.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    location = models.CharField(_("place"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("awareness course")
        verbose_name_plural = _("awareness courses")

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%d/%m/%Y})"


class EnrollmentState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by the cell")
    APPROVED = "approved", _("Attendance approved")
    ATTENDING = "attending", _("Attending")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REFUSED = "refused", _("Attendance refused")

    @classmethod
    def taking_a_place(cls) -> tuple[str, ...]:
        return (cls.APPROVED, cls.ATTENDING, cls.PASSED, cls.FAILED)


def _can_approve(instance: Enrollment, user: Any) -> bool:
    from admission.party.permissions import can_act_for_org

    return can_act_for_org(user, instance.approving_org)


def _can_run_course(instance: Enrollment, user: Any) -> bool:
    from admission.party.permissions import can_act_for_org

    return can_act_for_org(user, instance.course.organiser)


class Enrollment(ConcurrentTransitionMixin, models.Model):
    """A candidate's place on a course: proposed → approved → attending → passed / failed / withdrawn."""

    course = models.ForeignKey(
        AwarenessCourse, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrollments"
    )
    # A lazy reference: the case's module imports this one (a case asks for its valid certificate), so not back.
    candidate = models.ForeignKey("admission.Candidate", on_delete=models.PROTECT, related_name="enrollments")
    approving_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("approving committee"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The committee that approves attendance: the first committee above the cell."),
    )
    state = FSMField(_("state"), default=EnrollmentState.PROPOSED, choices=EnrollmentState.choices, protected=True)
    proposed_on = models.DateField(_("proposed on"))
    decided_on = models.DateField(_("approved or refused on"), null=True, blank=True)
    result_on = models.DateField(_("result date"), null=True, blank=True)
    result_note = models.CharField(_("result"), max_length=255, blank=True)
    history = HistoricalRecords(excluded_fields=["state"])

    class Meta:
        ordering = ["course", "candidate"]
        verbose_name = _("course enrollment")
        verbose_name_plural = _("course enrollments")

    def __str__(self) -> str:
        return f"{self.candidate} @ {self.course}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=EnrollmentState.PROPOSED, target=EnrollmentState.APPROVED, permission=_can_approve)
    def approve(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=EnrollmentState.PROPOSED, target=EnrollmentState.REFUSED, permission=_can_approve)
    def refuse(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=EnrollmentState.APPROVED, target=EnrollmentState.ATTENDING, permission=_can_run_course
    )
    def start(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=EnrollmentState.ATTENDING, target=EnrollmentState.PASSED, permission=_can_run_course
    )
    def pass_course(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=EnrollmentState.ATTENDING, target=EnrollmentState.FAILED, permission=_can_run_course
    )
    def fail_course(self, *, by: Any = None, description: str = "") -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[EnrollmentState.PROPOSED, EnrollmentState.APPROVED, EnrollmentState.ATTENDING],
        target=EnrollmentState.WITHDRAWN,
    )
    def withdraw(self, *, by: Any = None, description: str = "") -> None:
        pass


def certificate_upload_to(instance: AwarenessCertificate, filename: str) -> str:
    return f"certificates/{instance.person_id}/{filename}"


class AwarenessCertificate(models.Model):
    """Giấy chứng nhận CN-NTVĐ. Belongs to the person: it stays valid across attempts for its validity period."""

    person = models.ForeignKey(Person, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="certificates")
    enrollment = models.OneToOneField(
        Enrollment, null=True, blank=True, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("certificate number"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=255)
    scan = models.FileField(
        _("scan"),
        upload_to=certificate_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])],
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-issued_on"]
        verbose_name = _("course certificate")
        verbose_name_plural = _("course certificates")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="certificate_number_unique_per_issuer")
        ]
        indexes = [models.Index(fields=["issued_on"], name="certificate_issued")]  # a report's period

    def __str__(self) -> str:
        return f"CN-NTVĐ {self.number} — {self.person}"
