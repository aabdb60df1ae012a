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

from admission.core.bounds import (
    DATE_VN_PATTERN,
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_COUNT,
    MAX_ID,
    MAX_INT,
    MAX_ITEMS,
    date_text,
    whole_number_text,
)


def _show(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


# What the schema says of an input date: yyyy-mm-dd (a `date`), or dd/mm/yyyy.
DATE_SCHEMA = {
    "oneOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": DATE_VN_PATTERN, "description": "dd/mm/yyyy"},
    ],
    "description": "yyyy-mm-dd or dd/mm/yyyy, from 1900-01-01 to 2100-12-31",
}


@extend_schema_field(DATE_SCHEMA)
class DateField(serializers.DateField):
    """A calendar date, written yyyy-mm-dd or dd/mm/yyyy, within the years the party's records can hold."""

    default_error_messages = {
        "too_early": gettext_lazy("The date cannot be before {limit}."),
        "too_late": gettext_lazy("The date cannot be after {limit}."),
    }

    def to_internal_value(self, value: Any) -> date:
        if not date_text(value):
            self.fail("invalid", format="yyyy-mm-dd, dd/mm/yyyy")
        day = super().to_internal_value(value)
        if day < EARLIEST_DATE:
            self.fail("too_early", limit=_show(EARLIEST_DATE))
        if day > LATEST_DATE:
            self.fail("too_late", limit=_show(LATEST_DATE))
        return day


class StrictIntegerField(serializers.IntegerField):
    """A whole number as the schema says: a JSON integer, or its digits in a multipart field or a query string; not
    true, not 2.5, not "5.0" (DRF's own field reads all three)."""

    def to_internal_value(self, data: Any) -> int:
        if whole_number_text(data, signed=True):
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


def IntegerField(**kwargs: Any) -> serializers.IntegerField:
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", MAX_INT)
    return StrictIntegerField(**kwargs)


def CountField(**kwargs: Any) -> serializers.IntegerField:
    """A number of people: members of a body, those present, votes."""
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", MAX_COUNT)
    return StrictIntegerField(**kwargs)


def IdField(**kwargs: Any) -> serializers.IntegerField:
    kwargs.setdefault("min_value", 1)
    kwargs.setdefault("max_value", MAX_ID)
    return StrictIntegerField(**kwargs)


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
    values: MultiValueDict[str, str] = MultiValueDict()
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
    """A date in the query string (``name``), as yyyy-mm-dd or dd/mm/yyyy, within the bounds of ``DateField``;
    today when absent. A 400 names the parameter."""
    if raw is None:
        return timezone.localdate()
    field = DateField()
    try:
        return field.run_validation(raw)
    except exceptions.ValidationError as exc:
        message = _("“%(value)s” is not a date: write it as dd/mm/yyyy or yyyy-mm-dd.") % {"value": raw[:40]}
        codes = exc.get_codes()
        if codes != ["invalid"]:
            message = " ".join(str(m) for m in exc.detail)
        raise exceptions.ValidationError({name: [message]}) from exc


# -- JSON types as the schema states them ---------------------------------------------------------------------------
# DRF reads a number where a text is due ("5" for 5), 1 for true and 1 for the choice "1": a JSON body carrying the
# wrong type is refused here instead, naming the field, so that the schema says exactly what is read.


def json_type_errors(field: serializers.Field, value: Any, path: str) -> dict[str, list[str]]:
    """The fields of a JSON value (recursively) whose type is not the one `field` documents."""
    if value is None:
        return {}
    if isinstance(field, serializers.ListSerializer):
        if not isinstance(value, list):
            return {path: [_("Give a list.")]}
        return _items(field.child, value, path)
    if isinstance(field, serializers.Serializer):
        if not isinstance(value, dict):
            return {path: [_('Give an object: {"field": value, …}.')]} if path else {}
        errors: dict[str, list[str]] = {}
        for name, child in field.fields.items():
            if not child.read_only and name in value:
                errors.update(json_type_errors(child, value[name], f"{path}.{name}" if path else name))
        return errors
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return {path: [_("Give a list.")]}
        return _items(field.child, value, path)
    if isinstance(field, serializers.DictField):
        if not isinstance(value, dict):
            return {path: [_('Give an object: {"field": value, …}.')]}
        errors = {}
        for key, item in value.items():
            errors.update(json_type_errors(field.child, item, f"{path}.{key}"))
        return errors
    expected = _json_type(field)
    if expected is not None and not expected(value):
        return {path: [_("This is not the type the schema gives for this field.")]}
    return {}


def _items(child: Any, values: list[Any], path: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(values):
        errors.update(json_type_errors(child, item, f"{path}.{index}"))
    return errors


def _json_type(field: serializers.Field) -> Any:
    if isinstance(field, serializers.BooleanField):
        return lambda v: isinstance(v, bool)
    if isinstance(field, serializers.IntegerField):
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if isinstance(field, (serializers.FloatField, serializers.DecimalField)):
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    if isinstance(field, serializers.RelatedField):
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if isinstance(field, (serializers.CharField, serializers.ChoiceField, serializers.DateField)):
        return lambda v: isinstance(v, str)
    return None


class Input(serializers.Serializer):
    """An API request's body or query: a JSON body must carry each field in its documented type."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and not isinstance(data, MultiValueDict):
            errors = json_type_errors(self, data, "")
            if errors:
                raise exceptions.ValidationError(errors)
        return super().to_internal_value(data)
