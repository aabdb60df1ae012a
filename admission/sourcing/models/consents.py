"""Higher consents: a higher body's written consent that a special case needs (over 60, a literacy exception,
re-admission, political history). They live with the case from its sourcing on, because the eligibility check reads
them for any planned meeting date, and the decision step reads the same records."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from admission.sourcing.models.candidates import Candidate


class ConsentKind(models.TextChoices):
    OVER_AGE = "over_age", _("Over 60: provincial standing committee")
    LITERACY = "literacy", _("Literacy exception: provincial standing committee")
    READMISSION = "readmission", _("Re-admission: provincial standing committee")
    POLITICAL = "political", _("Political history (58-QĐ/TW)")


def consent_upload_to(instance: Consent, filename: str) -> str:
    return f"consents/{instance.candidate_id}/{filename}"


class Consent(models.Model):
    """A higher body's written consent that a special case needs before the decision (domain.md §1.4 item 6)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("kind"), max_length=20, choices=ConsentKind.choices)
    reference = models.CharField(_("document number"), max_length=100)
    granted_on = models.DateField(_("date"))
    granted_by = models.CharField(_("granted by"), max_length=255)
    scan = models.FileField(
        _("scan"), upload_to=consent_upload_to, blank=True, validators=[FileExtensionValidator(["pdf", "jpg", "png"])]
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "kind"]
        verbose_name = _("higher consent")
        verbose_name_plural = _("higher consents")
        constraints = [models.UniqueConstraint(fields=["candidate", "kind"], name="one_consent_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reference}"
