"""A case sent back to an earlier stage (domain.md §3, rejections: "anything that invalidates a precondition before
the decision → back to the corresponding step").

One record per move, whoever makes it: the body whose turn it is, or a body above it. Back to the course (a new
enrollment and certificate; the dossier is kept and each item is judged again on the next meeting day), or back to
the dossier (from the cell's meeting or from any step of the approval chain). The case keeps its code and attempt.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from admission.decisions.models.decisions import ChainStepRecord
from admission.party.models.orgs import PartyOrg
from admission.sourcing.models.candidates import Candidate


class SendBackTarget(models.TextChoices):
    COURSE = "course", _("Back to the awareness course")
    DOSSIER = "dossier", _("Back to the admission dossier")


class CaseSendBack(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="send_backs")
    target = models.CharField(_("sent back to"), max_length=10, choices=SendBackTarget.choices)
    from_state = models.CharField(_("state before"), max_length=20)
    from_step = models.CharField(_("step waiting before"), max_length=40, blank=True)
    chain_step = models.ForeignKey(
        ChainStepRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="send_backs"
    )
    acting_org = models.ForeignKey(
        PartyOrg, verbose_name=_("sent back by the body"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    sent_on = models.DateField(_("sent back on"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["candidate", "recorded_at", "pk"]
        verbose_name = _("case sent back")
        verbose_name_plural = _("cases sent back")

    def __str__(self) -> str:
        return f"{self.candidate.code} → {self.target} {self.sent_on:%d/%m/%Y}"
