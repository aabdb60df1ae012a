"""viewflow proxy Process models, one per flow, linked to the domain case through `artifact`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


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
