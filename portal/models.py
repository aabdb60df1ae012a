"""The lookup PIN of a case (stored only as a hash) and the failed lookups that drive the rate limit.

A `LookupPin` is printed once on the candidate's receipt: the cell issues it (`services.pin_issue`), the plain PIN
is shown on that page and never stored. Issuing again replaces it, so a lost receipt is handled by a new PIN.

A `LookupAttempt` is one failed lookup, kept only for the rate-limit window. Its key is a keyed hash of the client
address (and of the code typed), so the table holds no IP address and no hint of which codes exist.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from admission.sourcing.models.candidates import Candidate


class LookupPin(models.Model):
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="lookup_pin")
    pin_hash = models.CharField(_("PIN (hashed)"), max_length=255)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lookup PIN")
        verbose_name_plural = _("lookup PINs")

    def __str__(self) -> str:
        return f"{self.candidate.code} {self.issued_at:%d/%m/%Y %H:%M}"


class LookupAttempt(models.Model):
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("failed lookup")
        verbose_name_plural = _("failed lookups")
        indexes = [models.Index(fields=["key", "at"], name="portal_attempt_key_at")]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.at:%d/%m/%Y %H:%M}"
