"""Dated roles, and the object permissions that put tasks in the right viewflow queues.

viewflow's queue matches a task's `owner_permission` on an object through django-guardian only; so a user holding
a role at an org today gets `admission.act_for_org` on that org, and loses it when the role ends. Grants are never
global (a global grant would show every task in the country). `sync_role_permissions` runs daily for the roles
whose dates start or end without anyone touching them. A substitute named by an active delegation
(notifications.Delegation) gets the same grant for the delegator's org, for the delegation's dates only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from admission.party.models.orgs import PartyOrg
from admission.party.models.roles import Role, RoleKind
from admission.party.permissions import active_delegations, today

ACT_FOR_ORG = "admission.act_for_org"


@transaction.atomic
def role_assign(*, user: Any, org: PartyOrg, kind: str, starts_on: date, ends_on: date | None = None) -> Role:
    if user.roles.filter(org=org, kind=kind, ends_on__isnull=True, starts_on__lte=starts_on).exists():
        raise ValidationError(_("This user already holds this role at this organisation."))
    if not org.exists_on(starts_on):
        raise ValidationError(_("The organisation does not exist on the start date of the role."))
    role = Role(user=user, org=org, kind=kind, starts_on=starts_on, ends_on=ends_on)
    role.full_clean()
    role.save()
    role_permissions_sync(user=user)
    return role


@transaction.atomic
def role_end(*, role: Role, on: date) -> Role:
    if on <= role.starts_on:
        raise ValidationError(_("The end date must be after the start date."))
    role.ends_on = on
    role.save(update_fields=["ends_on"])
    role_permissions_sync(user=role.user)
    for substitute in _substitutes_of(role.user):  # a delegation lapses with the delegator's role
        role_permissions_sync(user=substitute)
    return role


def _substitutes_of(user: Any) -> Any:
    from django.apps import apps

    if not apps.is_installed("notifications"):
        return []
    from admission.party.models.delegations import Delegation

    ids = Delegation.objects.filter(from_user=user, revoked_at__isnull=True).values("to_user_id")
    return get_user_model().objects.filter(pk__in=ids)


def role_permissions_sync(*, user: Any, on: date | None = None) -> tuple[int, int]:
    """Make the user's `act_for_org` grants equal the orgs of their active acting roles and of the active delegations
    naming them as substitute. Returns (added, removed)."""
    day = on or today()
    wanted = set(
        Role.objects.filter(user=user)
        .active_on(day)
        .exclude(kind=RoleKind.ADMINISTRATOR)
        .values_list("org_id", flat=True)
    ) | {delegation.org_id for delegation in active_delegations(user, on=day)}
    have = set(
        get_objects_for_user(user, ACT_FOR_ORG, klass=PartyOrg, use_groups=False, with_superuser=False).values_list(
            "pk", flat=True
        )
    )
    added = wanted - have
    removed = have - wanted
    for org in PartyOrg.objects.filter(pk__in=added):
        assign_perm(ACT_FOR_ORG, user, org)
    for org in PartyOrg.objects.filter(pk__in=removed):
        remove_perm(ACT_FOR_ORG, user, org)
    _sync_administrator(user, day)
    return len(added), len(removed)


ADMINISTRATORS_GROUP = "Quản trị hệ thống"
# Administrators maintain reference data in the admin; cases and votes are never edited there.
_ADMIN_MODELS = (
    "partyorg",
    "admissionauthority",
    "ruleset",
    "voterule",
    "deadlinerule",
    "documentvalidityrule",
    "calendaroverride",
    "person",
    "membership",
    "memberexemption",
    "role",
    "user",
    "awarenesscourse",
    "sourcingplan",
    "plantarget",
)


def administrators_group() -> Group:
    group, created = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    if created or not group.permissions.exists():
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="admission", content_type__model__in=_ADMIN_MODELS)
        )
    return group


def _sync_administrator(user: Any, day: date) -> None:
    """An active ADMINISTRATOR role makes the user staff in the administrators group; its end takes both away."""
    is_admin = Role.objects.filter(user=user, kind=RoleKind.ADMINISTRATOR).active_on(day).exists()
    group = administrators_group()
    if is_admin:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    if not user.is_superuser and user.is_staff != is_admin:
        user.is_staff = is_admin
        user.save(update_fields=["is_staff"])


def role_permissions_sync_all(*, on: date | None = None) -> tuple[int, int]:
    added = removed = 0
    for user in get_user_model().objects.filter(is_active=True):
        a, r = role_permissions_sync(user=user, on=on)
        added += a
        removed += r
    return added, removed
