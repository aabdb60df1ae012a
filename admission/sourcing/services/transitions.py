"""Running a guarded django-fsm transition the same way everywhere."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from admission.party import permissions
from admission.rules.reference import normalise_text

# Transitions without an FSM permission: the service checked the acting body of the step just recorded.
_STEP_RECORDS = {
    "admit": "chain_steps",
    "refuse": "chain_steps",
    "send_back": "chain_steps",
    "return_to_course": "chain_steps",
    "recognise": "probation__steps",
    "remove": "probation__steps",
}


def fire(obj: Any, name: str, *, by: Any, reason: str = "", denied: str = "", acting_org: Any = None) -> None:
    """State and conditions first (a plain "not possible now", 400), then the permission (403), then the
    transition with `by` and `description` for django-fsm-log, then save. A substitute acting through a delegation
    is named in the description with the delegator they act for (`acting_org`: the body of the step `by` has just
    recorded, when the caller holds it; else that step is looked up)."""
    method = getattr(obj, name)
    if not can_proceed(method):
        raise ValidationError(
            _("This step is not possible while it is “%(state)s”.") % {"state": obj.get_state_display()}
        )
    with permissions.recording_delegations() as used:
        allowed = has_transition_perm(method, by)
    if not allowed:
        raise PermissionDenied(denied or _("You are not allowed to do this for this organisation."))
    description = normalise_text(reason)
    if used:
        delegator = used[0].from_user
    elif acting_org is not None:
        delegator = _delegator_at(by, acting_org)
    else:
        delegator = _delegator_of_step(obj, name, by)
    if delegator is not None:
        who = delegator.get_full_name() or delegator.get_username()
        # Stored history, read by both languages' users: written in both.
        description = normalise_text(f"{description} (thay mặt / on behalf of {who})".strip())
    method(by=by, description=description or None)
    obj.save()


def _delegator_of_step(obj: Any, name: str, by: Any) -> Any:
    """For a decision, refusal or send-back: the delegator, when `by` recorded the step as a substitute."""
    relation = _STEP_RECORDS.get(name)
    if relation is None or by is None or not getattr(by, "is_authenticated", False):
        return None
    # The step records belong to later parts of the process (decisions, probation): reach them through the case's
    # relations rather than importing those parts from here.
    model: Any = type(obj)
    try:
        for part in relation.split("__"):
            model = model._meta.get_field(part).related_model
    except FieldDoesNotExist:  # a transition of the same name on another machine (an enrollment's "refuse")
        return None
    back = {"chain_steps": "candidate", "probation__steps": "probation__candidate"}[relation]
    step = model.objects.filter(**{back: obj.pk}, done_by=by).select_related("org").order_by("-pk").first()
    if step is None:
        return None
    return _delegator_at(by, step.org)


def _delegator_at(by: Any, org: Any) -> Any:
    """Whom `by` stands in for at `org` (the delegator), or None when they act there in their own right."""
    delegation = permissions.delegation_for(by, org)
    return delegation.from_user if delegation else None
