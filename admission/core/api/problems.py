"""RFC 9457 problem details: the one shape of every error the API answers.

    {"type": "about:blank", "title": "Bad Request", "status": 400, "code": "invalid",
     "detail": "votes_for: Ensure this value is less than or equal to 32767.",
     "errors": [{"field": "votes_for", "message": "Ensure this value is less than or equal to 32767.",
                 "code": "max_value"}]}

``detail`` is always a sentence in the caller's language; ``errors`` names each field that was refused (an empty
list when the refusal is about the whole request, such as a rule of the domain). DRF's exceptions, Django's
``Http404``/``PermissionDenied``/``ValidationError`` and an over-large request all come out this way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

PROBLEM_CONTENT_TYPE = "application/problem+json"

logger = logging.getLogger(__name__)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(
            _("The request is too large: the limit is %(size)s bytes.") % {"size": f"{limit:,}".replace(",", ".")}
        )


class Problem(exceptions.APIException):
    """A refusal with its own list of field errors (e.g. a spreadsheet's rows): `errors` as in the Problem shape."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]]) -> None:
        super().__init__(detail)
        self.errors = errors


class ServiceRefused(exceptions.APIException):
    """A rule of the domain refused the request: 400 with the service's sentence and no field."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"


# -- the shape -----------------------------------------------------------------------------------------------------


# The OpenAPI component every error answer refers to (admission.core.api.schema adds it to each operation).
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error (RFC 9457 problem details): the one shape of every 4xx of the API.",
    "properties": {
        "type": {"type": "string", "description": 'Always "about:blank": `status` and `code` say what happened'},
        "title": {"type": "string", "description": "The HTTP status phrase"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong, in the caller's language"},
        "code": {
            "type": "string",
            "description": "invalid, refused, parse_error, not_authenticated, authentication_failed, "
            "permission_denied, not_found, method_not_allowed, not_acceptable, unsupported_media_type, too_large, "
            "throttled",
        },
        "errors": {
            "type": "array",
            "description": "One entry per refused field (empty when the whole request is refused)",
            "items": {
                "type": "object",
                "properties": {
                    "field": {
                        "type": "string",
                        "nullable": True,
                        "description": "Path of the field in the body or the query (`relatives.0.birth_year`); "
                        "null for the request as a whole",
                    },
                    "message": {"type": "string"},
                    "code": {"type": "string", "description": "required, invalid, max_value, …"},
                    "row": {"type": "integer", "description": "Spreadsheet imports: the row of the file"},
                },
                "required": ["field", "message", "code"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "code", "errors"],
}


def problem(
    status_code: int, detail: str, *, code: str | None = None, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "code": code or _default_code(status_code),
        "errors": errors or [],
    }


def problem_response(
    status_code: int,
    detail: str,
    *,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """A problem outside DRF (middleware, URL resolution, the lockout page)."""
    response = JsonResponse(
        problem(status_code, detail, code=code, errors=errors),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _default_code(status_code: int) -> str:
    return {
        400: "invalid",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        406: "not_acceptable",
        413: "too_large",
        415: "unsupported_media_type",
        429: "throttled",
    }.get(status_code, "error")


# -- field errors --------------------------------------------------------------------------------------------------

NON_FIELD_KEYS = {"non_field_errors", "__all__"}


def field_errors(detail: Any, prefix: str = "") -> list[dict[str, Any]]:
    """DRF's nested error detail (dicts of fields, lists per item) as a flat list, each with its dotted path."""
    if isinstance(detail, dict):
        rows = []
        for key, value in detail.items():
            name = "" if key in NON_FIELD_KEYS else str(key)
            path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            rows += field_errors(value, path)
        return rows
    if isinstance(detail, list):
        if all(isinstance(item, (str, exceptions.ErrorDetail)) for item in detail):
            return [_row(prefix, item) for item in detail]
        rows = []
        for index, item in enumerate(detail):
            rows += field_errors(item, f"{prefix}.{index}" if prefix else str(index))
        return rows
    return [_row(prefix, detail)]


def _row(path: str, message: Any) -> dict[str, Any]:
    return {"field": path or None, "message": force_str(message), "code": getattr(message, "code", None) or "invalid"}


def _summary(errors: list[dict[str, Any]]) -> str:
    general = [e["message"] for e in errors if e["field"] is None]
    if general:
        return " ".join(general)
    return " ".join(f"{e['field']}: {e['message']}" for e in errors[:5]) or _("The request is not valid.")


# -- DRF's exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]) --------------------------------------------------


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _as_api_exception(exc)
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django answers 500 (handler500 keeps it a problem under /api/)
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    if isinstance(exc, exceptions.MethodNotAllowed) and context.get("view") is not None:
        headers["Allow"] = ", ".join(context["view"].allowed_methods)
    if isinstance(exc, Problem):
        errors, detail, code = exc.errors, force_str(exc.detail), exc.default_code
    elif isinstance(exc.detail, (list, dict)):
        errors = field_errors(exc.detail)
        detail = _summary(errors)
        code = "invalid"
    else:
        errors, detail = [], force_str(exc.detail)
        code = getattr(exc.detail, "code", None) or exc.default_code
    set_rollback()
    return Response(
        problem(exc.status_code, detail, code=code, errors=errors),
        status=exc.status_code,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, Http404):
        # One sentence whatever the model: a 404 must not tell what exists.
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        # A service's rule, raised outside `service_errors`: the same 400 as inside it.
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return ServiceRefused(" ".join(exc.messages))
    if isinstance(exc, RequestDataTooBig):
        from django.conf import settings

        return PayloadTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return exceptions.ValidationError(_("The request has too many fields or files."))
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError()
    return exc


# -- outside DRF: unknown paths under /api/, and the last resort ---------------------------------------------------


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Every path under /api/ that no endpoint serves. A path missing its final slash is sent (308, keeping the
    method and the body) to the endpoint it names."""
    from django.urls import Resolver404, resolve

    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            from admission.core.api.redirects import permanent_redirect

            return permanent_redirect(request, request.path + "/")
    return problem_response(404, force_str(exceptions.NotFound.default_detail))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a problem under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return problem_response(500, _("Something went wrong on our side; the error is logged."), code="error")
    from django.views.defaults import server_error as page

    return page(request)


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's ValidationError becomes a 400 problem with its sentence; its PermissionDenied a 403."""
    try:
        yield
    except DjangoValidationError as exc:
        raise ServiceRefused(" ".join(exc.messages)) from exc
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc
