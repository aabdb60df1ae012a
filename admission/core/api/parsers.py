"""Request bodies within bounds: a JSON body is one object, at most API_MAX_BODY_BYTES long and API_MAX_JSON_DEPTH
deep (a deeper one would exhaust Python's recursion in the code that reads it); a multipart upload is at most
API_MAX_UPLOAD_BYTES (a scan and its fields)."""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


def _too_large(limit: int) -> Exception:
    # Imported here: problems imports rest_framework.views, whose settings import this module (DEFAULT_PARSER_CLASSES).
    from admission.core.api.problems import PayloadTooLarge

    return PayloadTooLarge(limit)


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _check_length(parser_context: Mapping[str, Any] | None, limit: int) -> None:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {}) if request is not None else {}
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise _too_large(limit)


def _depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        limit = _limit("API_MAX_BODY_BYTES", 1024 * 1024)
        _check_length(parser_context, limit)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise _too_large(limit)
        try:
            text = codecs.decode(raw, encoding)
        except ValueError as exc:
            raise exceptions.ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc
        try:
            data = load_json(text)
        except JSONTooDeep as exc:
            raise exceptions.ParseError(_("The JSON body is nested too deeply.")) from exc
        except ValueError as exc:
            raise exceptions.ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc
        if not isinstance(data, dict):
            raise exceptions.ParseError(_('The body must be a JSON object: {"field": value, …}.'))
        return data


class JSONTooDeep(ValueError):
    """JSON nested deeper than API_MAX_JSON_DEPTH."""


def load_json(text: str) -> Any:
    """The one way the API reads JSON text (a body, or a list sent as a multipart field): NaN and Infinity are
    refused, and so is nesting deeper than API_MAX_JSON_DEPTH (`JSONTooDeep`), whether it would exhaust Python's
    recursion or not. Any refusal is a ValueError whose message says why."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise JSONTooDeep(_("The JSON is nested too deeply.")) from exc
    if _depth(data) > _limit("API_MAX_JSON_DEPTH", 16):
        raise JSONTooDeep(_("The JSON is nested too deeply."))
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(_("%(name)s is not a number") % {"name": name})


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        _check_length(parser_context, _limit("API_MAX_UPLOAD_BYTES", 12 * 1024 * 1024))
        return super().parse(stream, media_type, parser_context)


# The default (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]): JSON, or multipart with a file and flat fields.
PARSERS = [JSONParser, MultiPartParser]
# A body that nests objects (a dict of targets, a list of preferences) cannot travel as multipart fields.
JSON_ONLY = [JSONParser]
