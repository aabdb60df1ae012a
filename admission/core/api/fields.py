"""Input fields with bounds, so that no number or date reaches the database (or a rule) unchecked, and a 400 names
the field instead of a 500 ("smallint out of range", a year 1800 accepted).

- ``DateField``: from ``EARLIEST_DATE`` to ``LATEST_DATE``. The rules that depend on the case (not in the future
  for what has happened, not before the person was born, not before the step it follows) stay in the services,
  which know the case and say it in the secretary's words.
- ``IntegerField``: 0 to ``MAX_INT`` unless told; ``CountField``: a number of people (members, votes), at most
  ``MAX_COUNT``; ``IdField``: the id of a record, 1 to ``MAX_ID``.
- ``ListField``: at most ``MAX_ITEMS`` items unless told.
- ``form_data``: a JSON body as the strings a Django form reads (a step's form, the nomination), refusing a value
  that is an object or a list of objects.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import formats, timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from admission.core.bounds import EARLIEST_DATE, LATEST_DATE, MAX_COUNT, MAX_ID, MAX_INT, MAX_ITEMS


def _show(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


class DateField(serializers.DateField):
    """A calendar date within the years the party's records can hold."""

    default_error_messages = {
        "too_early": gettext_lazy("The date cannot be before {limit}."),
        "too_late": gettext_lazy("The date cannot be after {limit}."),
    }

    def to_internal_value(self, value: Any) -> date:
        day = super().to_internal_value(value)
        if day < EARLIEST_DATE:
            self.fail("too_early", limit=_show(EARLIEST_DATE))
        if day > LATEST_DATE:
            self.fail("too_late", limit=_show(LATEST_DATE))
        return day


def IntegerField(**kwargs: Any) -> serializers.IntegerField:
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", MAX_INT)
    return serializers.IntegerField(**kwargs)


def CountField(**kwargs: Any) -> serializers.IntegerField:
    """A number of people: members of a body, those present, votes."""
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", MAX_COUNT)
    return serializers.IntegerField(**kwargs)


def IdField(**kwargs: Any) -> serializers.IntegerField:
    kwargs.setdefault("min_value", 1)
    kwargs.setdefault("max_value", MAX_ID)
    return serializers.IntegerField(**kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class RelatedIdField(serializers.PrimaryKeyRelatedField):
    """The id of a record picked from a scoped queryset (a member who may introduce): an id outside it is a 400."""


def ListField(**kwargs: Any) -> serializers.ListField:
    kwargs.setdefault("max_length", MAX_ITEMS)
    return serializers.ListField(**kwargs)


def form_data(data: Any) -> Any:
    """The body as a Django form reads it: a QueryDict (form or multipart) as it is; a JSON object as strings, a
    list of plain values for a multiple choice. ``null`` is an absent field."""
    if isinstance(data, MultiValueDict):
        return data
    values: MultiValueDict[str, Any] = MultiValueDict()
    refused: dict[str, list[str]] = {}
    for key, value in data.items():
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, (dict, list)) for item in items):
            refused[key] = [_("Give a text, a number, true/false, or a list of them.")]
            continue
        values.setlist(key, [_as_text(item) for item in items if item is not None])
    if refused:
        raise exceptions.ValidationError(refused)
    return values


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_day(raw: str | None, name: str = "date") -> date:
    """A date in the query string (``name``), as YYYY-MM-DD or dd/mm/yyyy, within the bounds of ``DateField``;
    today when absent. A 400 names the parameter."""
    if raw is None or not raw.strip():
        return timezone.localdate()
    field = DateField()
    try:
        return field.run_validation(raw.strip())
    except exceptions.ValidationError as exc:
        message = _("“%(value)s” is not a date: write it as dd/mm/yyyy or yyyy-mm-dd.") % {"value": raw[:40]}
        codes = exc.get_codes()
        if codes != ["invalid"]:
            message = " ".join(str(m) for m in exc.detail)
        raise exceptions.ValidationError({name: [message]}) from exc
