"""One page shape for every list: ``{"count", "next", "previous", "results"}``, with ``limit`` (1–200, default 50)
and ``offset``. A value that is not such a number is a 400 naming the parameter, not a silent default."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination

from admission.core.bounds import MAX_INT, whole_number_text


def _bounded_int(request: Any, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    value = int(raw) if whole_number_text(raw) else None
    if value is None or not low <= value <= high:
        raise exceptions.ValidationError(
            {name: [_("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}]}
        )
    return value


class Pagination(pagination.LimitOffsetPagination):
    default_limit = 50
    max_limit = 200

    def get_limit(self, request: Any) -> int:
        return _bounded_int(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request: Any) -> int:
        return _bounded_int(request, self.offset_query_param, 0, 0, MAX_INT)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_limit} (default {self.default_limit})",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_limit},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "Rows to skip",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_INT},
            },
        ]
