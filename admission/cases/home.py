"""The first page after login: the user's roles and units, in plain words."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from admission.party import selectors
from admission.sourcing.models.candidates import Candidate


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = selectors.role_list_for_user(user=request.user)
    own_cases = Candidate.objects.filter(person__user__username=request.user.get_username())
    if not roles.exists() and own_cases.exists():
        return redirect("portal:my_cases")  # a candidate's home is their own case
    return TemplateResponse(request, "admission/home.html", {"roles": roles})
