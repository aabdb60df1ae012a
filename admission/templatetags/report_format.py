"""Numbers as Vietnamese reports print them: "1.234" and "100,00" (comma decimal), empty for nothing."""

from __future__ import annotations

from django import template

from admission.reports.statistics import vn_number

register = template.Library()


@register.filter
def vn(value: float | None, places: int = 2) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return vn_number(value, 0)
    return vn_number(value, places)


@register.filter
def indent(level: int) -> str:
    return f"{1.2 * int(level or 0):.1f}em"
