"""Pages: the notification centre, the preferences, the deadline board, delegations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from admission.party import permissions
from notifications import selectors, services
from notifications.forms import BoardFilterForm, DelegationForm, PreferencesForm, delegable_orgs

INBOX = "notifications:inbox:index"


@login_required
@require_safe
def inbox(request: HttpRequest) -> TemplateResponse:
    unread_only = request.GET.get("unread") == "1"
    rows = selectors.notification_list_for_user(user=request.user, unread_only=unread_only)[:200]
    return TemplateResponse(
        request,
        "notifications/inbox.html",
        {"notifications": rows, "unread_only": unread_only, "unread": selectors.unread_count(user=request.user)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with `open`, go on to the notification's page (the link in the list does this)."""
    notification = services.notification_mark_read(user=request.user, pk=pk)
    if request.POST.get("open") and notification.url and url_has_allowed_host_and_scheme(notification.url, None):
        return redirect(notification.url)
    return redirect(INBOX)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect(INBOX)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, user=request.user, language=services.language_of(request.user))
    if request.method == "POST":
        if form.is_valid():
            services.preferences_set(user=request.user, choices=form.choices(), language=form.cleaned_data["language"])
            messages.success(request, _("Your choices are saved."))
            return redirect("notifications:inbox:preferences")
        return TemplateResponse(request, "notifications/preferences.html", {"form": form}, status=422)
    return TemplateResponse(request, "notifications/preferences.html", {"form": form})


@login_required
@require_safe
def board(request: HttpRequest) -> TemplateResponse:
    """The deadline board of the user's units; `?org=` narrows it to a subtree in scope (outside: 404)."""
    raw_org = request.GET.get("org")
    if raw_org:
        permissions.get_org_or_404(request.user, raw_org)
    form = BoardFilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        raise Http404
    data = form.cleaned_data if request.GET else {}
    filters = selectors.BoardFilters(
        org=data.get("org"),
        state=data.get("state") or "",
        overdue_only=bool(data.get("overdue")),
        escalated_only=bool(data.get("escalated")),
    )
    rows = selectors.deadline_board(user=request.user, filters=filters)
    return TemplateResponse(request, "notifications/board.html", {"form": form, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def delegations(request: HttpRequest) -> HttpResponse:
    form = DelegationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.delegation_create(
                from_user=request.user,
                to_user=data["to_user"],
                org=data["org"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("The substitute is named."))
            return redirect("notifications:delegations:index")
    context = {
        "form": form,
        "delegations": selectors.delegation_list_for_user(user=request.user),
        "can_delegate": delegable_orgs(request.user).exists(),
        "today": permissions.today(),
    }
    return TemplateResponse(
        request, "notifications/delegations.html", context, status=422 if request.method == "POST" else 200
    )


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = selectors.delegation_get_for_user(user=request.user, pk=pk)
    try:
        services.delegation_revoke(delegation=delegation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The delegation is revoked."))
    return redirect("notifications:delegations:index")
