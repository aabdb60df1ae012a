"""One way for a page of forms (the dossier's, the probation's) to take a POST: validate, call the one service,
and answer with the page and a message, or the form again with 422 and the service's reason on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from admission.dossier.forms import Editor

FormLike = forms.Form | Editor  # a form, or a form with its rows (the CV, the opinions)


@dataclass(frozen=True)
class Screen:
    title: Any
    intro: Any
    submit: Any
    anchor: str
    saved: Any  # the message after a successful save
    template: str = ""  # the page module's form template when empty


def add_service_error(form: FormLike, exc: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has it, else above the form."""
    base = form.form if isinstance(form, Editor) else form
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            base.add_error(field if field in base.fields else None, errors)
    else:
        base.add_error(None, exc)


def handle_form(
    request: HttpRequest,
    *,
    form: FormLike,
    screen: Screen,
    action: Callable[[], object],
    back_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Validate, call the one service, answer: `back_url` with a message (or the same form again to add more lines
    when `_continue` was posted), or the form again with 422."""
    posted = request.method == "POST"
    if posted and form.is_valid():
        try:
            action()
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, screen.saved)
            if request.POST.get("_continue"):
                return redirect(request.path)
            return redirect(back_url)
    page = {
        "screen": screen,
        "form": form.form if isinstance(form, Editor) else form,
        "sections": form.sections if isinstance(form, Editor) else {},
        "back_url": back_url,
        **context,
    }
    return TemplateResponse(request, screen.template or template, page, status=422 if posted else 200)
