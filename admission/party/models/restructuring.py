"""Restructuring the party hierarchy as a recorded operation: merge, dissolve into a successor, move, rename.

An operation is asked for by the organisation board of the province or commune that owns the tree, with an
effective date and a reason; it is applied on that date (at once when the date is today or past, else by
`manage.py restructure_apply`, run daily). Applying it changes the tree through `admission.party.services.orgs`
(links are closed, never rewritten) and moves what was waiting at the old bodies to the successors
(`admission.restructuring`). The row stays as the record of who asked, when, why, and what moved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.party.models.orgs import PartyOrg


class RestructuringKind(models.TextChoices):
    MERGE = "merge", _("Merge into another organisation")
    DISSOLVE = "dissolve", _("Dissolve into a successor")
    MOVE = "move", _("Move under another superior")
    RENAME = "rename", _("Rename")


class RestructuringStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    APPLIED = "applied", _("Applied")
    CANCELLED = "cancelled", _("Cancelled")


class RestructuringOperation(models.Model):
    kind = models.CharField(_("operation"), max_length=12, choices=RestructuringKind.choices)
    org = models.ForeignKey(
        PartyOrg, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="restructurings"
    )
    # The successor (merge, dissolve) or the new superior (move); empty for a rename.
    target = models.ForeignKey(
        PartyOrg,
        verbose_name=_("successor or new superior"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="restructurings_received",
    )
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    old_name = models.CharField(_("name before"), max_length=255, blank=True)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    # The organisation whose board owns the tree and asked for the operation.
    owner_org = models.ForeignKey(
        PartyOrg, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="restructurings_owned"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RestructuringStatus.choices, default=RestructuringStatus.SCHEDULED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    # What moved: counts and the ids of the cases whose waiting steps went to the successors.
    outcome = models.JSONField(_("what moved"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        indexes = [models.Index(fields=["status", "effective_on"], name="restructuring_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.org} ({self.effective_on:%d/%m/%Y})"
