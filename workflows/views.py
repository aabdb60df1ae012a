"""Task views of the sourcing flow: one generic view, parametrised by the step it performs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_POST
from viewflow.views import FormLayoutMixin
from viewflow.workflow.flow.views.mixins import TaskViewTemplateNames

from admission.decisions.selectors import admission_overview
from admission.party.models.orgs import OrgKind
from admission.party.services.people import person_get_or_create
from admission.sourcing.models.candidates import Candidate
from workflows import services
from workflows.forms import NominationForm
from workflows.steps import STEPS, task_title


class TurboFormMixin:
    """viewflow's pages submit forms through Turbo, which only re-renders a failed form answered with 422."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 422
        return response


class StepView(TurboFormMixin, FormLayoutMixin, TaskViewTemplateNames, generic.FormView):
    """Shows the step's form; on a valid POST runs the step's action and completes the task (same transaction,
    opened by viewflow's wrapper around the view). A refusal by the rules is shown on the form, nothing is saved."""

    step_name: str = ""
    template_filename = "task.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.step = STEPS[self.step_name]
        # Read afresh: the process's cached artifact may predate the services' writes.
        process = request.activation.process  # type: ignore[attr-defined]
        self.candidate = Candidate.objects.select_related("cell", "person", "rule_set").get(
            pk=process.artifact_object_id
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class: Any = None) -> Any:
        return self.step.form(self.candidate, self.request.user, **self.get_form_kwargs())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        title = task_title(self.request.activation.task)  # type: ignore[attr-defined]
        return super().get_context_data(
            candidate=self.candidate,
            step=self.step,
            step_title=title,
            admission=admission_overview(candidate=self.candidate),
            **kwargs,
        )

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():  # a step with several writes (two helpers) succeeds or fails whole
                outcome = self.step.action(self.candidate, self.request.user, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
            return self.form_invalid(form)
        self.request.activation.execute()  # type: ignore[attr-defined]
        if outcome:
            messages.warning(self.request, outcome)
        else:
            messages.success(self.request, _("Done: %(step)s.") % {"step": self.step.title})
        return HttpResponseRedirect(reverse("admission:candidates:detail", args=[self.candidate.pk]))


def acting_cells(user: Any) -> Any:
    """Cells where the user may open a case: those where they hold a role today."""
    from admission.party.models.orgs import PartyOrg
    from admission.party.permissions import active_roles

    return PartyOrg.objects.filter(pk__in=active_roles(user).values("org_id"), kind__in=OrgKind.cell_kinds())


def nominate_case(*, user: Any, data: dict[str, Any]) -> Candidate:
    """Create or find the person, then open the case and start its flow (shared by the page and the API)."""
    person_data = {key: data[key] for key in NominationForm.PERSON_KEYS if key in data}
    with transaction.atomic():
        person, _created = person_get_or_create(
            citizen_id=data["citizen_id"],
            full_name=data["full_name"],
            date_of_birth=data["date_of_birth"],
            sex=data["sex"],
            **person_data,
        )
        return services.case_nominate(
            person=person,
            cell=data["cell"],
            nominated_by=data["nominated_by"],
            nominating_body=data.get("nominating_body", ""),
            nominated_on=data["nominated_on"],
            note=data.get("note", ""),
            by=user,
        )


class NominateView(TurboFormMixin, FormLayoutMixin, generic.FormView):
    """The start of the flow: the cell nominates an outstanding person."""

    template_name = "workflows/nominate.html"

    def get_form(self, form_class: Any = None) -> NominationForm:
        return NominationForm(cells=acting_cells(self.request.user), **self.get_form_kwargs())

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            candidate = nominate_case(user=self.request.user, data=form.cleaned_data)
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
