"""No outcome is chosen in advance in a vote, a decision or a closing (issue 12): every choice offered as radio
buttons by the step forms and the domain's forms starts empty, so that the body decides, not the default."""

from __future__ import annotations

import importlib
import inspect

from django import forms

MODULES = [
    "workflows.forms",
    "workflows.admission_forms",
    "workflows.probation_forms",
    "admission.sourcing.forms",
    "admission.dossier.forms",
    "admission.probation.forms",
]


def radio_fields() -> list[tuple[str, str, forms.Field]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for form_name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, (forms.Form, forms.ModelForm)) or form.__module__ != name:
                continue
            for field_name, field in form.base_fields.items():
                # Checkboxes (who attended, who helps) are lists to tick, not an outcome; Django draws them as a
                # kind of RadioSelect.
                widget = field.widget
                if isinstance(widget, forms.RadioSelect) and not isinstance(widget, forms.CheckboxSelectMultiple):
                    found.append((f"{name}.{form_name}", field_name, field))
    return found


def test_no_radio_choice_of_a_form_has_a_default() -> None:
    fields = radio_fields()
    assert len(fields) >= 10  # decisions, the course result, the chain steps, the closing, checks, discipline, ...
    preset = [f"{form}.{name} = {field.initial!r}" for form, name, field in fields if field.initial not in (None, "")]
    assert preset == []
