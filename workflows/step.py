"""A human step of a flow: its title, what it asks, its form and the action that calls the domain services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from viewflow.workflow.models import Process

from admission.sourcing.models.candidates import Candidate
from workflows import forms as step_forms

# An action may return a sentence for the user (e.g. "the vote did not pass; the case is closed").
Action = Callable[[Candidate, Any, dict[str, Any]], "str | None"]


@dataclass(frozen=True)
class Step:
    name: str
    title: Any
    description: Any
    form_class: type[step_forms.StepForm]
    action: Action

    def form(self, candidate: Candidate, user: Any, *args: Any, **kwargs: Any) -> forms.Form:
        return self.form_class(*args, candidate=candidate, user=user, **kwargs)


# The flows are built from the steps (a node's title and task view come from STEPS), so a step cannot import them to
# start the flow that follows it (the admission once the dossier is opened, probation once the ceremony is held):
# `workflows.flows` registers each flow's start here, under the flow's own process model.
_FLOW_STARTS: dict[type[Process], Callable[[Candidate], object]] = {}


def flow_start_register(process_class: type[Process], start: Callable[[Candidate], object]) -> None:
    _FLOW_STARTS[process_class] = start


def flow_start(process_class: type[Process], candidate: Candidate) -> None:
    """Start for the case the flow whose process model is `process_class`, in the caller's transaction."""
    _FLOW_STARTS[process_class](candidate)
