"""The one place where a session's second factor is checked (`user.is_verified()`, set by django-otp's
OTPMiddleware, which must come before this one).

A signed-in user who needs a second factor (`policy.needs_second_factor`) and whose session is not verified
reaches only the second-factor pages, logging out, the static files, the language switch and the public lookup
(/tra-cuu/). Every other page, the admin site included, redirects to the verification (or, without an
authenticator yet, to its setup) and comes back afterwards. On the API such a session counts as not signed in, so
DRF answers 401/403 in its usual format; API tokens are checked by `tokens.ApiTokenAuthentication` (a token is
only given after the second factor). A remembered browser (`second_factor.browser_trusted`) verifies the session
on its first request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from admission.accounts import policy, second_factor

# Open to a signed-in but unverified session. The second-factor pages themselves are added by their URL names.
OPEN_PREFIXES = (
    "/static/",
    "/tra-cuu/",
    "/kha-nang-tiep-can/",  # the accessibility statement: public, and it says whom to tell about these pages
    "/i18n/",
    "/accounts/login/",
    "/accounts/logout/",
    "/admin/logout/",
)
OPEN_URL_NAMES = ("accounts:verify", "accounts:setup")


def _open(path: str) -> bool:
    return path.startswith(OPEN_PREFIXES) or any(path == reverse(name) for name in OPEN_URL_NAMES)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user  # OTPMiddleware gave it is_verified()
        if (
            user.is_authenticated
            and not user.is_verified()
            and not _open(request.path)
            and policy.needs_second_factor(user)
            and not second_factor.browser_trusted(request)
        ):
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()
            else:
                return self._second_factor_page(request)
        return self.get_response(request)

    @staticmethod
    def _second_factor_page(request: HttpRequest) -> HttpResponse:
        name = "accounts:verify" if second_factor.authenticator(request.user) else "accounts:setup"
        return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
