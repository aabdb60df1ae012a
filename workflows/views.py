"""The flows' pages outside a task: nominating a case (which starts its flow) and extending the decision deadline.

The task view of every step is `workflows.step_view.StepView`: the flows are built on it, and these pages call
`workflows.services`, which drives the flows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_POST
from viewflow.views import FormLayoutMixin

from admission.party.models.orgs import OrgKind
from admission.party.services.people import person_get_or_create
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.services.readmission import earlier_membership_add
from workflows import services
from workflows.forms import NominationForm
from workflows.step_view import TurboFormMixin


def acting_cells(user: Any) -> Any:
    """Cells where the user may open a case: those where they hold a role today."""
    from admission.party.models.orgs import PartyOrg
    from admission.party.permissions import active_roles

    return PartyOrg.objects.filter(pk__in=active_roles(user).values("org_id"), kind__in=OrgKind.cell_kinds())


def nominate_case(*, user: Any, data: dict[str, Any], earlier: dict[str, Any] | None = None) -> Candidate:
    """Create or find the person, then open the case and start its flow (shared by the page and the API); with
    `earlier`, record the person's earlier membership in the same transaction (a re-admission case)."""
    person_data = {key: data[key] for key in NominationForm.PERSON_KEYS if key in data}
    with transaction.atomic():
        person, _created = person_get_or_create(
            citizen_id=data["citizen_id"],
            full_name=data["full_name"],
            date_of_birth=data["date_of_birth"],
            sex=data["sex"],
            **person_data,
        )
        candidate = services.case_nominate(
            person=person,
            cell=data["cell"],
            nominated_by=data["nominated_by"],
            nominating_body=data.get("nominating_body", ""),
            nominated_on=data["nominated_on"],
            note=data.get("note", ""),
            by=user,
        )
        if earlier:
            earlier_membership_add(candidate=candidate, by=user, **earlier)
            candidate.refresh_from_db()
        return candidate


class NominateView(TurboFormMixin, FormLayoutMixin, generic.FormView):
    """The start of the flow: the cell nominates an outstanding person."""

    template_name = "workflows/nominate.html"

    def get_form(self, form_class: Any = None) -> NominationForm:
        return NominationForm(cells=acting_cells(self.request.user), **self.get_form_kwargs())

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            candidate = nominate_case(user=self.request.user, data=form.cleaned_data, earlier=form.earlier_membership())
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("Case %(code)s opened.") % {"code": candidate.code})
        return HttpResponseRedirect(reverse("admission:candidates:detail", args=[candidate.pk]))


@login_required
@require_POST
def decision_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """The deciding body extends its decision deadline once, with a reason; the chain's task moves with it."""
    from admission.cases.views import case_page
    from admission.sourcing import selectors
    from admission.sourcing.forms import ExtensionForm

    candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.case_decision_extend(candidate=candidate, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The decision deadline is extended."))
            return HttpResponseRedirect(reverse("admission:candidates:detail", args=[candidate.pk]))
    return case_page(request, candidate, status=422, extension_form=form)
