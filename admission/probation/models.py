"""Probation (thời kỳ dự bị) and recognition as an official member (domain.md §5, forms 10–16-KNĐ).

A `Probation` starts on the ceremony's date and lasts the rule set's months (Charter Art. 5.1); its end is the
official date, however late the cell or the committee acts (Art. 5.3). Around it: the helpers (the `Mentor` rows of
the case, assigned at the ceremony and replaceable), the new-member course certificate, discipline during probation
(reprimand or warning only), the recognition dossier (self-review 10-KNĐ, helper's comments 11-KNĐ, compiled
opinions 12-KNĐ), the recognition chain after the cell's vote (13–16-KNĐ, kept as `RecognitionStep` rows), the
removal from the list (xóa tên) and transfers to another cell during probation.

Why a separate `RecognitionStep` and not `ChainStepRecord` with a purpose: the admission services read the case's
`chain_steps` as "the" chain (its first row is the cell's resolution, its first done decision the admission
decision, its first pending row the next step), and the admission flow does too. A recognition chain belongs to the
probation (after a transfer the receiving cell's chain is resolved anew, and a second chain follows a removal
refused), so it lives beside the probation, with the same columns and the same `StepStatus`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.decisions.models.decisions import Ceremony, StepStatus
from admission.decisions.models.meetings import Vote
from admission.party.models.orgs import DecidingBody, PartyOrg
from admission.party.models.people import Membership
from admission.party.models.restructuring import RestructuringOperation
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import Candidate, Mentor


class ProbationStatus(models.TextChoices):
    RUNNING = "running", _("Probation running")
    RECOGNITION_DUE = "recognition_due", _("Probation ended, recognition to consider")
    RECOGNISED = "recognised", _("Recognised as official member")
    REMOVED = "removed", _("Removed from the list")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")

    @classmethod
    def open_states(cls) -> tuple[str, ...]:
        return (cls.RUNNING, cls.RECOGNITION_DUE)


class Probation(models.Model):
    """One per probationary member (one per admission case). `membership` is the current cell's membership: a
    transfer closes the old one and points here at the new one; both stay in the cells' histories."""

    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="probation")
    ceremony = models.OneToOneField(Ceremony, on_delete=models.PROTECT, related_name="probation")
    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.PROTECT, related_name="probations"
    )
    starts_on = models.DateField(_("probation starts on"))
    months = models.PositiveSmallIntegerField(_("months of probation"))
    ends_on = models.DateField(_("probation ends on (official date)"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProbationStatus.choices, default=ProbationStatus.RUNNING
    )
    recognition_opened_on = models.DateField(_("recognition opened on"), null=True, blank=True)
    last_reminder_days = models.PositiveSmallIntegerField(
        _("last reminder sent (days before the end)"), null=True, blank=True
    )
    decision_extension_reason = models.TextField(_("reason for extending the recognition decision"), blank=True)
    # Charter Art. 5.3 via 29-QĐ/TW §4.3.1: three votes reaching 2/3 neither way → the superior body decides.
    escalated_on = models.DateField(_("reported to the superior committee on"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        PartyOrg, verbose_name=_("committee that decides"), null=True, blank=True, on_delete=models.PROTECT
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ends_on", "pk"]
        verbose_name = _("probation")
        verbose_name_plural = _("probations")

    def __str__(self) -> str:
        return f"{self.candidate.person} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.status in ProbationStatus.open_states()

    @property
    def party_age_from(self) -> date:
        """Party age counts from the admission decision's date (Charter Art. 5.4), not from the ceremony."""
        return self.membership.admitted_on

    def helpers(self) -> models.QuerySet[Mentor]:
        """The members assigned to help during probation (assigned on or after the ceremony)."""
        return self.candidate.mentors.filter(assigned_on__gte=self.starts_on).select_related("member__person")


class NewMemberCertificate(models.Model):
    """Certificate of the political-theory course for new members: first item of the recognition dossier."""

    probation = models.OneToOneField(Probation, on_delete=models.CASCADE, related_name="certificate")
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("new-member course certificate")
        verbose_name_plural = _("new-member course certificates")

    def __str__(self) -> str:
        return f"{self.number} {self.issued_on:%d/%m/%Y}"


class DisciplineKind(models.TextChoices):
    # Only these two during probation; a probationer no longer worthy is removed (Charter Art. 35 [C]).
    REPRIMAND = "reprimand", _("Reprimand (khiển trách)")
    WARNING = "warning", _("Warning (cảnh cáo)")


class ProbationDiscipline(models.Model):
    probation = models.ForeignKey(Probation, on_delete=models.CASCADE, related_name="disciplines")
    kind = models.CharField(_("sanction"), max_length=20, choices=DisciplineKind.choices)
    decided_on = models.DateField(_("decided on"))
    decision_ref = models.CharField(_("decision number"), max_length=60)
    decided_by = models.CharField(_("decided by"), max_length=255)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["probation", "decided_on"]
        verbose_name = _("discipline during probation")
        verbose_name_plural = _("discipline during probation")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision_ref}"


class SelfReview(models.Model):
    """Bản tự kiểm điểm của đảng viên dự bị (10-KNĐ)."""

    probation = models.OneToOneField(Probation, on_delete=models.CASCADE, related_name="self_review")
    written_on = models.DateField(_("written on"))
    strengths = models.TextField(_("strengths"))
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    remedies = models.TextField(_("remedies"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-review (10-KNĐ)")
        verbose_name_plural = _("self-reviews (10-KNĐ)")

    def __str__(self) -> str:
        return f"10-KNĐ {self.probation.candidate.code}"


class HelperComment(models.Model):
    """Bản nhận xét đảng viên dự bị (11-KNĐ), by a member assigned to help."""

    probation = models.ForeignKey(Probation, on_delete=models.CASCADE, related_name="helper_comments")
    mentor = models.ForeignKey(Mentor, verbose_name=_("helper"), on_delete=models.PROTECT, related_name="+")
    written_on = models.DateField(_("written on"))
    assessment = models.TextField(_("assessment"))
    recommends_recognition = models.BooleanField(_("recommends recognition"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["probation", "written_on"]
        verbose_name = _("helper's comment (11-KNĐ)")
        verbose_name_plural = _("helpers' comments (11-KNĐ)")
        constraints = [models.UniqueConstraint(fields=["probation", "mentor"], name="one_comment_per_helper")]

    def __str__(self) -> str:
        return f"11-KNĐ {self.mentor.member.person}"


class ProbationOpinions(models.Model):
    """Compiled opinions on the probationer (12-KNĐ), as 5-KNĐ: `organisations` is a list of {"name", "met_on",
    "participants", "strengths", "weaknesses"}."""

    probation = models.OneToOneField(Probation, on_delete=models.CASCADE, related_name="opinions")
    compiled_on = models.DateField(_("compiled on"))
    organisations = models.JSONField(_("organisations consulted"), default=list, blank=True)
    residence_cell = models.CharField(_("cell or committee where the member lives"), max_length=255)
    residence_opinion = models.TextField(_("its opinion"))
    synthesis = models.TextField(_("the cell committee's synthesis"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compiled opinions (12-KNĐ)")
        verbose_name_plural = _("compiled opinions (12-KNĐ)")

    def __str__(self) -> str:
        return f"12-KNĐ {self.probation.candidate.code}"


class RecognitionStep(models.Model):
    """One step of a recognition chain (13-KNĐ cell → 14-KNĐ appraisal → 15-KNĐ committee → 16-KNĐ decision).
    `round` numbers the chains of one probation (a new cell after a transfer, an escalation)."""

    probation = models.ForeignKey(Probation, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("step"), max_length=30)  # admission.party.hierarchy.StepKind
    org = models.ForeignKey(PartyOrg, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("form"), max_length=10)
    vote_body = models.CharField(_("voting body"), max_length=40, choices=VoteBody.choices, blank=True)
    deciding_body = models.CharField(_("deciding body"), max_length=40, choices=DecidingBody.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.PENDING)
    vote = models.OneToOneField(Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="recognition_step")
    document_number = models.CharField(_("number"), max_length=60, blank=True)
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    note = models.TextField(_("note or reason"), blank=True)
    late_reason = models.TextField(_("reason for acting after the deadline"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A waiting step re-resolved by a restructuring: the body it first belonged to, and the operation that moved it.
    moved_from = models.ForeignKey(
        PartyOrg, verbose_name=_("moved from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved_by = models.ForeignKey(
        RestructuringOperation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["probation", "round", "order", "pk"]
        verbose_name = _("recognition step")
        verbose_name_plural = _("recognition steps")

    def __str__(self) -> str:
        return f"{self.probation.candidate.code} {self.round}.{self.order} {self.form} {self.org}"


class RemovalReason(models.TextChoices):
    NOT_QUALIFIED = "not_qualified", _("Does not meet the standards of a party member")
    FAILED_RECOGNITION = "failed_recognition", _("Recognition not approved")
    DISCIPLINE = "discipline", _("Violation: no longer worthy to be a member")
    ABANDONED_ACTIVITY = "abandoned_activity", _("Did not take part in party activities")
    FALSE_DECLARATION = "false_declaration", _("False or hidden declarations in the dossier")
    REQUESTED = "requested", _("Asked to leave")
    OTHER = "other", _("Other")


# A removal reason as a screen offers it: none chosen yet, or one of the reasons.
REMOVAL_REASON_OR_BLANK = [("", "—"), *RemovalReason.choices]
# The same reasons as a step's form posts them (the API schema's name for that set: RemovalReasonValueEnum).
REMOVAL_REASON_VALUES = RemovalReason.values


class RemovalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for the competent committee")
    DECIDED = "decided", _("Removed by decision")
    REJECTED = "rejected", _("Not removed")


class ProbationRemoval(models.Model):
    """Xóa tên khỏi danh sách đảng viên dự bị: proposed by the cell (or after a refused recognition), decided by
    the competent committee (Charter Art. 5.2)."""

    probation = models.ForeignKey(Probation, on_delete=models.CASCADE, related_name="removals")
    status = models.CharField(_("status"), max_length=12, choices=RemovalStatus.choices, default=RemovalStatus.PROPOSED)
    reason_code = models.CharField(_("reason"), max_length=30, choices=RemovalReason.choices)
    reason = models.TextField(_("details"))
    proposed_on = models.DateField(_("proposed on"))
    proposed_by_org = models.ForeignKey(
        PartyOrg, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    vote = models.OneToOneField(Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="removal")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_by_org = models.ForeignKey(
        PartyOrg, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["probation", "proposed_on", "pk"]
        verbose_name = _("removal from the list")
        verbose_name_plural = _("removals from the list")
        constraints = [
            models.UniqueConstraint(
                fields=["probation"], condition=Q(status="proposed"), name="one_pending_removal_per_probation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.probation.candidate.code}: {self.get_reason_code_display()}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Sent, waiting for the receiving cell")
    RECEIVED = "received", _("Received by the new cell")
    LEFT_SYSTEM = "left_system", _("Moved to a party organisation outside this system")


class ProbationTransfer(models.Model):
    """A move to another cell during probation. The former cell writes its comments on the months spent there;
    the receiving cell completes the recognition with them attached (domain.md §5, 294-QĐ/TW §6.3.1)."""

    probation = models.ForeignKey(Probation, on_delete=models.CASCADE, related_name="transfers")
    from_cell = models.ForeignKey(
        PartyOrg, verbose_name=_("former cell"), on_delete=models.PROTECT, related_name="probation_transfers_out"
    )
    from_membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    to_cell = models.ForeignKey(
        PartyOrg,
        verbose_name=_("receiving cell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="probation_transfers_in",
    )
    destination = models.CharField(_("receiving party organisation (outside this system)"), max_length=255, blank=True)
    moved_on = models.DateField(_("left the former cell on"))
    former_cell_comment = models.TextField(_("the former cell's comments"))
    status = models.CharField(_("status"), max_length=12, choices=TransferStatus.choices)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    to_membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["probation", "moved_on", "pk"]
        verbose_name = _("transfer during probation")
        verbose_name_plural = _("transfers during probation")
        constraints = [
            models.UniqueConstraint(
                fields=["probation"], condition=Q(status="pending"), name="one_pending_transfer_per_probation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_cell} → {self.to_cell or self.destination}"
