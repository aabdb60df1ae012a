"""Who may see or act on what, by org scope.

A user's scope is the union of the current subtrees of the orgs where they hold a role today. Everything outside
it does not exist for them: access helpers raise Http404, never 403, so that an outsider cannot probe for codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from admission.core.request_cache import per_request
from admission.party.models.orgs import PartyOrg
from admission.party.models.roles import Role, RoleKind


def today() -> date:
    return timezone.localdate()


def active_roles(user: Any, *, on: date | None = None) -> QuerySet[Role]:
    if not getattr(user, "is_authenticated", False):
        return Role.objects.none()
    return Role.objects.filter(user=user).active_on(on or today()).select_related("org")


def active_delegations(user: Any, *, on: date | None = None) -> QuerySet[Any]:
    """Delegations that make `user` a substitute on that day (notifications.Delegation: dated, not revoked, and the
    delegator still acts for the org). The substitute sees and acts for the org as the delegator would."""
    if not getattr(user, "is_authenticated", False) or not apps.is_installed("notifications"):
        return Role.objects.none()
    from admission.party.models.delegations import Delegation

    return Delegation.objects.filter(to_user=user).active_on(on or today()).select_related("org", "from_user")


def held_roles(user: Any, *, on: date | None = None) -> list[Role]:
    """The user's roles on that day with their orgs, read once per request (`admission.core.request_cache`)."""
    day = on or today()
    return per_request(("roles", getattr(user, "pk", None), day), lambda: list(active_roles(user, on=day)))


def held_delegations(user: Any, *, on: date | None = None) -> list[Any]:
    """The delegations that make the user a substitute that day, in the order they are chosen (earliest first),
    read once per request."""
    day = on or today()
    return per_request(
        ("delegations", getattr(user, "pk", None), day),
        lambda: list(active_delegations(user, on=day).order_by("starts_on", "pk")),
    )


def user_unit_paths(user: Any, *, on: date | None = None) -> list[str]:
    """Paths of the orgs the user holds a role at (or acts for as a substitute), nested ones folded into their
    ancestor."""
    paths = sorted(
        {role.org.path for role in held_roles(user, on=on)}
        | {delegation.org.path for delegation in held_delegations(user, on=on)}
    )
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


# Set by `recording_delegations`: the delegations that granted an act while it is open (fire() names the delegator).
_delegations_used: ContextVar[list[Any] | None] = ContextVar("delegations_used", default=None)


@contextmanager
def recording_delegations() -> Iterator[list[Any]]:
    """Collect the delegations through which `can_act_for_org` allowed something inside the block."""
    used: list[Any] = []
    token = _delegations_used.set(used)
    try:
        yield used
    finally:
        _delegations_used.reset(token)


def acts_in_own_right(user: Any, org: PartyOrg, *, on: date | None = None) -> bool:
    return _acts_in_own_right_pk(user, org.pk, on=on)


def _acts_in_own_right_pk(user: Any, org_pk: int, *, on: date | None = None) -> bool:
    return any(role.org_id == org_pk and role.kind != RoleKind.ADMINISTRATOR for role in held_roles(user, on=on))


def _delegation_to_pk(user: Any, org_pk: int, *, on: date | None = None) -> Any:
    return next((d for d in held_delegations(user, on=on) if d.org_id == org_pk), None)


def delegation_for(user: Any, org: PartyOrg, *, on: date | None = None) -> Any:
    """The active delegation through which `user` acts for `org`, or None (also None when they act in own right)."""
    if acts_in_own_right(user, org, on=on):
        return None
    return _delegation_to_pk(user, org.pk, on=on)


def can_act_for_org(user: Any, org: PartyOrg, *, on: date | None = None) -> bool:
    """Acting (voting, deciding, advancing a step) needs a role at that org itself, not only at an ancestor, or an
    active delegation from someone who holds one."""
    return can_act_for_org_pk(user, org.pk, on=on)


def can_act_for_org_pk(user: Any, org_pk: int, *, on: date | None = None) -> bool:
    """`can_act_for_org` for an org known by its id (a task's acting org): nothing is read beyond the user's roles
    and delegations of the day, which the request memory keeps."""
    if sees_everything(user):
        return True
    if _acts_in_own_right_pk(user, org_pk, on=on):
        return True
    delegation = _delegation_to_pk(user, org_pk, on=on)
    if delegation is None:
        return False
    used = _delegations_used.get()
    if used is not None:
        used.append(delegation)
    return True


def users_acting_for_org(org: PartyOrg, *, on: date | None = None) -> list[Any]:
    """Active users who may act for `org` on that day (acting roles there, substitutes by delegation), by id."""
    return users_acting_for_orgs([org.pk], on=on)[org.pk]


def users_acting_for_orgs(org_ids: Iterable[int], *, on: date | None = None) -> dict[int, list[Any]]:
    """Active users who may act for each org on that day (acting roles there, substitutes by delegation), for many
    orgs at once, three queries for every 500 orgs: org id → its users."""
    from django.contrib.auth import get_user_model

    day = on or today()
    ids = sorted(set(org_ids))
    pairs: set[tuple[int, int]] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        holders = Role.objects.filter(org_id__in=chunk).active_on(day).exclude(kind=RoleKind.ADMINISTRATOR)
        pairs.update(holders.values_list("org_id", "user_id"))
        if apps.is_installed("notifications"):
            from admission.party.models.delegations import Delegation

            pairs.update(Delegation.objects.filter(org_id__in=chunk).active_on(day).values_list("org_id", "to_user_id"))
    user_ids = sorted({user_id for _org, user_id in pairs})
    users: dict[int, Any] = {}
    for start in range(0, len(user_ids), 500):
        found = get_user_model().objects.filter(pk__in=user_ids[start : start + 500], is_active=True)
        users.update((user.pk, user) for user in found)
    result: dict[int, list[Any]] = {org_id: [] for org_id in ids}
    for org_id, user_id in sorted(pairs):
        if user_id in users:
            result[org_id].append(users[user_id])
    return result


def require_act_for_org(user: Any, org: PartyOrg) -> None:
    """Services call this before a write: PermissionDenied, with the org named, unless the user acts for it."""
    if not can_act_for_org(user, org):
        raise PermissionDenied(_("You do not act for %(org)s.") % {"org": org})


def can_administer(user: Any) -> bool:
    return sees_everything(user) or any(role.kind == RoleKind.ADMINISTRATOR for role in held_roles(user))


def get_org_or_404(user: Any, pk: int | str) -> PartyOrg:
    try:
        return orgs_in_scope(user).get(pk=pk)
    except (PartyOrg.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
