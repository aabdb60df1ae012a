"""API tokens: issued per device with an expiry, listed and revoked by their owner, refused at once when the owner
is deactivated, locked out (django-axes) or left without any role.

The key is `secrets.token_urlsafe(32)` (256 bits); the table keeps its SHA-256 and its first 8 characters (so the
owner can tell their tokens apart). `ApiTokenAuthentication` reads `Authorization: Token <key>`, the header DRF's
own tokens used, so clients keep working after asking for a new token.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from admission.accounts.lockout import account_locked
from admission.accounts.models import ApiToken
from admission.accounts.policy import has_standing

# Written at most this often per token, so that a busy client does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)
MAX_NAME = 100

security_log = logging.getLogger("ketnap.security")  # tokens issued and revoked (never the key)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime() -> timedelta:
    return timedelta(days=int(getattr(settings, "API_TOKEN_DAYS", 30)))


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once, never stored


@transaction.atomic
def token_issue(*, user: Any, name: str, days: int | None = None) -> IssuedToken:
    """A new token for one device of `user`. `days` may shorten the lifetime, never lengthen it."""
    name = " ".join((name or "").split())[:MAX_NAME] or _("Unnamed device")
    longest = token_lifetime()
    lifetime = longest if days is None else timedelta(days=days)
    if lifetime <= timedelta(0) or lifetime > longest:
        raise ValidationError(
            _("A token lasts from 1 to %(days)d days.") % {"days": longest.days}, code="token_lifetime"
        )
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=_hash(key), prefix=key[:8], created=now, expires_at=now + lifetime
    )
    security_log.info("API token %s issued for user %s until %s", token.prefix, user.pk, token.expires_at)
    return IssuedToken(token, key)


def token_list_for_user(*, user: Any) -> QuerySet[ApiToken]:
    """The owner's tokens still in force, newest first."""
    return ApiToken.objects.filter(user=user).live()


@transaction.atomic
def token_revoke(*, user: Any, pk: int) -> ApiToken:
    """Revoke one of the owner's own tokens (someone else's is a 404, as if it did not exist)."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=pk, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    security_log.info("API token %s of user %s revoked", token.prefix, user.pk)
    return token


def token_revoke_all(*, user: Any) -> int:
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    security_log.info("%d API tokens of user %s revoked", revoked, user.pk)
    return revoked


def token_user(key: str) -> tuple[Any, ApiToken] | None:
    """The owner and the token for a presented key, or None when the token is unknown, expired or revoked, or its
    owner may no longer use it (deactivated, locked out, no role)."""
    token = ApiToken.objects.live().select_related("user").filter(key_hash=_hash(key)).first()
    if token is None:
        return None
    user = token.user
    if not user.is_active or account_locked(user.get_username()) or not has_standing(user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user, token


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against `ApiToken`; every refusal is one message (no hint which check failed)."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        found = token_user(key)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return found
