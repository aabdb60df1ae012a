"""Meetings and votes (domain.md §3 row 7; 294-QĐ/TW §9.3.2; Charter Art. 4.3).

A meeting keeps the roster as it stood on its date (a snapshot: later transfers must not change a past vote), who
attended and why others were absent. A vote is about one candidate; its denominator and threshold are computed by
the engine from the rule set and stored with the result, so a printed resolution can always be reproduced.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.rules.compute import cell_vote_denominator
from admission.rules.models.rulesets import RuleSet, VoteBody
from admission.sourcing.models.candidates import Candidate


class MeetingPurpose(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    RECOGNITION = "recognition", _("Recognition as official member")


class Meeting(models.Model):
    org = models.ForeignKey(PartyOrg, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="meetings")
    body = models.CharField(_("voting body"), max_length=40, choices=VoteBody.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=MeetingPurpose.choices)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    # For a cell: the official members who count, after the adjustments of 294-QĐ/TW §9.3.2, as on `held_on`.
    # For a committee: all its members on that date, entered by the secretary (committee rosters are not kept here).
    members_total = models.PositiveSmallIntegerField(_("members"))
    official_members = models.PositiveSmallIntegerField(_("official members"))
    probationary_members = models.PositiveSmallIntegerField(_("probationary members"), default=0)
    temporarily_transferred = models.PositiveSmallIntegerField(_("temporarily transferred away"), default=0)
    exempted = models.PositiveSmallIntegerField(_("exempted from activities"), default=0)
    exempted_present = models.PositiveSmallIntegerField(_("exempted members who attended"), default=0)
    present = models.PositiveSmallIntegerField(_("present"))
    roster = models.JSONField(_("roster snapshot"), default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "org"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.org} {self.held_on:%d/%m/%Y}"

    @property
    def denominator(self) -> int:
        """Who the threshold is counted against (for a cell: official members, less those transferred away and the
        exempted members who stayed away; never the probationary members)."""
        if self.body == VoteBody.CELL:
            return cell_vote_denominator(
                official=self.official_members,
                temporarily_transferred=self.temporarily_transferred,
                exempted=self.exempted,
                exempted_present=self.exempted_present,
            )
        return self.members_total


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    official = models.BooleanField(_("official member"))
    # A member of another cell taking part in this cell's meetings: on the roster, never counted nor voting.
    guest = models.BooleanField(_("guest"), default=False)
    present = models.BooleanField(_("present"))
    absence_reason = models.CharField(_("reason for absence"), max_length=255, blank=True)

    class Meta:
        ordering = ["meeting", "name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return self.name


class Vote(models.Model):
    """One candidate, one vote (the regulations forbid voting on several people at once)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="votes")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    votes_for = models.PositiveSmallIntegerField(_("in favour"))
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    denominator = models.PositiveSmallIntegerField(_("counted against"))
    needed = models.PositiveSmallIntegerField(_("votes needed"))
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "candidate"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "candidate"], name="one_vote_per_candidate_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.candidate.code}: {self.votes_for}/{self.denominator}"

    @property
    def percent(self) -> float:
        return round(self.votes_for * 100 / self.denominator, 2) if self.denominator else 0.0
