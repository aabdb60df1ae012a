"""Versioned rule sets: every number and choice of the regulations, as data with effective dates.

A case snapshots the rule set in force on the day it opens (`RuleSet.in_force_on`); a later rule set marked
`applies_to_open_cases` takes over for the steps taken on or after its effective date (a transitional provision).
A rule set that a case has used is locked: change the rules by adding a new version, never by editing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.rules.calendar import CountFrom


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    TO_VERIFY = "to_verify", _("In force, to verify against the primary text")


class AgeCounting(models.TextChoices):
    # domain.md §2.1: "counted by months" is undefined; by default the day of the month is ignored.
    BY_MONTH = "by_month", _("By calendar month (day ignored)")
    STRICT_BY_DAY = "strict_by_day", _("Strictly by day (full months)")


class VoteBody(models.TextChoices):
    CELL = "cell", _("Party cell")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots committee (proposal)")
    AUTHORISED_GRASSROOTS_COMMITTEE = "authorised_grassroots_committee", _("Grassroots committee authorised to admit")
    STANDING_COMMITTEE = "standing_committee", _("Standing committee")
    PROVINCIAL_STANDING_BODY = "provincial_standing_body", _("Provincial standing office")


class VoteBasis(models.TextChoices):
    # domain.md §3 row 7: official members, less those temporarily transferred elsewhere and absent exempted members.
    OFFICIAL_MEMBERS_ADJUSTED = "official_members_adjusted", _("Official members, less transferred and absent exempted")
    ALL_COMMITTEE_MEMBERS = "all_committee_members", _("All members of the committee")
    PRESENT_MEMBERS = "present_members", _("Members present")


class DeadlineStep(models.TextChoices):
    ADMISSION_DECISION = "admission_decision", _("Admission decision")
    ADMISSION_DECISION_EXTENSION = "admission_decision_extension", _("Extension of the admission decision")
    CEREMONY = "ceremony", _("Admission ceremony")
    RECOGNITION_CELL = "recognition_cell", _("Cell's recognition meeting")
    RECOGNITION_DECISION = "recognition_decision", _("Recognition decision")
    RECOGNITION_DECISION_EXTENSION = "recognition_decision_extension", _("Extension of the recognition decision")
    TRANSFER = "transfer", _("Party transfer after a move")
    DEFAULT_TASK = "default_task", _("Any step without its own deadline")


class DeadlineStart(models.TextChoices):
    CELL_RESOLUTION = "cell_resolution", _("the cell's resolution")
    DECISION_RECEIVED = "decision_received", _("receipt of the decision")
    DECISION_ISSUED = "decision_issued", _("issuance of the decision")
    PROBATION_END = "probation_end", _("the end of probation")
    DEADLINE_END = "deadline_end", _("the end of the original deadline")
    MOVE = "move", _("the move")
    TASK_CREATED = "task_created", _("the task's creation")


class DocumentKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Awareness-course certificate (CN-NTVĐ)")
    CURRICULUM = "curriculum", _("CV (2-KNĐ) and verification documents")
    INTRODUCTION = "introduction", _("Introduction (3-KNĐ)")
    MASS_ORG_RESOLUTION = "mass_org_resolution", _("Youth Union / trade-union resolution (4-KNĐ)")
    OPINIONS = "opinions", _("Compiled opinions (5-KNĐ)")
    APPLICATION = "application", _("Application (1-KNĐ)")


def default_probation_reminder_days() -> list[int]:
    return [90, 60, 30, 15, 7]


def validate_reminder_days(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, int) and 0 < v <= 366 for v in value):
        raise ValidationError(_("Give a list of whole numbers of days between 1 and 366."))


class RuleSet(models.Model):
    code = models.CharField(_("code"), max_length=60, unique=True, help_text=_("e.g. 294-QĐ/TW"))
    name = models.CharField(_("name"), max_length=255)
    regulation = models.TextField(_("regulations implemented"), help_text=_("Numbers and dates of the texts."))
    effective_from = models.DateField(_("effective from"), unique=True)
    status = models.CharField(_("status"), max_length=20, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    applies_to_open_cases = models.BooleanField(
        _("applies to cases already open"),
        default=False,
        help_text=_("Tick when the new text says its rules apply to the steps still to come in running cases."),
    )
    notes = models.TextField(_("notes and points to verify"), blank=True)
    locked = models.BooleanField(_("locked"), default=False, editable=False)

    # Eligibility (domain.md §2.1, §2.2)
    min_age_months = models.PositiveIntegerField(_("minimum age (months)"), default=216)
    max_age_months = models.PositiveIntegerField(_("maximum age without provincial consent (months)"), default=720)
    age_counting = models.CharField(_("age counting"), max_length=20, choices=AgeCounting.choices, default="by_month")
    min_education = models.CharField(_("minimum general education"), max_length=30, default="lower_secondary")
    hardship_min_education = models.CharField(
        _("minimum education in hardship areas"), max_length=30, default="primary"
    )
    elder_min_education = models.CharField(
        _("minimum education for village elders (with consent)"), max_length=30, default="literate"
    )
    # Introducers (domain.md §2.4)
    introducers_required = models.PositiveSmallIntegerField(_("introducers required"), default=2)
    introducer_cowork_months = models.PositiveSmallIntegerField(_("months worked or lived together"), default=12)
    # Probation and recognition (domain.md §5)
    probation_months = models.PositiveSmallIntegerField(_("probation (months)"), default=12)
    recognition_max_inconclusive_votes = models.PositiveSmallIntegerField(
        _("inconclusive recognition votes before escalation"), default=3
    )
    # Not a regulation: the alert lead times secretaries ask for (domain.md §8), in calendar days before the end.
    probation_reminder_days = models.JSONField(
        _("reminders before probation ends (days)"),
        default=default_probation_reminder_days,
        validators=[validate_reminder_days],
        help_text=_("Calendar days before the end of probation, e.g. [90, 60, 30, 15, 7]."),
    )
    # Re-admission (domain.md §2.6)
    readmission_wait_months = models.PositiveSmallIntegerField(
        _("months since leaving before re-admission"), default=36
    )
    readmission_after_expunged_months = models.PositiveSmallIntegerField(
        _("months after a conviction is expunged"), default=60
    )
    readmission_max_times = models.PositiveSmallIntegerField(_("re-admissions allowed in a lifetime"), default=1)
    # Guests of a cell (a member taking part in another cell's meetings): never counted in its votes; whether they
    # may help a candidate or introduce an applicant there is a choice of each rule set.
    guests_may_help_or_introduce = models.BooleanField(
        _("a cell's guests may help candidates and introduce applicants there"), default=False
    )
    # Working days (domain.md §3)
    count_from = models.CharField(
        _("working days are counted from"), max_length=20, choices=CountFrom.choices, default=CountFrom.NEXT_DAY
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self) -> str:
        return f"{self.code} ({self.effective_from:%d/%m/%Y})"

    @classmethod
    def in_force_on(cls, day: date) -> RuleSet:
        """The published rule set with the latest effective date on or before `day`."""
        found = (
            cls.objects.exclude(status=RuleSetStatus.DRAFT)
            .filter(effective_from__lte=day)
            .order_by("-effective_from")
            .first()
        )
        if found is None:
            raise RuleSet.DoesNotExist(f"No rule set is in force on {day:%d/%m/%Y}.")
        return found

    def clean(self) -> None:
        if self.min_age_months >= self.max_age_months:
            raise ValidationError(_("The minimum age must be below the maximum age."))

    def _rows(self, relation: str) -> list[Any]:
        """A child table's rows, read once per instance (Django's prefetch cache: `refresh_from_db` and the related
        manager's own writes clear it), so that checking a case's papers reads the validity rules once, not once a
        paper."""
        from admission.core.request_cache import per_request

        def read() -> list[Any]:
            if relation not in getattr(self, "_prefetched_objects_cache", {}):
                models.prefetch_related_objects([self], relation)
            return list(getattr(self, relation).all())

        # Shared by every instance of this rule set within a request (a write to the rules spoils it).
        return per_request(("rule_rows", self.pk, relation), read) if self.pk else read()

    def vote_rule(self, body: str) -> VoteRule:
        for rule in self._rows("vote_rules"):
            if rule.body == body:
                return rule
        raise ValidationError(_("Rule set %(code)s has no vote rule for %(body)s.") % {"code": self.code, "body": body})

    def deadline(self, step: str) -> DeadlineRule:
        for rule in self._rows("deadline_rules"):
            if rule.step == step:
                return rule
        raise ValidationError(_("Rule set %(code)s has no deadline for %(step)s.") % {"code": self.code, "step": step})

    def validity_months(self, kind: str) -> int | None:
        for rule in self._rows("validity_rules"):
            if rule.document == kind:
                return rule.months
        return None

    def as_dict(self) -> dict[str, Any]:
        """Every value of the rule set, children included, in a stable order (for checksums and printing)."""
        scalars = {
            f.name: getattr(self, f.name)
            for f in self._meta.concrete_fields
            if f.name not in {"id", "locked", "notes", "status", "name"}
        }
        scalars["effective_from"] = self.effective_from.isoformat()
        scalars["votes"] = [
            [v.body, v.numerator, v.denominator, v.strictly_more, v.basis] for v in self.vote_rules.order_by("body")
        ]
        scalars["deadlines"] = [[d.step, d.working_days, d.starts_from] for d in self.deadline_rules.order_by("step")]
        scalars["validity"] = [[d.document, d.months] for d in self.validity_rules.order_by("document")]
        return scalars

    def checksum(self) -> str:
        payload = json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


class VoteRule(models.Model):
    """Votes for ≥ (or >, when `strictly_more`) numerator/denominator of the basis pass."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="vote_rules")
    body = models.CharField(_("voting body"), max_length=40, choices=VoteBody.choices)
    numerator = models.PositiveSmallIntegerField(_("numerator"), validators=[MinValueValidator(1)])
    denominator = models.PositiveSmallIntegerField(_("denominator"), validators=[MinValueValidator(1)])
    strictly_more = models.BooleanField(_("strictly more than the fraction"), default=False)
    basis = models.CharField(_("counted against"), max_length=40, choices=VoteBasis.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule_set", "body"], name="one_vote_rule_per_body")]
        verbose_name = _("vote rule")
        verbose_name_plural = _("vote rules")

    def __str__(self) -> str:
        sign = ">" if self.strictly_more else "≥"
        return f"{self.get_body_display()}: {sign} {self.numerator}/{self.denominator}"

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    def passes(self, votes_for: int, basis_count: int) -> bool:
        """Exact integer arithmetic: exactly two thirds passes a ≥ 2/3 rule, one vote fewer does not."""
        if basis_count <= 0:
            return False
        lhs, rhs = votes_for * self.denominator, self.numerator * basis_count
        return lhs > rhs if self.strictly_more else lhs >= rhs

    def votes_needed(self, basis_count: int) -> int:
        """The smallest number of votes in favour that passes."""
        for votes in range(basis_count + 1):
            if self.passes(votes, basis_count):
                return votes
        return basis_count + 1


class DeadlineRule(models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="deadline_rules")
    step = models.CharField(_("step"), max_length=40, choices=DeadlineStep.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"), validators=[MaxValueValidator(1000)])
    starts_from = models.CharField(_("counted from"), max_length=30, choices=DeadlineStart.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule_set", "step"], name="one_deadline_per_step")]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.working_days}"


class DocumentValidityRule(models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="validity_rules")
    document = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    months = models.PositiveSmallIntegerField(_("valid for (months)"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule_set", "document"], name="one_validity_per_document")]
        verbose_name = _("document validity rule")
        verbose_name_plural = _("document validity rules")

    def __str__(self) -> str:
        return f"{self.get_document_display()}: {self.months}"
