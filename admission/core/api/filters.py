"""django-filter pieces that refuse what they do not understand: ``?unread=maybe`` is a 400 naming ``unread``, not
the whole list as if the filter were absent (django-filter's own boolean quietly ignores it)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters

FILTER_BACKENDS = [drf_filters.DjangoFilterBackend]


class StrictBooleanField(forms.Field):
    default_error_messages = {"invalid": _("Write true or false.")}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
