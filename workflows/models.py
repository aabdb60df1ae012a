"""viewflow proxy Process models, one per flow, linked to the domain case through `artifact`; the work page's
read model of open steps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task


class SourcingProcess(Process):
    """The work of sourcing and training one candidate case (`artifact` is the `admission.Candidate`)."""

    class Meta:
        proxy = True
        verbose_name = _("sourcing and training process")
        verbose_name_plural = _("sourcing and training processes")


class AdmissionProcess(Process):
    """The work of admitting one candidate, from the dossier to the ceremony (`artifact` is the Candidate)."""

    class Meta:
        proxy = True
        verbose_name = _("admission process")
        verbose_name_plural = _("admission processes")


class ProbationProcess(Process):
    """The twelve months of probation and the recognition (`artifact` is the Candidate)."""

    class Meta:
        proxy = True
        verbose_name = _("probation process")
        verbose_name_plural = _("probation processes")


class WorkItem(models.Model):
    """The work page's read model: one row per open human task, with the org whose body must act, the case, the
    step and its due date, kept in the same transaction as the task itself (`workflows.worklist.work_item_sync`,
    run on every save of a task). The work page reads "open tasks of these orgs, overdue first" from here with one
    indexed query instead of matching viewflow's permission strings over every open task of the country."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, primary_key=True, related_name="work_item")
    candidate = models.ForeignKey("admission.Candidate", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("admission.PartyOrg", on_delete=models.CASCADE, related_name="+")
    # The case's cell and its place in the tree, for "my units' cases waiting at a higher body".
    cell_path = models.CharField(max_length=400)
    flow = models.CharField(max_length=100)
    node = models.CharField(max_length=100)
    due_on = models.DateField(null=True, blank=True)
    created = models.DateTimeField()
    # "I am working on this": shown to colleagues until `marked_until`, never a lock (workflows.step_page).
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("open step")
        verbose_name_plural = _("open steps")
        indexes = [
            models.Index(fields=["org", "due_on"], name="workitem_org_due"),
            # "Under this path" is `cell_path LIKE 'prefix%'`: on PostgreSQL only a pattern_ops index serves it (the
            # database's collation is not C); without it each work page read every open step of the country.
            models.Index(fields=["cell_path"], name="workitem_cell_path", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.node} ({self.org_id})"

    def marker(self, now: Any) -> Any:
        """Who marked "I am working on this", while the mark lasts (after `marked_until` nobody)."""
        return self.marked_by if self.marked_by_id and self.marked_until and self.marked_until > now else None
