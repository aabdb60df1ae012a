"""People, and their membership of party cells.

Who counts in a vote depends on dated facts: official or probationary on the meeting date, temporarily transferred
elsewhere, exempted from activities. Those facts live here; `admission.party.selectors.voting_roster` reads them.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.party.models.orgs import PartyOrg
from admission.rules import reference


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Person(models.Model):
    citizen_id = models.CharField(
        _("citizen ID"), max_length=12, unique=True, validators=[reference.citizen_id_validator]
    )
    full_name = models.CharField(_("full name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=reference.ETHNICITY_CHOICES, default="01")
    religion = models.CharField(_("religion"), max_length=30, choices=reference.RELIGIONS, default="none")
    education = models.CharField(
        _("general education"), max_length=30, choices=reference.EDUCATION_LEVELS, default="upper_secondary"
    )
    professional_level = models.CharField(
        _("professional level"), max_length=30, choices=reference.PROFESSIONAL_LEVELS, default="none"
    )
    occupation = models.CharField(_("occupation"), max_length=40, choices=reference.OCCUPATION_CLASSES, default="other")
    employer_sector = models.CharField(
        _("employer sector"), max_length=40, choices=reference.EMPLOYER_SECTORS, default="other"
    )
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    hometown = models.CharField(_("hometown"), max_length=255, blank=True)
    residence = models.CharField(_("residence"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    youth_union_member = models.BooleanField(_("Youth Union member"), default=False)
    trade_union_member = models.BooleanField(_("trade-union member"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        reference.validate_citizen_id(self.citizen_id, date_of_birth=self.date_of_birth, sex=self.sex)


class MembershipStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member")
    OFFICIAL = "official", _("Official member")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: date) -> MembershipQuerySet:
        return self.filter(joined_cell_on__lte=day).filter(Q(left_cell_on__isnull=True) | Q(left_cell_on__gt=day))

    def official_on(self, day: date) -> MembershipQuerySet:
        return self.active_on(day).filter(official_on__isnull=False, official_on__lte=day)


class Membership(models.Model):
    """A person's party life in one cell, from joining the cell until leaving it.

    Official status is a date, not a flag: a member is official on a day iff `official_on` ≤ that day, so a roster
    can be rebuilt for any past meeting.
    """

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    cell = models.ForeignKey(PartyOrg, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="memberships")
    admitted_on = models.DateField(_("admission decision date"))
    official_on = models.DateField(_("official member since"), null=True, blank=True)
    joined_cell_on = models.DateField(_("in this cell since"))
    left_cell_on = models.DateField(_("left this cell on"), null=True, blank=True)
    party_card_no = models.CharField(_("party card number"), max_length=20, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["cell", "person__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(left_cell_on__isnull=True), name="one_current_cell_per_member"
            )
        ]
        indexes = [
            # The rolls of Biểu 1 and the recognitions of a report: one subtree's cells, then the date (issue 16).
            models.Index(fields=["cell", "joined_cell_on", "left_cell_on"], name="membership_cell_roll"),
            models.Index(fields=["cell", "left_cell_on"], name="membership_cell_left"),
            models.Index(fields=["cell", "official_on"], name="membership_cell_official"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.cell}"

    def clean(self) -> None:
        if self.cell_id and not self.cell.is_cell:
            raise ValidationError({"cell": _("Members belong to a party cell, not to a committee.")})
        if self.official_on and self.official_on < self.admitted_on:
            raise ValidationError({"official_on": _("The official date cannot be before the admission date.")})
        if self.left_cell_on and self.left_cell_on <= self.joined_cell_on:
            raise ValidationError({"left_cell_on": _("The leaving date must be after the joining date.")})

    def status_on(self, day: date) -> MembershipStatus:
        if self.official_on and self.official_on <= day:
            return MembershipStatus.OFFICIAL
        return MembershipStatus.PROBATIONARY


class ExemptionKind(models.TextChoices):
    TEMPORARY_TRANSFER = "temporary_transfer", _("Temporarily transferred to another cell")
    EXEMPTED = "exempted", _("Exempted from party activities")


class MemberExemption(models.Model):
    """A period in which a member does not count fully in the cell's votes (294-QĐ/TW §9.3.2)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="exemptions")
    kind = models.CharField(_("kind"), max_length=30, choices=ExemptionKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (exclusive)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["membership", "starts_on"]
        verbose_name = _("exemption or temporary transfer")
        verbose_name_plural = _("exemptions and temporary transfers")

    def __str__(self) -> str:
        return f"{self.membership.person}: {self.get_kind_display()}"

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)
