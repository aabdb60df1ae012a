"""Pages for the party hierarchy. Thin: check scope through selectors (404 outside it), render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from admission.party import hierarchy, selectors
from admission.party.models.orgs import OrgKind
from admission.party.services.restructuring import owning_board


@require_safe
@login_required
def org_list(request: HttpRequest) -> TemplateResponse:
    orgs = selectors.org_list_for_user(user=request.user, include_dissolved=request.GET.get("all") == "1")
    query = request.GET.get("q", "").strip()
    if query:
        orgs = orgs.filter(name__icontains=query) | orgs.filter(code__startswith=query)
    return TemplateResponse(request, "admission/org_list.html", {"orgs": orgs, "query": query})


@require_safe
@login_required
def org_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    org = selectors.org_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    context = {
        "org": org,
        "children": selectors.org_list_for_user(user=request.user).filter(parent=org),
        "links": hierarchy.links_for(org),
        "authorities": org.authorities.select_related("granted_by").all(),
        "history": org.history.select_related("history_user")[:20],
        "today": today,
        "can_restructure": org.valid_to is None and owning_board(request.user, org) is not None,
    }
    if org.kind in OrgKind.cell_kinds():
        context["members"] = selectors.member_list_for_user(user=request.user).filter(cell=org)
        context["roster"] = selectors.voting_roster(cell=org, on=today)
        context["guests"] = selectors.guests_of(cell=org, on=today)
        try:
            context["chain"] = hierarchy.approval_chain(org, today)
        except hierarchy.ChainError as exc:
            context["chain_error"] = exc.messages[0]
    return TemplateResponse(request, "admission/org_detail.html", context)
