"""The public status lookup: a case code plus a second factor (the receipt's PIN, or the date of birth) gives the
case's stage and its dates, and nothing else.

Three promises, each tested:
- **No oracle.** An unknown code and a known code with a wrong answer take the same path: one query for the case
  (it may come back empty), exactly one PIN check (`pin_check`, a keyed hash: `portal.pins`; against a fixed dummy
  when there is no case or no PIN), the same failure recorded, the same response. So neither the answer nor, in
  any obvious way, its timing says whether a code exists. (A PIN issued before the keyed form is checked with the
  slower password hash until its first right answer re-keeps it: until then its timing differs.)
- **Rate limit.** At most `LIMIT_PER_CODE` wrong answers for one code from one client address, and
  `LIMIT_PER_CLIENT` for all codes from one address, in any `WINDOW`; past that the lookup is refused without
  checking anything until the oldest counted failure leaves the window. The counters live in the database (shared
  by every web process and host) and count failures whether or not the code exists. Counting is atomic: an
  attempt is recorded *before* its answer is checked, under a lock per client address, so that simultaneous
  guesses cannot all pass the check before any of them is counted (40 parallel guesses get exactly 5 checks); a
  right answer then takes its attempt back.
- **Nothing personal kept.** A failure is stored under a keyed hash (Django's `salted_hmac` with SECRET_KEY) of
  the client address and the code, never the address itself, and rows older than the window are deleted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from admission.sourcing.models.candidates import Candidate
from portal.models import LookupAttempt, LookupPin
from portal.pins import pin_hash, pin_is_current, pin_matches

WINDOW = timedelta(minutes=15)
LIMIT_PER_CODE = 5
LIMIT_PER_CLIENT = 20


def normalise_code(raw: str) -> str:
    """Codes are typed by hand or read from a QR code: spaces dropped, upper case ("kn-2026-000123" works)."""
    return "".join(raw.split()).upper()


def _dummy_hash() -> str:
    """A keyed hash of nothing anyone can type: checking a PIN against it costs what checking a real PIN costs."""
    return pin_hash(0, "no-such-pin-\u2400")


def pin_check(candidate_id: int, pin: str, stored: str) -> bool:
    return pin_matches(candidate_id, pin, stored)


def _key(*parts: str) -> str:
    return salted_hmac("portal.lookup", "|".join(parts)).hexdigest()


def _keys(client: str, code: str) -> list[tuple[str, int]]:
    return [(_key("code", client, code), LIMIT_PER_CODE), (_key("client", client), LIMIT_PER_CLIENT)]


Keys = list[tuple[str, int]]


def blocked_until(
    *, client: str, code: str = "", keys: Keys | None = None, now: datetime | None = None
) -> datetime | None:
    """When the client may try this code again (or try again at all, for other `keys`), or None if it may now."""
    now = now or timezone.now()
    until: datetime | None = None
    for key, limit in keys if keys is not None else _keys(client, code):
        recent = list(
            LookupAttempt.objects.filter(key=key, at__gt=now - WINDOW)
            .order_by("-at")
            .values_list("at", flat=True)[:limit]
        )
        if len(recent) >= limit:
            free_at = recent[limit - 1] + WINDOW
            until = free_at if until is None else max(until, free_at)
    return until


def _lock_client(client: str) -> None:
    """Hold a lock on this client address until the transaction ends, so that its attempts are counted one after
    the other. PostgreSQL: a transaction-level advisory lock on a number derived from the keyed client hash.
    SQLite (development) lets one writer at a time into the database, which serialises the insert already."""
    if connection.vendor != "postgresql":
        return
    number = int.from_bytes(hashlib.sha256(_key("lock", client).encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def reserve_attempt(
    *, client: str, code: str = "", keys: Keys | None = None, now: datetime | None = None
) -> tuple[datetime | None, list[int]]:
    """Count this attempt as a failure before its answer is checked, unless the client is blocked already.

    The counters are the lookup's (this code and all codes from the client) unless `keys` names others, each with
    its limit (the verification page counts its checks so). Returns (blocked until, []) or (None, the ids of the
    rows recorded), atomically per client address.
    """
    now = now or timezone.now()
    keys = keys if keys is not None else _keys(client, code)
    with transaction.atomic():
        _lock_client(client)
        until = blocked_until(client=client, keys=keys, now=now)
        if until is not None:
            return until, []
        rows = LookupAttempt.objects.bulk_create([LookupAttempt(key=key, at=now) for key, _limit in keys])
    return None, [row.pk for row in rows]


def prune(*, now: datetime) -> None:
    LookupAttempt.objects.filter(at__lte=now - WINDOW).delete()


def record_success(*, client: str, code: str, reserved: list[int] | None = None) -> None:
    """A right answer clears that code's count for the client and takes back the attempt reserved for it (the
    client's count over all codes keeps its earlier failures)."""
    LookupAttempt.objects.filter(key=_key("code", client, code)).delete()
    if reserved:
        LookupAttempt.objects.filter(pk__in=reserved).delete()


@dataclass(frozen=True)
class LookupResult:
    candidate: Candidate | None
    blocked_until: datetime | None = None

    @property
    def found(self) -> bool:
        return self.candidate is not None


def verify(*, code: str, pin: str = "", date_of_birth: date | None = None) -> Candidate | None:
    """The case if the second factor matches, else None — by the same steps whether the code exists or not."""
    candidate = Candidate.objects.select_related("person", "lookup_pin", "rule_set", "cell").filter(code=code).first()
    stored: LookupPin | None = getattr(candidate, "lookup_pin", None) if candidate is not None else None
    kept = stored.pin_hash if stored is not None else _dummy_hash()
    # Always one PIN check, even when the date of birth is the factor, so that both factors cost the same.
    owner = stored.candidate_id if stored is not None else 0
    pin_ok = pin_check(owner, pin or "-", kept) and stored is not None and bool(pin)
    if stored is not None and pin_ok and not pin_is_current(kept):  # an older PIN is kept in the keyed form from now on
        LookupPin.objects.filter(pk=stored.pk).update(pin_hash=pin_hash(owner, pin))
    born = candidate.person.date_of_birth.isoformat() if candidate is not None else "0000-00-00"
    dob_ok = date_of_birth is not None and constant_time_compare(born, date_of_birth.isoformat())
    return candidate if candidate is not None and (pin_ok or dob_ok) else None


def lookup(*, client: str, code: str, pin: str = "", date_of_birth: date | None = None) -> LookupResult:
    """Check the rate limit and count the attempt, then check the answer; a right answer takes its attempt back
    (an unknown code and a wrong answer stay counted alike)."""
    code = normalise_code(code)
    now = timezone.now()
    until, reserved = reserve_attempt(client=client, code=code, now=now)
    if until is not None:
        return LookupResult(None, until)
    candidate = verify(code=code, pin=pin, date_of_birth=date_of_birth)
    if candidate is None:
        prune(now=now)
        return LookupResult(None)
    record_success(client=client, code=code, reserved=reserved)
    return LookupResult(candidate)
