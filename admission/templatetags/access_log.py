"""`{% can_read_access_log person as allowed %}`: whether the user may open "who read this person's data"."""

from __future__ import annotations

from typing import Any

from django import template

from admission.audit.selectors import can_read_access_log as _can_read

register = template.Library()


@register.simple_tag(takes_context=True)
def can_read_access_log(context: Any, person: Any) -> bool:
    request = context.get("request")
    return bool(request is not None and person is not None and _can_read(user=request.user, person_id=person.pk))
