"""The second-factor pages (set up an authenticator, verify a sign-in) and the "Sign-in and security" page, where a
person manages their authenticator, recovery codes, remembered browsers and API tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from axes.helpers import get_lockout_response
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from admission.accounts import policy, second_factor, tokens
from admission.accounts.forms import SetupForm, TokenForm, VerifyForm
from admission.accounts.lockout import account_locked


def _next(request: HttpRequest) -> str:
    """Where to go after the second factor: the page asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else reverse("home")


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def _verified(request: HttpRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[union-attr]


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code, type the code the app shows: the authenticator is confirmed and recovery codes issued.

    Without a verified session only a person with no authenticator yet may set one up (otherwise a stolen password
    would be enough to replace it)."""
    if second_factor.authenticator(request.user) is not None and not _verified(request):
        return HttpResponseRedirect(_with_next("accounts:verify", request))
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolled = second_factor.authenticator_confirm(request=request, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            context = {"codes": enrolled.recovery_codes, "next": _next(request), "first": True}
            return render(request, "accounts/recovery_codes.html", context)
    device = second_factor.setup_device(request.user)
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=3, dark="#000", light="#fff"),
        "secret": second_factor.secret_text(device),
        "next": _next(request),
    }
    return render(request, "accounts/setup.html", context, status=422 if form.errors else 200)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if _verified(request):
        return HttpResponseRedirect(_next(request))
    if second_factor.authenticator(request.user) is None:
        return HttpResponseRedirect(_with_next("accounts:setup", request))
    if account_locked(request.user.get_username()):
        # Too many wrong codes (or passwords): the account is locked, this session ends with it.
        response = get_lockout_response(request)
        logout(request)
        return response
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.code_verify(request=request, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            response = HttpResponseRedirect(_next(request))
            if form.cleaned_data["remember"]:
                second_factor.browser_remember(request=request, response=response)
            return response
    context = {"form": form, "next": _next(request)}
    return render(request, "accounts/verify.html", context, status=422 if form.errors else 200)


@login_required
def security(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/security.html", _security_context(request))


def _security_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "authenticator": second_factor.authenticator(user),
        "required": policy.needs_second_factor_by_duty(user),
        "recovery_left": second_factor.recovery_codes_left(user),
        "browsers": second_factor.browsers_for_user(user=user),
        "tokens": tokens.token_list_for_user(user=user),
        "token_form": TokenForm(),
        "token_days": tokens.token_lifetime().days,
        **extra,
    }


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if second_factor.authenticator(request.user) is None:
        return HttpResponseRedirect(reverse("accounts:setup"))
    codes = second_factor.recovery_codes_issue(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:security")})


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Opting out is for those who opted in; for those who decide, only replacing the authenticator is offered."""
    if policy.needs_second_factor_by_duty(request.user):
        context = _security_context(request, refused=True)
        return render(request, "accounts/security.html", context, status=403)
    second_factor.authenticator_remove(user=request.user)
    return HttpResponseRedirect(reverse("accounts:security"))


@login_required
@require_POST
def browser_forget(request: HttpRequest, pk: int) -> HttpResponse:
    second_factor.browser_forget(user=request.user, pk=pk)
    return HttpResponseRedirect(reverse("accounts:security"))


@login_required
@require_POST
def browsers_forget(request: HttpRequest) -> HttpResponse:
    second_factor.browsers_forget(user=request.user)
    return HttpResponseRedirect(reverse("accounts:security"))


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            issued = tokens.token_issue(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            form.add_error("days", exc)
        else:
            return render(request, "accounts/security.html", _security_context(request, issued=issued))
    return render(request, "accounts/security.html", _security_context(request, token_form=form), status=422)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    tokens.token_revoke(user=request.user, pk=pk)
    return HttpResponseRedirect(reverse("accounts:security"))
