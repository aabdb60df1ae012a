"""What a locked-out login sees (django-axes): JSON for the API, a translated page for people."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from config.env import env_int


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    hours = env_int("AXES_COOLOFF_HOURS", 1)
    message = _(
        "Too many wrong passwords: this account is locked for %(hours)d hour(s) on this device. "
        "Ask your organisation board if you forgot the password."
    ) % {"hours": hours}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
