"""The history chain and the personal-data read log.

`HistoryEntry` rows are written once and never changed: the model and its queryset refuse updates and deletes
(the guard on every database), and on PostgreSQL a trigger refuses them in SQL too (`append_only`, installed by the
migration through django-pgtrigger). The chain has no foreign keys on purpose: a deleted user or record must not
cascade into it (`SET NULL` would be an UPDATE), and an entry names its record by label and key instead.
"""

from __future__ import annotations

from typing import Any

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admission.party.models.people import Person
from admission.sourcing.models.candidates import Candidate

GENESIS = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a history entry."""


class HistoryEntryQuerySet(models.QuerySet["HistoryEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("History entries are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("History entries are append-only.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("History entries are append-only.")


class HistoryEntry(models.Model):
    """One link of the chain: what happened to one record (its key fields as they were), who did it, when, and the
    hash of all that with the previous entry's hash (`admission.audit.chain`)."""

    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    kind = models.CharField(_("kind"), max_length=30)
    record = models.CharField(_("record"), max_length=120)  # "<app_label>.<model>:<pk>"
    actor_id = models.BigIntegerField(_("by (user id)"), null=True, blank=True)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    data = models.JSONField(_("key fields"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = HistoryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        indexes = [models.Index(fields=["record", "seq"], name="historyentry_record_seq")]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.record}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("History entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("History entries are append-only.")


class ReadKind(models.TextChoices):
    PERSON = "person", _("Personal details")
    CASE = "case", _("Case")
    DOSSIER = "dossier", _("Admission dossier")
    CV = "cv", _("CV and relatives")
    SCAN = "scan", _("Scan")
    DOCUMENT = "document", _("Form or dossier PDF")
    PROBATION = "probation", _("Probation")
    HISTORY = "history", _("Case history")
    EXPORT = "export", _("Export with citizen IDs")


class PersonalDataRead(models.Model):
    """Someone read a person's personal data: who, when, what, through which address, from which page, and why
    (exports carrying citizen IDs ask for the reason)."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("login"), max_length=150)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(_("what"), max_length=20, choices=ReadKind.choices)
    via_api = models.BooleanField(_("through the API"), default=False)
    view_name = models.CharField(_("page"), max_length=200)
    path = models.CharField(_("address"), max_length=500)
    referer = models.CharField(_("from the page"), max_length=500, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data read")
        verbose_name_plural = _("personal data reads")
        indexes = [models.Index(fields=["person", "-at"], name="personaldataread_person_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.get_what_display()} {self.at:%d/%m/%Y %H:%M}"
