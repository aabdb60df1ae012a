"""The page "who read this person's data", reachable from the person page (unit leaders and administrators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from admission.audit import selectors
from admission.party import permissions


@require_safe
@login_required
def person_reads(request: HttpRequest, pk: int) -> TemplateResponse:
    person = selectors.person_get_for_access_log(user=request.user, pk=pk)
    page = Paginator(selectors.reads_of_person(person=person), 50).get_page(request.GET.get("page"))
    # The page each read came from is for administrators tracing a leak, not for a cell's leaders.
    context = {"person": person, "page": page, "show_referer": permissions.can_administer(request.user)}
    return TemplateResponse(request, "admission/audit/person_reads.html", context)
