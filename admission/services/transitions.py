"""Running a guarded django-fsm transition the same way everywhere."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from admission.reference import normalise_text


def fire(obj: Any, name: str, *, by: Any, reason: str = "", denied: str = "") -> None:
    """State and conditions first (a plain "not possible now", 400), then the permission (403), then the
    transition with `by` and `description` for django-fsm-log, then save."""
    method = getattr(obj, name)
    if not can_proceed(method):
        raise ValidationError(
            _("This step is not possible while it is “%(state)s”.") % {"state": obj.get_state_display()}
        )
    if not has_transition_perm(method, by):
        raise PermissionDenied(denied or _("You are not allowed to do this for this organisation."))
    method(by=by, description=normalise_text(reason) or None)
    obj.save()
