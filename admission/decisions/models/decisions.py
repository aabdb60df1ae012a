"""After the cell's vote: the approval chain as a case lived it, and the ceremony.

The chain is resolved from the hierarchy on the day of the cell's resolution and kept as rows (`ChainStepRecord`):
a restructuring later does not rewrite the steps already done. The decision step carries the decision's number
and date, and the day the cell received it (the ceremony deadline counts from receipt under 294-QĐ/TW, from
issuance under the reported 208-QĐ/TW: the rule set says which).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.decisions.models.meetings import Vote
from admission.party.models.orgs import DecidingBody, PartyOrg
from admission.party.models.people import Membership
from admission.party.models.restructuring import RestructuringOperation
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import Candidate


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    SENT_BACK = "sent_back", _("Sent back to the cell")


class ChainStepRecord(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="chain_steps")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("step"), max_length=30)  # admission.party.hierarchy.StepKind
    org = models.ForeignKey(PartyOrg, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("form"), max_length=10)
    vote_body = models.CharField(_("voting body"), max_length=40, choices=VoteBody.choices, blank=True)
    deciding_body = models.CharField(_("deciding body"), max_length=40, choices=DecidingBody.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.PENDING)
    vote = models.OneToOneField(Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="chain_step")
    document_number = models.CharField(_("number"), max_length=60, blank=True)
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    received_on = models.DateField(_("received by the cell on"), null=True, blank=True)
    note = models.TextField(_("note or reason"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # A waiting step re-resolved by a restructuring: the body it first belonged to, and the operation that moved it.
    moved_from = models.ForeignKey(
        PartyOrg, verbose_name=_("moved from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved_by = models.ForeignKey(
        RestructuringOperation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "order", "pk"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        indexes = [
            # The cell resolutions of a period in a report's subtree (the step's org is the cell).
            models.Index(fields=["org", "kind", "done_on"], name="chainstep_org_kind_done"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate.code} {self.order}. {self.form} {self.org}"


class Ceremony(models.Model):
    """The admission ceremony (lễ kết nạp, domain.md §4): probation runs from its date (Charter Art. 5.1)."""

    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="ceremony")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    decision_read_by = models.CharField(_("decision read by"), max_length=120)
    attendees = models.TextField(_("attendees"), blank=True)
    mentors = models.ManyToManyField(Membership, verbose_name=_("members assigned to help"), related_name="+")
    late_consent_ref = models.CharField(_("superior's consent to a late ceremony"), max_length=100, blank=True)
    membership = models.OneToOneField(Membership, on_delete=models.PROTECT, related_name="admission_ceremony")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("admission ceremony")
        verbose_name_plural = _("admission ceremonies")

    def __str__(self) -> str:
        return f"{self.candidate.code} {self.held_on:%d/%m/%Y}"
