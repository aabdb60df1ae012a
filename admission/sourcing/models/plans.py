"""Sourcing plans (đề án tạo nguồn): targets per org and year, overall and by category (domain.md §7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.party.models.orgs import PartyOrg


class PlanCategory(models.TextChoices):
    TOTAL = "total", _("All new members")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Outside the state sector (private, foreign-invested)")
    VILLAGE = "village", _("Villages and neighbourhoods")
    PUPIL_STUDENT = "pupil_student", _("Pupils and students")
    WOMEN = "women", _("Women")
    ETHNIC_MINORITY = "ethnic_minority", _("Ethnic minorities")
    YOUTH_UNION = "youth_union", _("Youth Union members")
    RELIGIOUS = "religious", _("Religious followers")


class SourcingPlan(models.Model):
    org = models.ForeignKey(PartyOrg, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "org"]
        verbose_name = _("sourcing plan")
        verbose_name_plural = _("sourcing plans")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="one_plan_per_org_and_year")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"


class PlanTarget(models.Model):
    plan = models.ForeignKey(SourcingPlan, on_delete=models.CASCADE, related_name="targets")
    category = models.CharField(_("category"), max_length=30, choices=PlanCategory.choices)
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["plan", "category"]
        constraints = [models.UniqueConstraint(fields=["plan", "category"], name="one_target_per_category")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.target}"
