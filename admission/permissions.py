"""Who may see or act on what, by org scope.

A user's scope is the union of the current subtrees of the orgs where they hold a role today. Everything outside
it does not exist for them: access helpers raise Http404, never 403, so that an outsider cannot probe for codes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from admission.models import PartyOrg, Role, RoleKind


def today() -> date:
    return timezone.localdate()


def active_roles(user: Any, *, on: date | None = None) -> QuerySet[Role]:
    if not getattr(user, "is_authenticated", False):
        return Role.objects.none()
    return Role.objects.filter(user=user).active_on(on or today()).select_related("org")


def user_unit_paths(user: Any, *, on: date | None = None) -> list[str]:
    """Paths of the orgs the user holds a role at, with nested ones folded into their ancestor."""
    paths = sorted({role.org.path for role in active_roles(user, on=on)})
    folded: list[str] = []
    for path in paths:
        if not any(path.startswith(kept) for kept in folded):
            folded.append(path)
    return folded


def sees_everything(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


def scope_q(user: Any, *, field: str = "path", on: date | None = None) -> Q:
    """A Q that keeps rows whose org path (at `field`) lies in the user's scope. Matches nothing when out of scope."""
    if sees_everything(user):
        return Q()
    paths = user_unit_paths(user, on=on)
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def orgs_in_scope(user: Any, *, on: date | None = None) -> QuerySet[PartyOrg]:
    return PartyOrg.objects.filter(scope_q(user, on=on))


def can_view_org(user: Any, org: PartyOrg) -> bool:
    return orgs_in_scope(user).filter(pk=org.pk).exists()


def can_act_for_org(user: Any, org: PartyOrg, *, on: date | None = None) -> bool:
    """Acting (voting, deciding, advancing a step) needs a role at that org itself, not only at an ancestor."""
    if sees_everything(user):
        return True
    return active_roles(user, on=on).filter(org=org).exclude(kind=RoleKind.ADMINISTRATOR).exists()


def require_act_for_org(user: Any, org: PartyOrg) -> None:
    """Services call this before a write: PermissionDenied, with the org named, unless the user acts for it."""
    if not can_act_for_org(user, org):
        raise PermissionDenied(_("You do not act for %(org)s.") % {"org": org})


def can_administer(user: Any) -> bool:
    return sees_everything(user) or active_roles(user).filter(kind=RoleKind.ADMINISTRATOR).exists()


def get_org_or_404(user: Any, pk: int | str) -> PartyOrg:
    try:
        return orgs_in_scope(user).get(pk=pk)
    except (PartyOrg.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
