"""Pages for people and members, scoped to the user's units."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from admission.party import selectors
from admission.party.models.guests import CellGuest


@require_safe
@login_required
def member_list(request: HttpRequest) -> TemplateResponse:
    members = selectors.member_list_for_user(user=request.user).order_by("cell__path", "person__full_name")
    query = request.GET.get("q", "").strip()
    if query:
        members = members.filter(person__full_name__icontains=query)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "admission/member_list.html", {"page": page, "query": query})


@require_safe
@login_required
def person_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    memberships = person.memberships.select_related("cell").order_by("-joined_cell_on")
    history = person.history.select_related("history_user")[:20]
    context = {
        "person": person,
        "memberships": memberships,
        "history": history,
        "earlier": person.earlier_memberships.all(),
        "guest_periods": CellGuest.objects.filter(membership__person=person).select_related("host_cell"),
    }
    return TemplateResponse(request, "admission/person_detail.html", context)
