"""Writes on sourcing plans (đề án tạo nguồn): one plan per org and year, with a target per category (domain.md §7)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.party.models.roles import RoleKind
from admission.rules.reference import normalise_text
from admission.sourcing.models.plans import PlanCategory, PlanTarget, SourcingPlan

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_TARGET = 1_000_000  # people in one category of one year's plan


def can_plan_for(user: Any, org: PartyOrg) -> bool:
    """A plan is set by the org itself or by a committee above it (a province sets its communes' targets)."""
    if permissions.sees_everything(user):
        return True
    return (
        permissions.active_roles(user)
        .exclude(kind=RoleKind.ADMINISTRATOR)
        .filter(org_id__in=[org.pk, *org.ancestor_ids()])
        .exists()
    )


@transaction.atomic
def plan_save(*, org: PartyOrg, year: int, title: str, targets: dict[str, int], by: Any) -> SourcingPlan:
    """Create or update the plan of `org` for `year`; categories missing from `targets` lose their target."""
    if not can_plan_for(by, org):
        raise PermissionDenied(_("You do not act for %(org)s or a committee above it.") % {"org": org})
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(_("Enter a year between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    unknown = set(targets) - set(PlanCategory.values)
    if unknown:
        raise ValidationError(_("Unknown categories: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if any(value is None or not 0 <= int(value) <= MAX_TARGET for value in targets.values()):
        raise ValidationError(
            _("A target is a number of people, from 0 to %(max)s.") % {"max": f"{MAX_TARGET:,}".replace(",", ".")}
        )
    plan, _created = SourcingPlan.objects.select_for_update().get_or_create(org=org, year=year)
    plan.title = normalise_text(title)
    plan.full_clean()
    plan.save()
    plan.targets.exclude(category__in=list(targets)).delete()
    for category, value in targets.items():
        PlanTarget.objects.update_or_create(plan=plan, category=category, defaults={"target": int(value)})
    return plan
