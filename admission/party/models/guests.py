"""Guests of a cell: a member who takes part in another cell's meetings for a time (a border-guard member in a
border-village cell). A guest is on that cell's meeting roster, marked as a guest, and never counts in its
denominator or its votes; whether a guest may help or introduce there is the rule set's choice
(`guests_may_help_or_introduce`)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership


class GuestQuerySet(models.QuerySet["CellGuest"]):
    def active_on(self, day: date) -> GuestQuerySet:
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))


class CellGuest(models.Model):
    membership = models.ForeignKey(
        Membership, verbose_name=_("member (home cell)"), on_delete=models.PROTECT, related_name="guest_periods"
    )
    host_cell = models.ForeignKey(
        PartyOrg, verbose_name=_("cell hosting the guest"), on_delete=models.PROTECT, related_name="guests"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (exclusive)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = GuestQuerySet.as_manager()

    class Meta:
        ordering = ["host_cell", "starts_on"]
        verbose_name = _("guest of a cell")
        verbose_name_plural = _("guests of cells")
        indexes = [models.Index(fields=["host_cell", "starts_on"], name="cellguest_host_start")]

    def __str__(self) -> str:
        return f"{self.membership.person} → {self.host_cell}"

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)

    def clean(self) -> None:
        if self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end date must be after the start date.")})
        if self.membership_id and self.host_cell_id and self.membership.cell_id == self.host_cell_id:
            raise ValidationError({"host_cell": _("A member is not a guest of their own cell.")})
        if self.host_cell_id and not self.host_cell.is_cell:
            raise ValidationError({"host_cell": _("A guest takes part in a party cell's meetings.")})


def guest_in(*, membership: Membership, cell: PartyOrg, on: date) -> CellGuest | None:
    """The member's guest period in `cell` covering `on`, if any."""
    return CellGuest.objects.filter(membership=membership, host_cell=cell).active_on(on).first()
