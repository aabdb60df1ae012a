"""Notifications, each user's choices about them, escalations of overdue tasks, and delegations of authority.

A notification is unique per (user, key): the key names the event ("task:12:overdue:2026-05-28"), so a scan that
runs every few minutes creates each notification once however often it runs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from admission.party.models.orgs import PartyOrg
from admission.sourcing.models.candidates import Candidate


class NotificationKind(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", _("A new task for my organisation")
    DEADLINE_APPROACHING = "deadline_approaching", _("A deadline is approaching")
    OVERDUE = "overdue", _("A task is overdue")
    ESCALATED = "escalated", _("An overdue task was escalated to my organisation")
    DECISION_MADE = "decision_made", _("An admission decision was made")
    CEREMONY_SCHEDULED = "ceremony_scheduled", _("An admission ceremony is to be organised")
    CEREMONY_RECORDED = "ceremony_recorded", _("An admission ceremony was held")
    PROBATION_ENDING = "probation_ending", _("A probation is ending")
    DELEGATION = "delegation", _("Someone named me as their substitute")


class Delivery(models.TextChoices):
    DIGEST = "digest", _("In the daily digest")
    IMMEDIATE = "immediate", _("At once")


class Language(models.TextChoices):
    VIETNAMESE = "vi", _("Vietnamese")
    ENGLISH = "en", _("English")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    key = models.CharField(_("event key"), max_length=120)
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("case"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    task_id = models.BigIntegerField(_("task"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=255, blank=True)
    shown = models.BooleanField(_("shown in the notification centre"), default=True)
    delivery = models.CharField(_("email"), max_length=12, blank=True)  # Delivery, or "" for no email
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event")]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["delivery", "emailed_at"], name="notification_to_email"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.title}"


class NotificationPreference(models.Model):
    """One user's choice for one kind; without a row: shown in the centre and emailed in the daily digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    in_app = models.BooleanField(_("in the notification centre"), default=True)
    email = models.BooleanField(_("by email"), default=True)
    delivery = models.CharField(_("when"), max_length=12, choices=Delivery.choices, default=Delivery.DIGEST)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"


class NotificationSettings(models.Model):
    """The language a user's emails are written in (Vietnamese unless they chose English)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.VIETNAMESE)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user} — {self.language}"


class Escalation(models.Model):
    """An open task left overdue too long, reported to the superior of the body that had to act (once per task)."""

    task_id = models.BigIntegerField(_("task"), unique=True)
    candidate = models.ForeignKey(Candidate, verbose_name=_("case"), on_delete=models.CASCADE, related_name="+")
    from_org = models.ForeignKey(
        PartyOrg, verbose_name=_("body that had to act"), on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(PartyOrg, verbose_name=_("superior body"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due by"))
    escalated_on = models.DateField(_("escalated on"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-escalated_on", "-pk"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self) -> str:
        return f"{self.candidate.code}: {self.from_org} → {self.to_org}"
