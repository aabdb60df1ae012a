"""Every page needs a login (anonymous visitors are sent to the login page, not shown a 403), except the parts
that authenticate on their own (API, admin) or are public by design (login, language switch, status lookup)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest

PUBLIC_PREFIXES = ("/accounts/", "/api/", "/admin/", "/i18n/", "/static/", "/media/", "/tra-cuu/")


class LoginRequiredExceptPublicMiddleware(LoginRequiredMiddleware):
    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> Any:
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
