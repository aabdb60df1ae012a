"""The task view of every human step: one generic view, parametrised by the step it performs.

The flows build their nodes on it (`workflows.flows.step`); the pages outside a task are in `workflows.views`.
"""

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

from admission.decisions.selectors import admission_overview
from admission.sourcing.models.candidates import Candidate
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
