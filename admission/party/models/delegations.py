"""Delegation: a secretary or an approver names a substitute who acts for their body for a date range. The
substitute gets the same queue and rights for those dates only (`admission.party.permissions`), and the history
records "thay mặt"."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from admission.party.models.orgs import PartyOrg
from admission.party.models.roles import Role, RoleKind


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def active_on(self, day: date) -> DelegationQuerySet:
        """Not revoked, within its dates, and the delegator still holds an acting role at the org on that day."""
        delegator_acts = Role.objects.filter(user=OuterRef("from_user"), org=OuterRef("org")).active_on(day)
        return self.filter(revoked_at__isnull=True, starts_on__lte=day, ends_on__gt=day).filter(
            Exists(delegator_acts.exclude(kind=RoleKind.ADMINISTRATOR))
        )


class Delegation(models.Model):
    """A secretary or an approver names a substitute who acts for the org in their place, for a date range."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("delegator"), on_delete=models.CASCADE, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("substitute"), on_delete=models.CASCADE, related_name="+"
    )
    org = models.ForeignKey(PartyOrg, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (exclusive)"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when delegations lived in the notifications app (moved by
        # migration 0010: the rows stay where they are).
        db_table = "notifications_delegation"
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="delegation_dates_ordered"),
            models.CheckConstraint(condition=~Q(from_user=models.F("to_user")), name="delegation_to_someone_else"),
        ]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user} ({self.org})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end date must be after the start date.")})
        if self.from_user_id and self.from_user_id == self.to_user_id:
            raise ValidationError({"to_user": _("The substitute must be someone else.")})

    def is_active_on(self, day: date) -> bool:
        return self.revoked_at is None and self.starts_on <= day < self.ends_on
