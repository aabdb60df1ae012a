"""django-filter pieces that refuse what they do not understand: ``?unread=maybe`` is a 400 naming ``unread``, not
the whole list as if the filter were absent (django-filter's own boolean quietly ignores it), and ``?cell=5.0`` is
a 400, not cell 5 (Django's integer field reads decimals)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters

from admission.core.bounds import MAX_ID, whole_number_text

FILTER_BACKENDS = [drf_filters.DjangoFilterBackend]


class StrictBooleanField(forms.Field):
    """`true` or `false`, as the schema says a boolean travels in a query string."""

    default_error_messages = {"invalid": _("Write true or false.")}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StrictIdField(forms.Field):
    """The id of a record as the schema documents it: digits only (no sign, no decimals, no spaces), 1 to MAX_ID."""

    default_error_messages = {"invalid": _("Give the id of a record: a whole number from 1.")}

    def to_python(self, value: Any) -> int | None:
        if value in (None, ""):
            return None
        if not whole_number_text(value) or not 1 <= int(value) <= MAX_ID:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)
