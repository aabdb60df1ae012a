"""Template filters for the PDF forms."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A document number and symbol ("01-NQ/CB", "35-QĐ/ĐU", "125/CN"): never split at its hyphen across two lines.
_NUMBER = re.compile(r"\b\d+[-/][\w/Đ-]*\w")


@register.filter
def keep_numbers(value: object) -> SafeString:
    """Escape the text and keep each document number on one line."""
    escaped = str(conditional_escape(str(value)))
    return mark_safe(_NUMBER.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', escaped))


@register.filter
def or_line(value: object, width: str = "") -> SafeString:
    """The value, escaped; or, when the case does not know it, a dotted writing line to fill in by hand: a form never
    prints an empty gap ("quê quán , như sau"). `width` "long" gives a line across most of the text column."""
    text = "" if value is None else str(value)
    if not text.strip():
        return mark_safe(f'<span class="fill{" long" if width == "long" else ""}"></span>')
    return SafeString(conditional_escape(text))
