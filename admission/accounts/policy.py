"""Who must confirm a sign-in with a second factor, and who may hold an API token at all.

The second factor is required of everyone who approves or decides: the roles listed in
`settings.TWO_FACTOR_ROLES` (by default committee members, standing committee members, organisation-board
officers and administrators), a substitute acting today for someone holding one of them, and staff (the admin site).
Anyone else who has confirmed an authenticator (a cell secretary who opted in) must use it too. The rule is read
per request from the dated roles, so a role that starts today asks for the factor today.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from admission.party import permissions
from admission.party.models.delegations import Delegation
from admission.party.models.people import Person
from admission.party.models.roles import Role
from admission.party.models.users import User


def two_factor_roles() -> tuple[str, ...]:
    return tuple(getattr(settings, "TWO_FACTOR_ROLES", ()))


def _decides(user: Any, day: date) -> bool:
    """A listed role held that day, or a delegation that day from someone holding one at the delegation's org.
    The roles and delegations are those the permission checks read (once per request: `permissions.held_roles`)."""
    kinds = two_factor_roles()
    if any(role.kind in kinds for role in permissions.held_roles(user, on=day)):
        return True
    return any(
        Role.objects.filter(user_id=d.from_user_id, org_id=d.org_id, kind__in=kinds).active_on(day).exists()
        for d in permissions.held_delegations(user, on=day)
    )


def needs_second_factor_by_duty(user: Any, *, on: date | None = None) -> bool:
    """True when the user's duties require the second factor (they cannot opt out)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser) or _decides(user, on or timezone.localdate())


def needs_second_factor(user: Any, *, on: date | None = None) -> bool:
    """True when `user` may use the site only after a second factor: by duty, or opted in."""
    if needs_second_factor_by_duty(user, on=on):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_standing(user: Any, *, on: date | None = None) -> bool:
    """True while the login has a reason to use the API: a role that has not ended (current or starting later), a
    delegation that has not ended, a person record of its own (a candidate's portal), or the superuser flag. A
    login whose roles have all ended has none, and its tokens stop working at once."""
    if user.is_superuser:
        return True
    day = on or timezone.localdate()
    role = Role.objects.filter(user=OuterRef("pk")).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
    delegation = Delegation.objects.filter(to_user=OuterRef("pk"), revoked_at__isnull=True, ends_on__gt=day)
    person = Person.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(pk=user.pk).filter(Q(Exists(role)) | Q(Exists(delegation)) | Q(Exists(person))).exists()
