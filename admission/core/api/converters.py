"""The ``<id:…>`` path converter: the id of a record, 1 to MAX_ID. A longer number matches no path (404) instead of
reaching the database."""

from __future__ import annotations

from django.urls import register_converter

from admission.core.bounds import MAX_ID, whole_number_text


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        if not whole_number_text(value):
            raise ValueError(value)
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "id")

SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
