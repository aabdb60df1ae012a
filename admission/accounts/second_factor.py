"""The second factor: an authenticator app (TOTP, RFC 6238, django-otp's TOTPDevice), ten single-use recovery codes
(django-otp's StaticDevice), and browsers remembered for `TWO_FACTOR_REMEMBER_DAYS` days.

A session counts as verified when django-otp's session key names one of the user's confirmed devices
(`django_otp.login`); `admission.accounts.middleware` checks that in one place for every page and the API.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from admission.accounts.models import TrustedBrowser

RECOVERY_CODES = 10
REMEMBER_COOKIE = "kn_trusted_browser"
_REMEMBER_SALT = "admission.accounts.remember"
_SETUP_NAME = "authenticator"
_RECOVERY_NAME = "recovery codes"
# Sign-in security events (an authenticator set up or removed, recovery codes, tokens): who, not the secrets.
security_log = logging.getLogger("ketnap.security")


# -- the authenticator -------------------------------------------------------------------------------------------


def authenticator(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any (the newest one)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def setup_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made on the first visit, the same secret until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=_SETUP_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app: base32, in groups of four."""
    raw = b32encode(device.bin_key).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _clean_code(code: str) -> str:
    return "".join((code or "").split()).lower()


@dataclass(frozen=True)
class Enrolled:
    device: TOTPDevice
    recovery_codes: list[str]


@transaction.atomic
def authenticator_confirm(*, request: HttpRequest, code: str) -> Enrolled:
    """Confirm the authenticator being set up with a code it shows: it replaces any earlier one, new recovery codes
    are issued, and this session counts as verified."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(_clean_code(code)):
        raise ValidationError(
            _("This code does not match. Type the 6 digits the app shows now (they change every 30 seconds)."),
            code="otp_mismatch",
        )
    replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()[0]
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=user)
    # A new authenticator (a lost phone, or one reset by the administrator) ends the trust of every browser
    # remembered before it: this one may be remembered again at the next verification.
    browsers_forget(user=user)
    otp_login(request, device)
    security_log.info("authenticator confirmed for user %s (earlier ones removed: %d)", user.pk, replaced)
    return Enrolled(device, codes)


@transaction.atomic
def recovery_codes_issue(*, user: Any) -> list[str]:
    """Ten new single-use recovery codes (the earlier ones stop working). Shown once: only the device keeps them."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=_RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    security_log.info("recovery codes issued for user %s", user.pk)
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def code_match(*, user: Any, code: str) -> Device:
    """The device that accepts `code` (the authenticator's 6 digits, or a recovery code, which is then used up).

    Each device throttles its own failures (django-otp: 1, 2, 4, 8… seconds between tries), and a wrong code counts
    against the account's lockout budget like a wrong password (`failure_count`), which makes guessing hopeless.
    """
    token = _clean_code(code)
    # Six digits go to the authenticator, anything else to the recovery codes, so that a recovery code does not
    # count as a wrong guess against the authenticator (and the other way round).
    kind: type[Device] = TOTPDevice if len(token) == 6 and token.isdigit() else StaticDevice
    with transaction.atomic():
        devices = list(kind.objects.select_for_update().filter(user=user, confirmed=True))
        matched = next((device for device in devices if token and device.verify_token(token)), None)
    if matched is None:
        raise ValidationError(
            _("This code does not match, or too many wrong codes were typed: wait a moment and try again."),
            code="otp_mismatch",
        )
    return matched


def failure_count(*, request: HttpRequest, user: Any) -> None:
    """Count a wrong second-factor code as a failed sign-in of the account (django-axes' budget per account)."""
    user_login_failed.send(__name__, credentials={"username": user.get_username()}, request=request)


def code_verify(*, request: HttpRequest, code: str) -> Device:
    """Check a code for the signed-in user; on success the session counts as verified, on failure it is counted."""
    try:
        device = code_match(user=request.user, code=code)
    except ValidationError:
        failure_count(request=request, user=request.user)
        raise
    otp_login(request, device)
    return device


@transaction.atomic
def authenticator_remove(*, user: Any) -> None:
    """Remove the authenticator, the recovery codes and every remembered browser (a lost phone, or opting out)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    browsers_forget(user=user)
    security_log.info("authenticator, recovery codes and remembered browsers removed for user %s", user.pk)


# -- remembered browsers -----------------------------------------------------------------------------------------


def remember_days() -> int:
    return int(getattr(settings, "TWO_FACTOR_REMEMBER_DAYS", 30))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("CocCoc", "Cốc Cốc"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"))
_SYSTEMS_LAST = (("Mac OS X", "Mac"), ("Linux", "Linux"))


def browser_name(user_agent: str) -> str:
    """A browser as its owner knows it ("Chrome · Android"), from the User-Agent text, which is no name for a person
    to recognise on the security page. Names only, so that the stored label reads the same in every language."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    if not browser and "Safari/" in user_agent:
        browser = "Safari"
    system = next((name for mark, name in (*_SYSTEMS, *_SYSTEMS_LAST) if mark in user_agent), "")
    return " · ".join(part for part in (browser, system) if part)


def browser_remember(*, request: HttpRequest, response: HttpResponse) -> TrustedBrowser:
    """Record this browser as trusted for the user and give it the cookie that proves it."""
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    user: Any = request.user
    browser = TrustedBrowser.objects.create(
        user=user,
        label=browser_name(request.META.get("HTTP_USER_AGENT", ""))[:200],
        secret_hash=_digest(secret),
        created=now,
        expires_at=now + timedelta(days=remember_days()),
    )
    value = signing.dumps({"u": request.user.pk, "b": browser.pk, "s": secret}, salt=_REMEMBER_SALT)
    response.set_cookie(
        REMEMBER_COOKIE,
        value,
        max_age=remember_days() * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return browser


def browser_trusted(request: HttpRequest) -> bool:
    """If the request carries a valid cookie of a live record of this user, and the user still has an
    authenticator, mark the session verified (by that authenticator) and say so."""
    raw = request.COOKIES.get(REMEMBER_COOKIE)
    if not raw:
        return False
    try:
        data = signing.loads(raw, salt=_REMEMBER_SALT, max_age=timedelta(days=remember_days()))
    except signing.BadSignature:
        return False
    if not isinstance(data, dict) or data.get("u") != request.user.pk:
        return False
    browser = TrustedBrowser.objects.live().filter(pk=data.get("b"), user=request.user).first()
    if browser is None or not constant_time_compare(browser.secret_hash, _digest(str(data.get("s", "")))):
        return False
    device = authenticator(request.user)
    if device is None:
        return False
    TrustedBrowser.objects.filter(pk=browser.pk).update(last_used_at=timezone.now())
    otp_login(request, device)
    return True


def browsers_for_user(*, user: Any) -> list[TrustedBrowser]:
    return list(TrustedBrowser.objects.filter(user=user).live())


def browser_forget(*, user: Any, pk: int) -> int:
    return TrustedBrowser.objects.filter(user=user, pk=pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def browsers_forget(*, user: Any) -> int:
    return TrustedBrowser.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
