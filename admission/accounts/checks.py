"""A misspelt role in TWO_FACTOR_ROLES would silently let that role sign in without a second factor: refuse it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error


def two_factor_roles_exist(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from admission.party.models.roles import RoleKind

    unknown = sorted(set(getattr(settings, "TWO_FACTOR_ROLES", ())) - set(RoleKind.values))
    if not unknown:
        return []
    return [
        Error(
            f"TWO_FACTOR_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use RoleKind values: {', '.join(RoleKind.values)}.",
            id="accounts.E001",
        )
    ]
