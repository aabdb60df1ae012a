"""The home page of every staff login: "Việc cần làm" (work to do) — the open steps of every flow that a body the
user acts for must do, overdue first, a page at a time (`?page=N`, with the filters), and the user's cases waiting
at a higher body. A login with no role and a case of its own is a candidate: their home is their own case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from admission.party import permissions
from admission.party import selectors as party_selectors
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.sourcing.models.candidates import Candidate
from workflows import worklist
from workflows.models import WorkItem
from workflows.steps import STEPS


class WorkFilterForm(forms.Form):
    cell = forms.ModelChoiceField(
        label=_("Cell"), queryset=PartyOrg.objects.none(), required=False, empty_label=_("All cells")
    )
    step = forms.ChoiceField(label=_("Step"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cell_field = self.fields["cell"]
        assert isinstance(cell_field, forms.ModelChoiceField)
        # The cells of the user's open steps only: a province's board would otherwise choose among every cell of
        # the province (a list of 1,500 that cost most of the page), most of them with nothing to do.
        with_work = WorkItem.objects.filter(worklist.acting_orgs_q(user)).values("candidate__cell_id")
        in_scope = permissions.orgs_in_scope(user).filter(kind__in=OrgKind.cell_kinds(), pk__in=with_work)
        cell_field.queryset = in_scope.order_by("name")
        step_field = self.fields["step"]
        assert isinstance(step_field, forms.ChoiceField)
        step_field.choices = [("", _("All steps"))] + [(name, spec.title) for name, spec in STEPS.items()]


@require_safe
@login_required
def work_page(request: HttpRequest) -> HttpResponse:
    roles = party_selectors.role_list_for_user(user=request.user)
    if not roles.exists() and Candidate.objects.filter(person__user__username=request.user.get_username()).exists():
        return redirect("portal:my_cases")  # a candidate's home is their own case
    chosen = request.GET.copy()
    chosen.pop("page", None)  # the filters alone: turning a page is not filtering (the filter box stays closed)
    form = WorkFilterForm(chosen or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    cell = filters.get("cell")
    work = worklist.work_page_for_user(
        user=request.user,
        cell=cell.pk if cell else None,
        node=filters.get("step") or "",
        overdue=bool(filters.get("overdue")),
        page=request.GET.get("page"),
    )
    context = {
        "form": form,
        "page": work.page,
        "counts": work.counts,
        "by_org": work.by_org,
        "query": chosen.urlencode(),  # the filters, kept by the page links
        "waiting_above": worklist.waiting_above_for_user(user=request.user),
        "roles": roles,
        "many_cells": form.fields["cell"].queryset.count() > 1,  # type: ignore[attr-defined]
    }
    return TemplateResponse(request, "workflows/work.html", context)
