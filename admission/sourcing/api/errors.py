"""The API plumbing the other parts' APIs share: a service's refusal as an HTTP error (`ServiceRefused`,
`service_errors`) and the date of a query string (`parse_day`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status

from admission.party import permissions


class ServiceRefused(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's ValidationError becomes 400 {"detail": message}; its PermissionDenied a 403 with its message."""
    try:
        yield
    except DjangoValidationError as exc:
        raise ServiceRefused(" ".join(exc.messages)) from exc
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc


def parse_day(raw: str | None) -> date:
    """A date in the query string, as YYYY-MM-DD or dd/mm/yyyy; today when absent."""
    if not raw:
        return permissions.today()
    try:
        day: date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"]).clean(raw.strip())
    except DjangoValidationError as exc:
        raise ServiceRefused(
            _("“%(value)s” is not a date: write it as dd/mm/yyyy or yyyy-mm-dd.") % {"value": raw}
        ) from exc
    return day
