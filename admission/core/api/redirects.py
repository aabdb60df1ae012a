"""The old paths of renamed endpoints: 308 Permanent Redirect to the new path (the method and the body are kept, so a
POST is repeated there), query string included, for one release (docs/api-changelog.md lists them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.urls import URLPattern, path, reverse
from django.views.decorators.csrf import csrf_exempt


class HttpResponsePermanentRedirect308(HttpResponseRedirectBase):
    status_code = 308


def permanent_redirect(request: HttpRequest, location: str) -> HttpResponse:
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponsePermanentRedirect308(f"{location}?{query}" if query else location)
    response["Deprecation"] = "true"
    return response


def moved(old_route: str, new_name: str, **renamed: str) -> URLPattern:
    """``path(old_route)`` answering 308 to the URL named ``new_name``; ``renamed`` maps a new keyword to the old
    route's (``candidate_id="pk"``)."""

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        new_kwargs = {new: kwargs.pop(old) for new, old in renamed.items()}
        new_kwargs.update(kwargs)
        return permanent_redirect(request, reverse(new_name, kwargs=new_kwargs))

    return path(old_route, view, name=f"{new_name}-old")
