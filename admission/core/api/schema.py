"""The OpenAPI schema as the contract: each operation under the tag of its area (``API_TAGS`` in the settings maps
a view's module to its tag; a view may name its own with ``schema_tags``), and the error answers it can give, all
with the Problem shape (``postprocess_errors``, a drf-spectacular post-processing hook)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular import openapi

from admission.core.api.problems import PROBLEM_CONTENT_TYPE, PROBLEM_SCHEMA


class AutoSchema(openapi.AutoSchema):
    def get_tags(self) -> list[str]:
        own = getattr(self.view, "schema_tags", None)
        if own:
            return list(own)
        module = type(self.view).__module__
        for prefix, tag in getattr(settings, "API_TAGS", {}).items():
            if module == prefix or module.startswith(prefix + "."):
                return [tag]
        return super().get_tags()


ERRORS = {
    "400": "The request is not valid: `errors` names each refused field, or `detail` the rule that refuses it",
    "401": "No valid credentials (a token or a session)",
    "403": "Not allowed: not logged in, or the caller does not act for the body concerned",
    "404": "Not found, or outside the caller's units (the two are not told apart)",
    "413": "The body is too large",
    "415": "The body's media type is not accepted",
    "429": "Too many attempts: try again after Retry-After seconds",
}
PAGE_PARAMETERS = {"limit", "offset"}


def postprocess_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Every operation lists the errors it can answer, each an RFC 9457 problem (admission.core.api.problems)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code in _error_codes(operation):
                responses.setdefault(code, {"description": ERRORS[code]})
            for code, response in responses.items():
                if code.startswith("4"):
                    response["content"] = problem
                    if code == "429":
                        response.setdefault("headers", {})["Retry-After"] = {
                            "schema": {"type": "integer"},
                            "description": "Seconds to wait",
                        }
    return result


def _error_codes(operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters", [])
    in_path = any(p["in"] == "path" for p in parameters)
    query = {p["name"] for p in parameters if p["in"] == "query"}
    body = "requestBody" in operation
    authenticated = any(requirement for requirement in operation.get("security", [{}]))
    codes = []
    if body or query:
        codes.append("400")
    if authenticated:
        codes += ["401", "403"]
    if in_path or body or query - PAGE_PARAMETERS:
        codes.append("404")
    if body:
        codes += ["413", "415"]
    return codes
