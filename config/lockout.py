"""What a locked-out login sees (django-axes): JSON for the API, a translated page for people."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from admission.core.api.problems import problem_response
from config.env import env_int


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    hours = env_int("AXES_COOLOFF_HOURS", 1)
    message = _(
        # Per account (from any address) or per address (admission.accounts.lockout): the message names both.
        "Too many wrong passwords or codes: this account, or this network address, is locked for %(hours)d "
        "hour(s). Ask your organisation board if you forgot the password."
    ) % {"hours": hours}
    if request.path.startswith("/api/"):
        return problem_response(429, message, headers={"Retry-After": str(hours * 3600)})
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
