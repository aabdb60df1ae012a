"""A person's earlier party membership and how it ended (re-admission, domain.md §2.6; 294-QĐ/TW §3.5).

One row per earlier membership. How it ended is a fixed list, each with its consequence for a re-admission: never
re-admitted, or re-admitted after a waiting period counted from leaving (or, after a conviction, from the day the
record was expunged). The numbers of months are rule-set values (`readmission_wait_months`,
`readmission_after_expunged_months`, `readmission_max_times`); only the list and its consequences live here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.party.models.people import Person


class LeavingReason(models.TextChoices):
    """How an earlier membership ended (294-QĐ/TW §3.5)."""

    REMOVED = "removed", _("Removed from the list (xóa tên)")
    FAMILY_REASONS = "family_reasons", _("Left on request for justified family reasons")
    CONVICTED_LESS_SERIOUS = "convicted_less_serious", _("Convicted of a less serious offence (record expunged)")
    FAMILY_PLANNING = "family_planning", _("Removed for violating the population policy")
    ABANDONED_ACTIVITY = "abandoned_activity", _("Abandoned party activity")
    REQUESTED_TO_LEAVE = "requested_to_leave", _("Asked to leave the party")
    DISUNITY = "disunity", _("Caused serious internal disunity")
    EXPELLED_CORRUPTION = "expelled_corruption", _("Expelled for corruption or serious violations")
    SERIOUS_CRIME = "serious_crime", _("Convicted of a serious crime")
    OTHER = "other", _("Other")


class Consequence(models.TextChoices):
    NEVER = "never", _("Never re-admitted")
    WAIT_FROM_LEAVING = "wait_from_leaving", _("Waiting period counted from leaving")
    WAIT_FROM_EXPUNGED = "wait_from_expunged", _("Waiting period counted from the expungement of the conviction")
    SEPARATE_RULES = "separate_rules", _("The Secretariat's separate rules (waiting period counted from leaving)")


# 294-QĐ/TW §3.5: the never-re-admitted categories (the first three confirmed, the last two recalled [R]); a less
# serious conviction waits from the expungement; a population-policy removal follows the Secretariat's own rules.
CONSEQUENCES: dict[str, str] = {
    LeavingReason.REMOVED: Consequence.WAIT_FROM_LEAVING,
    LeavingReason.FAMILY_REASONS: Consequence.WAIT_FROM_LEAVING,
    LeavingReason.CONVICTED_LESS_SERIOUS: Consequence.WAIT_FROM_EXPUNGED,
    LeavingReason.FAMILY_PLANNING: Consequence.SEPARATE_RULES,
    LeavingReason.ABANDONED_ACTIVITY: Consequence.NEVER,
    LeavingReason.REQUESTED_TO_LEAVE: Consequence.NEVER,
    LeavingReason.DISUNITY: Consequence.NEVER,
    LeavingReason.EXPELLED_CORRUPTION: Consequence.NEVER,
    LeavingReason.SERIOUS_CRIME: Consequence.NEVER,
    LeavingReason.OTHER: Consequence.WAIT_FROM_LEAVING,
}
NEVER_READMIT = frozenset(r for r, c in CONSEQUENCES.items() if c == Consequence.NEVER)


class EarlierMembership(models.Model):
    """A membership that ended before the person's present candidacy. `was_readmission` marks a membership that was
    itself a re-admission (the lifetime maximum counts them)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="earlier_memberships"
    )
    # Unknown only on rows carried over from the re-admission facts of earlier releases; screens require it.
    admitted_on = models.DateField(_("earlier admission date"), null=True, blank=True)
    official_on = models.DateField(_("earlier official member since"), null=True, blank=True)
    left_on = models.DateField(_("left the party on"))
    how_left = models.CharField(_("how the membership ended"), max_length=30, choices=LeavingReason.choices)
    conviction_expunged_on = models.DateField(_("conviction expunged on"), null=True, blank=True)
    was_readmission = models.BooleanField(_("that membership was itself a re-admission"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "left_on"]
        verbose_name = _("earlier membership")
        verbose_name_plural = _("earlier memberships")

    def __str__(self) -> str:
        return f"{self.person}: {self.left_on:%d/%m/%Y} {self.get_how_left_display()}"

    @property
    def consequence(self) -> str:
        return CONSEQUENCES.get(self.how_left, Consequence.WAIT_FROM_LEAVING)

    def get_consequence_display(self) -> str:
        return str(Consequence(self.consequence).label)

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.admitted_on and self.left_on and self.left_on < self.admitted_on:
            errors["left_on"] = _("The leaving date cannot be before the admission date.")
        if self.official_on and self.admitted_on and self.official_on < self.admitted_on:
            errors["official_on"] = _("The official date cannot be before the admission date.")
        if self.official_on and self.left_on and self.official_on > self.left_on:
            errors["official_on"] = _("The official date cannot be after the leaving date.")
        if self.how_left == LeavingReason.CONVICTED_LESS_SERIOUS and self.conviction_expunged_on is None:
            errors["conviction_expunged_on"] = _("Give the date the conviction was expunged.")
        if self.conviction_expunged_on and self.left_on and self.conviction_expunged_on < self.left_on:
            errors["conviction_expunged_on"] = _("The expungement cannot be before the leaving date.")
        if self.person_id and self.admitted_on and self.person.date_of_birth >= self.admitted_on:
            errors["admitted_on"] = _("The admission date must be after the date of birth.")
        if errors:
            raise ValidationError(errors)


def readmissions_so_far(memberships: list[EarlierMembership]) -> int:
    """How many times the person has been re-admitted: every earlier membership flagged as a re-admission, and every
    earlier membership but one of those not flagged (the first admission)."""
    flagged = sum(m.was_readmission for m in memberships)
    return flagged + max(len(memberships) - flagged - 1, 0)
