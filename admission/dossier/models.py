"""The admission dossier of a case (domain.md §2.4, §2.5, §3 rows 2–6, §6): structured records with their scans.

Order of the paper trail, which the services enforce: the application (1-KNĐ), then the CV (2-KNĐ) with the
relatives it declares; the cell and the grassroots committee stamp across the CV's page joins *before* the
verification requests go out; the cell's comment and the committee's certification are written on the CV only
*after* the replies are back (06-HD/TW §3.4.d [R]). Introductions (3-KNĐ), a Youth Union or trade-union resolution
(4-KNĐ) replacing one introducer (Charter Art. 4.2), and the compiled opinions (5-KNĐ) complete it.

Which documents are still valid on a date is read by `admission.dossier.checklist.dossier_checklist`, never stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.party.models.people import Membership
from admission.sourcing.models.candidates import Candidate

SCAN_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


def dossier_upload_to(instance: Any, filename: str) -> str:
    return f"dossier/{instance.candidate_id}/{type(instance).__name__.lower()}/{filename}"


def _scan_field() -> models.FileField:
    return models.FileField(
        _("scan"),
        upload_to=dossier_upload_to,
        blank=True,
        max_length=255,
        validators=[FileExtensionValidator(SCAN_EXTENSIONS)],
    )


class Application(models.Model):
    """Đơn xin vào Đảng (1-KNĐ), handwritten by the applicant and received by the cell."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="application")
    written_on = models.DateField(_("written on"))
    received_on = models.DateField(_("received by the cell on"))
    scan = _scan_field()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application (1-KNĐ)")
        verbose_name_plural = _("applications (1-KNĐ)")

    def __str__(self) -> str:
        return f"1-KNĐ {self.candidate.code}"


class Curriculum(models.Model):
    """Lý lịch của người xin vào Đảng (2-KNĐ): the fields the printed booklet needs, lists as JSON.

    `work_history` is a list of {"from": "MM/YYYY", "to": "MM/YYYY" or "", "what": "..."} as the applicant wrote it.
    """

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="curriculum")
    declared_on = models.DateField(_("declared on"))
    name_in_use = models.CharField(_("name in use"), max_length=120)
    birth_name = models.CharField(_("birth name"), max_length=120, blank=True)
    alias = models.CharField(_("other names"), max_length=120, blank=True)
    # 2-KNĐ item 06 / (5): where the birth was registered; 1-KNĐ prints it too.
    place_of_birth = models.CharField(_("place of birth"), max_length=255, blank=True)
    hometown = models.CharField(_("hometown (as on the ID card)"), max_length=255)
    permanent_residence = models.CharField(_("permanent residence"), max_length=255)
    temporary_residence = models.CharField(_("temporary residence"), max_length=255, blank=True)
    youth_union_joined_on = models.DateField(_("joined the Youth Union on"), null=True, blank=True)
    youth_union_joined_at = models.CharField(_("joined the Youth Union at"), max_length=255, blank=True)
    work_history = models.JSONField(_("personal and work history"), default=list, blank=True)
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    pledge_on = models.DateField(_("pledge signed on"), null=True, blank=True)
    # The cell and grassroots committee stamp across the page joins before verification (06-HD/TW §3.4.d [R]).
    page_join_sealed_on = models.DateField(_("stamped across the page joins on"), null=True, blank=True)
    # Written only after the verification results are back (same source).
    cell_comment = models.TextField(_("comment of the cell committee"), blank=True)
    cell_commented_on = models.DateField(_("cell comment dated"), null=True, blank=True)
    committee_certification = models.TextField(_("certification of the grassroots committee"), blank=True)
    committee_certified_on = models.DateField(_("certified on"), null=True, blank=True)
    scan = _scan_field()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("CV (2-KNĐ)")
        verbose_name_plural = _("CVs (2-KNĐ)")

    def __str__(self) -> str:
        return f"2-KNĐ {self.candidate.code}"

    @property
    def is_sealed(self) -> bool:
        return self.page_join_sealed_on is not None

    @property
    def is_certified(self) -> bool:
        return self.committee_certified_on is not None


class Relation(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    FATHER_IN_LAW = "father_in_law", _("Father-in-law")
    MOTHER_IN_LAW = "mother_in_law", _("Mother-in-law")
    GUARDIAN = "guardian", _("Person who raised the applicant")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Brother or sister")


class Relative(models.Model):
    """A family member declared in the CV (2-KNĐ, family section)."""

    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="relatives")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    full_name = models.CharField(_("full name"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1880), MaxValueValidator(2100)]
    )
    hometown = models.CharField(_("hometown"), max_length=255, blank=True)
    residence = models.CharField(_("residence"), max_length=255, blank=True)
    occupation = models.CharField(_("occupation"), max_length=255, blank=True)
    political_history = models.TextField(_("political history"), blank=True)
    is_adult = models.BooleanField(
        _("has full civil capacity"), default=True, help_text=_("Children are verified only when they have it.")
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    fully_declared = models.BooleanField(_("declared fully and truthfully"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["curriculum", "order", "pk"]
        verbose_name = _("relative")
        verbose_name_plural = _("relatives")

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.full_name}"


class CheckMethod(models.TextChoices):
    LETTER = "letter", _("Official letter")
    IN_PERSON = "in_person", _("Member sent in person")


class CheckResult(models.TextChoices):
    CLEAR = "clear", _("Nothing against")
    CONCERNS = "concerns", _("Concerns raised")


class BackgroundCheck(models.Model):
    """Thẩm tra lý lịch of one person: the applicant (no relative) or one declared relative (domain.md §2.5)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="background_checks")
    relative = models.OneToOneField(
        Relative, null=True, blank=True, on_delete=models.CASCADE, related_name="background_check"
    )
    subject_name = models.CharField(_("person verified"), max_length=120)
    # 06-HD/TW §3.4.c [R]: a party-member relative declared fully and truthfully need not be verified.
    exempt = models.BooleanField(_("exempt"), default=False)
    method = models.CharField(_("method"), max_length=20, choices=CheckMethod.choices, blank=True)
    addressed_to = models.CharField(_("sent to"), max_length=255, blank=True)
    request_sent_on = models.DateField(_("request sent on"), null=True, blank=True)
    reply_received_on = models.DateField(_("reply received on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=CheckResult.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    scan = _scan_field()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "pk"]
        verbose_name = _("background verification")
        verbose_name_plural = _("background verifications")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"], condition=Q(relative__isnull=True), name="one_applicant_check_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate.code}: {self.subject_name}"

    @property
    def is_done(self) -> bool:
        return self.exempt or self.reply_received_on is not None


class Introduction(models.Model):
    """Giấy giới thiệu người vào Đảng (3-KNĐ) by one official member; replaced by a new one when the introducer can
    no longer introduce (moved away, disciplined…: domain.md §2.4 [U])."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="introductions")
    introducer = models.ForeignKey(
        Membership, verbose_name=_("introducer"), on_delete=models.PROTECT, related_name="introductions"
    )
    worked_together_from = models.DateField(_("worked or lived together from"))
    worked_together_to = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Empty while they still work or live together.")
    )
    written_on = models.DateField(_("written on"))
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces", verbose_name=_("replaced by")
    )
    replaced_on = models.DateField(_("replaced on"), null=True, blank=True)
    replacement_reason = models.CharField(_("reason for the replacement"), max_length=255, blank=True)
    scan = _scan_field()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "written_on", "pk"]
        verbose_name = _("introduction (3-KNĐ)")
        verbose_name_plural = _("introductions (3-KNĐ)")

    def __str__(self) -> str:
        return f"3-KNĐ {self.candidate.code}: {self.introducer.person}"

    @property
    def is_active(self) -> bool:
        return self.replaced_by_id is None


class MassOrgKind(models.TextChoices):
    YOUTH_UNION = "youth_union", _("Youth Union")
    TRADE_UNION = "trade_union", _("Trade union")


class MassOrgResolution(models.Model):
    """Nghị quyết giới thiệu (4-KNĐ) of the grassroots Youth Union or trade-union executive committee; it takes the
    place of one introducer (Charter Art. 4.2)."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="mass_org_resolution")
    kind = models.CharField(_("organisation"), max_length=20, choices=MassOrgKind.choices)
    body_name = models.CharField(_("executive committee"), max_length=255)
    number = models.CharField(_("number"), max_length=60)
    adopted_on = models.DateField(_("adopted on"))
    scan = _scan_field()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mass-organisation resolution (4-KNĐ)")
        verbose_name_plural = _("mass-organisation resolutions (4-KNĐ)")

    def __str__(self) -> str:
        return f"4-KNĐ {self.number}"


class OpinionSummary(models.Model):
    """Tổng hợp ý kiến nhận xét (5-KNĐ), compiled by the cell committee.

    `organisations` is a list of {"name", "met_on", "participants", "strengths", "weaknesses"} per mass organisation
    consulted where the applicant works.
    """

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="opinion_summary")
    compiled_on = models.DateField(_("compiled on"))
    organisations = models.JSONField(_("organisations consulted"), default=list, blank=True)
    residence_cell = models.CharField(_("cell or committee where the applicant lives"), max_length=255)
    residence_opinion = models.TextField(_("its opinion"))
    synthesis = models.TextField(_("the cell committee's synthesis"), blank=True)
    scan = _scan_field()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compiled opinions (5-KNĐ)")
        verbose_name_plural = _("compiled opinions (5-KNĐ)")

    def __str__(self) -> str:
        return f"5-KNĐ {self.candidate.code}"


class PaperKind(models.TextChoices):
    APPLICATION = "application", _("Application (1-KNĐ)")
    CURRICULUM = "curriculum", _("CV (2-KNĐ)")
    VERIFICATION = "verification", _("Background verification round")
    INTRODUCTION = "introduction", _("Introduction (3-KNĐ)")
    MASS_ORG_RESOLUTION = "mass_org_resolution", _("Youth Union or trade-union resolution (4-KNĐ)")
    OPINIONS = "opinions", _("Compiled opinions (5-KNĐ)")


class ReplacedPaper(models.Model):
    """An earlier version of a paper of the dossier, replaced by a new one within the case (an expired or wrong CV,
    a new verification round, a new introducer or opinion): what it said (`data`, with the names of its scans, whose
    files are kept), who replaced it, when and why. Shown in the dossier's history and its annex."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="replaced_papers")
    paper = models.CharField(_("paper"), max_length=24, choices=PaperKind.choices)
    dated = models.DateField(_("dated"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    data = models.JSONField(_("the replaced version"), default=dict, blank=True)
    scans = models.JSONField(_("scans kept"), default=list, blank=True)
    reason = models.TextField(_("reason for the replacement"))
    replaced_on = models.DateField(_("replaced on"))
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("replaced by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["candidate", "recorded_at", "pk"]
        verbose_name = _("replaced paper")
        verbose_name_plural = _("replaced papers")

    def __str__(self) -> str:
        return f"{self.candidate.code}: {self.get_paper_display()} ({self.replaced_on:%d/%m/%Y})"

    def describe(self) -> str:
        """What the replaced version was, in the active language, built from `dated` and `data` when shown: the page
        shows it in its reader's language, the printed annex in Vietnamese. The stored `summary` (written in the
        language of whoever replaced the paper) is kept as it was recorded, and shown only for a version whose
        data no longer says enough (an introducer's record deleted since)."""
        from django.utils.translation import gettext

        from admission.rules.reference import vn_date

        data = self.data or {}

        def day(value: Any) -> str:
            if isinstance(value, str) and value:
                return vn_date(date.fromisoformat(value))
            return vn_date(value) if isinstance(value, date) else "—"

        if self.paper == PaperKind.CURRICULUM:
            certified = data.get("committee_certified_on")
            return gettext("CV declared on %(day)s, stamped on %(sealed)s%(certified)s") % {
                "day": day(self.dated),
                "sealed": day(data.get("page_join_sealed_on")),
                "certified": gettext(", certified on %(day)s") % {"day": day(certified)} if certified else "",
            }
        if self.paper == PaperKind.VERIFICATION:
            return gettext("Verification of %(n)d person(s), last reply %(day)s") % {
                "n": len(data.get("checks") or []),
                "day": day(self.dated),
            }
        if self.paper == PaperKind.INTRODUCTION:
            introducer_id = data.get("introducer")
            introducer = (
                Membership.objects.select_related("person").filter(pk=introducer_id).first() if introducer_id else None
            )
            if introducer is None:
                return self.summary
            return gettext("Introduction by %(name)s of %(day)s") % {
                "name": introducer.person.full_name,
                "day": day(self.dated),
            }
        return gettext("%(paper)s of %(day)s") % {"paper": str(PaperKind(self.paper).label), "day": day(self.dated)}
