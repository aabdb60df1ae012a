"""How a lookup PIN is kept: a keyed hash, not a password hash.

A PIN is six digits: a million values. A slow password hash (PBKDF2, about 0.25 s of CPU here) does not stop anyone
who holds the database from trying them all, and it let every guess at the public lookup cost the server that much
CPU. The PIN is therefore kept as an HMAC-SHA256 of the case's id and the PIN under a key derived from SECRET_KEY,
which the database does not hold: with the database alone the PINs cannot be tried at all, and a check costs
microseconds. PINs issued before (Django password hashes) still match, and are re-kept in the new form when they do.
Rotating SECRET_KEY keeps the PINs working while the old key is listed in SECRET_KEY_FALLBACKS.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils.crypto import constant_time_compare, salted_hmac

PREFIX = "pin-hmac-sha256$"
_SALT = "portal.lookup_pin"


def _digest(candidate_id: int, pin: str, secret: str | bytes) -> str:
    return salted_hmac(_SALT, f"{candidate_id}|{pin}", secret=secret, algorithm="sha256").hexdigest()


def pin_hash(candidate_id: int, pin: str) -> str:
    """What is stored for the case's PIN."""
    return PREFIX + _digest(candidate_id, pin, settings.SECRET_KEY)


def pin_matches(candidate_id: int, pin: str, stored: str) -> bool:
    """Whether `pin` is the case's PIN. Always the same work for a given `stored` form, match or not."""
    if not stored.startswith(PREFIX):
        return check_password(pin, stored)  # a PIN issued before the keyed form
    wanted = stored[len(PREFIX) :]
    found = False
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        found |= constant_time_compare(_digest(candidate_id, pin, secret), wanted)
    return found


def pin_is_current(stored: str) -> bool:
    return stored.startswith(PREFIX)
