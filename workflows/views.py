"""Task views of the sourcing flow: one generic view, parametrised by the step it performs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from viewflow.views import FormLayoutMixin
from viewflow.workflow.flow.views.mixins import TaskViewTemplateNames

from admission.models import Candidate, OrgKind
from admission.services.people import person_get_or_create
from workflows import services
from workflows.forms import NominationForm
from workflows.steps import STEPS


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
        self.candidate = request.activation.process.artifact  # type: ignore[attr-defined]
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class: Any = None) -> Any:
        return self.step.form(self.candidate, self.request.user, **self.get_form_kwargs())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(candidate=self.candidate, step=self.step, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():  # a step with several writes (two helpers) succeeds or fails whole
                self.step.action(self.candidate, self.request.user, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
            return self.form_invalid(form)
        self.request.activation.execute()  # type: ignore[attr-defined]
        messages.success(self.request, _("Done: %(step)s.") % {"step": self.step.title})
        return HttpResponseRedirect(reverse("admission:candidates:detail", args=[self.candidate.pk]))


def acting_cells(user: Any) -> Any:
    """Cells where the user may open a case: those where they hold a role today."""
    from admission.models import PartyOrg
    from admission.permissions import active_roles

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
