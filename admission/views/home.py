"""The first page after login: the user's roles and units, in plain words."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from admission import selectors


@require_safe
@login_required
def home(request: HttpRequest) -> TemplateResponse:
    roles = selectors.role_list_for_user(user=request.user)
    return TemplateResponse(request, "admission/home.html", {"roles": roles})
