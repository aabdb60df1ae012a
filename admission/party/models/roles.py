"""Dated roles of users at party organisations. A user sees and acts within the subtrees of their current roles."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.party.models.orgs import PartyOrg


class RoleKind(models.TextChoices):
    CELL_SECRETARY = "cell_secretary", _("Cell secretary")
    CELL_DEPUTY_SECRETARY = "cell_deputy_secretary", _("Cell deputy secretary")
    CELL_COMMITTEE_MEMBER = "cell_committee_member", _("Cell committee member")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    STANDING_COMMITTEE_MEMBER = "standing_committee_member", _("Standing committee member")
    ORG_BOARD_OFFICER = "org_board_officer", _("Organisation board officer")
    TRAINING_OFFICER = "training_officer", _("Training officer")
    ADMINISTRATOR = "administrator", _("Administrator")

    @classmethod
    def cell_roles(cls) -> tuple[str, ...]:
        return (cls.CELL_SECRETARY, cls.CELL_DEPUTY_SECRETARY, cls.CELL_COMMITTEE_MEMBER)


class RoleQuerySet(models.QuerySet["Role"]):
    def active_on(self, day: date) -> RoleQuerySet:
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))


class Role(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles"
    )
    org = models.ForeignKey(PartyOrg, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="roles")
    kind = models.CharField(_("role"), max_length=40, choices=RoleKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (exclusive)"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["user", "org", "starts_on"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} — {self.org}"

    def clean(self) -> None:
        if self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end date must be after the start date.")})
        if self.org_id and self.kind in RoleKind.cell_roles() and not self.org.is_cell:
            raise ValidationError({"kind": _("A cell role can only be held at a party cell.")})

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)
