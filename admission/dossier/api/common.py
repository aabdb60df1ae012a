"""What the dossier's endpoints share: the parsers (a scan and rows in one multipart request), the list of rows sent
as a JSON string, the scan fields, and the members the caller may name as introducers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.request import Request
from rest_framework.utils import html

from admission.core.api.parsers import PARSERS, JSONTooDeep, load_json
from admission.core.bounds import MAX_ITEMS
from admission.dossier.forms import introducer_choices

__all__ = ["PARSERS", "JsonListField"]


class _TooDeep:
    """A multipart field whose JSON nests too deeply: refused by the field, which then names itself."""

    def __init__(self, message: str) -> None:
        self.message = message


class JsonListField(serializers.ListField):
    """A list of rows; in a multipart form (a scan and rows in one request) the rows arrive as a JSON string."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_ITEMS)
        super().__init__(**kwargs)

    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            raw = dictionary.get(self.field_name)
            if isinstance(raw, str):
                try:
                    return load_json(raw) if raw.strip() else []
                except JSONTooDeep as exc:
                    return _TooDeep(str(exc))
                except ValueError:
                    return raw  # not a list: the field reports it
        return super().get_value(dictionary)

    def run_validation(self, data: Any = empty) -> Any:
        if isinstance(data, _TooDeep):
            raise serializers.ValidationError(data.message)
        return super().run_validation(data)


def _scan_input() -> serializers.FileField:
    return serializers.FileField(required=False, help_text="PDF, JPEG or PNG scan (checked by content, size-limited)")


def _scan_output() -> serializers.FileField:
    return serializers.FileField(read_only=True, use_url=False, allow_null=True)


def _membership_queryset(request: Request) -> Any:
    """Members of the caller's units and the guests of their cells today: those the introduction screen offers."""
    return introducer_choices(request.user)
