"""The case as it stood on the day of its admission decision: what the statistics count, for ever.

The statistical forms (Biểu 2, 2B-BTCTW) count each new member with the classification they had on the decision
date (Mẫu 9-KNĐ) and under the org they belonged to then (demo-and-reports.md A.5). People's records change
afterwards (a pupil becomes a worker, a member moves cell) and the org tree is restructured, so the figures are
read from this row, written once by `admission.decisions.services.snapshots.snapshot_take` when the decision is recorded
(or imported), and never changed: a later correction of a past figure is a data-migration decision, not an edit.

`path` is the cell's ancestry on the decision date in the format of `PartyOrg.path` ("/province/commune/cell/",
ids, the cell last), so "admissions under X as the tree stood then" is a text match on one indexed column, and
`grassroots` / `commune` name the grassroots organisation and the commune/ward committee above the cell that day.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from admission.decisions.models.decisions import ChainStepRecord
from admission.party.models.orgs import PartyOrg, path_ancestor_ids
from admission.party.models.people import Sex
from admission.rules import reference
from admission.sourcing.models.candidates import Candidate


class AdmissionSnapshot(models.Model):
    candidate = models.OneToOneField(
        Candidate, verbose_name=_("candidate case"), on_delete=models.CASCADE, related_name="admission_snapshot"
    )
    decision = models.OneToOneField(
        ChainStepRecord,
        verbose_name=_("admission decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="admission_snapshot",
    )
    decided_on = models.DateField(_("decision date"))
    # Where the case belonged on the decision date.
    cell = models.ForeignKey(PartyOrg, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(_("organisation path on that date"), max_length=400)
    grassroots = models.ForeignKey(
        PartyOrg,
        verbose_name=_("grassroots organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        PartyOrg,
        verbose_name=_("commune or ward committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who the person was on the decision date (the categories of domain.md §7).
    date_of_birth = models.DateField(_("date of birth"))
    age_months = models.PositiveSmallIntegerField(_("age in completed months on the decision date"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=reference.ETHNICITY_CHOICES)
    religion = models.CharField(_("religion"), max_length=30, choices=reference.RELIGIONS)
    education = models.CharField(_("general education"), max_length=30, choices=reference.EDUCATION_LEVELS)
    professional_level = models.CharField(_("professional level"), max_length=30, choices=reference.PROFESSIONAL_LEVELS)
    occupation = models.CharField(_("occupation"), max_length=40, choices=reference.OCCUPATION_CLASSES)
    employer_sector = models.CharField(_("employer sector"), max_length=40, choices=reference.EMPLOYER_SECTORS)
    youth_union_member = models.BooleanField(_("Youth Union member"))
    trade_union_member = models.BooleanField(_("trade-union member"))
    is_readmission = models.BooleanField(_("re-admission"))
    # How long the case took to get here (the report's processing times read them from this one row): the dates of
    # its earlier steps, and each step of the approval chain after the cell's resolution as {"kind", "body" (org id),
    # "start" and "end" (ISO dates: the step before it, this step), "due_from" (what its deadline counts from)}.
    rule_set = models.ForeignKey(
        "admission.RuleSet",
        verbose_name=_("rule set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    nominated_on = models.DateField(_("nominated on"), null=True, blank=True)
    listed_on = models.DateField(_("put on the sympathiser list on"), null=True, blank=True)
    certified_on = models.DateField(_("awareness-course certificate of"), null=True, blank=True)
    resolution_on = models.DateField(_("cell resolution of"), null=True, blank=True)
    steps = models.JSONField(_("steps of the approval chain"), default=list, blank=True)
    taken_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "candidate"]
        verbose_name = _("admission snapshot")
        verbose_name_plural = _("admission snapshots")
        indexes = [
            # A report reads one period: the date range narrows the rows first, then the scope (a join on the
            # cell, or a match on the path) filters them (EXPLAIN ANALYZE in bench/reports_bench.py's docstring).
            models.Index(fields=["decided_on"], name="adm_snapshot_day"),
            models.Index(fields=["cell", "decided_on"], name="adm_snapshot_cell_day"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.decided_on:%d/%m/%Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("An admission snapshot is written once and never changed.")
        super().save(*args, **kwargs)

    @property
    def age_years(self) -> int:
        return self.age_months // 12

    def ancestor_ids(self) -> list[int]:
        """The cell's ancestors on the decision date, root first (the cell itself excluded)."""
        return path_ancestor_ids(self.path)
