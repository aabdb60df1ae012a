"""The demo's second factor: every demo login that must confirm its sign-in (committee members, the organisation
board, the administrator: admission.accounts.policy) gets an authenticator with one known key, printed by
`seed_demo`, so that a visitor adds that key to an authenticator app once (or runs `manage.py demo_totp` for the
current code) and can sign in as any of them. A real deployment has no such key: `config.settings.prod` leaves the
demo app out."""

from __future__ import annotations

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

from admission.accounts.policy import needs_second_factor_by_duty
from admission.party.models.users import User

DEMO_TOTP_SECRET = "KETN APDA NGVI ENDE MOKE TNAP DANG VIEN"  # base32, as an authenticator app asks for it


def demo_key() -> bytes:
    return b32decode(DEMO_TOTP_SECRET.replace(" ", ""))


def seed_second_factor(usernames: list[str]) -> list[str]:
    """Give the demo key to each of these logins that needs a second factor and has no authenticator yet (a
    visitor who set up their own phone keeps it); returns the logins that need one."""
    needing = []
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        if not needs_second_factor_by_duty(user):
            continue
        needing.append(user.username)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo", confirmed=True, key=demo_key().hex())
    return needing
