"""What the dossier's endpoints share: the parsers (a scan and rows in one multipart request), the list of rows sent
as a JSON string, the scan fields, and the members the caller may name as introducers."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils import html

from admission.core.api.parsers import PARSERS
from admission.core.bounds import MAX_ITEMS
from admission.party import permissions
from admission.party.models.guests import CellGuest
from admission.party.models.people import Membership

__all__ = ["PARSERS", "JsonListField"]

TEXT = 20_000  # the longest free text a record takes (a self-assessment, an opinion)


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
                    return json.loads(raw) if raw.strip() else []
                except ValueError:
                    return raw  # not a list: the field reports it
        return super().get_value(dictionary)


def _scan_input() -> serializers.FileField:
    return serializers.FileField(required=False, help_text="PDF, JPEG or PNG scan (checked by content, size-limited)")


def _scan_output() -> serializers.FileField:
    return serializers.FileField(read_only=True, use_url=False, allow_null=True)


def _membership_queryset(request: Request) -> Any:
    """Members of the caller's units and the guests of their cells (as on the introduction screen)."""
    guests = CellGuest.objects.filter(permissions.scope_q(request.user, field="host_cell__path"))
    return Membership.objects.filter(
        permissions.scope_q(request.user, field="cell__path") | Q(pk__in=guests.values("membership"))
    ).select_related("person", "cell")
