"""The API plumbing the other parts' APIs share, kept importable from here: a service's refusal as an HTTP error
(`ServiceRefused`, `service_errors`) and the date of a query string (`parse_day`). They live in admission.core.api."""

from __future__ import annotations

from admission.core.api.fields import parse_day
from admission.core.api.problems import ServiceRefused, service_errors

__all__ = ["ServiceRefused", "parse_day", "service_errors"]
