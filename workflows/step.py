"""A human step of a flow: its title, what it asks, its form and the action that calls the domain services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

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
