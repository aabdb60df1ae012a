"""What signing in keeps beside django-otp's devices: API tokens (one per device, expiring, revocable) and the
browsers a person asked to remember after the second factor. Both keep only a hash of their secret."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LiveQuerySet(models.QuerySet):
    def live(self) -> LiveQuerySet:
        """Not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A key a program sends as `Authorization: Token <key>`: one per device, named by its owner, with an expiry.
    The key is shown once, when it is issued; only its SHA-256 is stored (the key is 256 random bits, so a plain
    hash is enough)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("device"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("begins with"), max_length=8, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="accounts_token_user_live")]

    def __str__(self) -> str:
        return f"{self.user} — {self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class TrustedBrowser(models.Model):
    """A browser where its owner ticked "remember this device for 30 days" after the second factor. The browser
    holds a signed, HttpOnly cookie naming this row and a random secret; the row holds the secret's hash, so
    revoking the row (or deleting the person's authenticator) ends the trust at once, wherever the cookie is."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="trusted_browsers"
    )
    label = models.CharField(_("browser"), max_length=200, blank=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("remembered browser")
        verbose_name_plural = _("remembered browsers")
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created")), name="trusted_browser_expires")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.label or '?'}"
