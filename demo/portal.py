"""Demo data of the portal: a known lookup PIN for the demo candidate's case (login `ungvien.nasa`), so that the
public lookup at /tra-cuu/ can be tried with the case code printed by the seed and this PIN. Idempotent."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from admission.party.models.roles import Role, RoleKind
from admission.party.permissions import today
from admission.sourcing.models.candidates import Candidate
from portal.models import LookupPin
from portal.services import pin_issue

DEMO_LOGIN = "ungvien.nasa"
DEMO_PIN = "246810"


def seed_portal() -> str | None:
    """Issue DEMO_PIN for the latest case of the demo candidate's person, by a secretary of its cell. Returns a line
    for the seed output (the code, the PIN and the address), or None when the demo candidate has no case yet."""
    from portal.pins import pin_is_current, pin_matches

    candidate = (
        Candidate.objects.filter(person__user__username=DEMO_LOGIN)
        .select_related("cell")
        .order_by("-opened_on", "-attempt", "-pk")
        .first()
    )
    if candidate is None:
        return None
    existing = LookupPin.objects.filter(candidate=candidate).first()
    kept = existing.pin_hash if existing is not None else ""
    if not pin_is_current(kept) or not pin_matches(candidate.pk, DEMO_PIN, kept):
        role = (
            Role.objects.filter(org=candidate.cell)
            .exclude(kind=RoleKind.ADMINISTRATOR)
            .active_on(today())
            .order_by("kind", "pk")
            .select_related("user")
            .first()
        )
        issuer = role.user if role else get_user_model().objects.filter(is_superuser=True).first()
        pin_issue(candidate=candidate, by=issuer, pin=DEMO_PIN)
    return f"Tra cứu công khai: /tra-cuu/?ma={candidate.code} — mã PIN {DEMO_PIN} (đăng nhập {DEMO_LOGIN} để xem hồ sơ)"
