"""The restructuring screen of the organisation board: the form, the preview of the open cases and members the
operation touches, then the confirmation. Outside the user's units the org is a 404; inside them, anyone who is
not on the board of the province or commune above it gets a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from admission.party import permissions
from admission.party.models.restructuring import RestructuringStatus
from admission.party.services import restructuring as tree
from admission.restructuring import services
from admission.restructuring.forms import RestructuringForm
from admission.rules.reference import vn_date


@login_required
@require_http_methods(["GET", "POST"])
def restructure(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST: the preview (nothing saved); POST with `confirm`: the operation, recorded and applied
    when its date is today or past."""
    org = permissions.get_org_or_404(request.user, pk)
    board = tree.require_owning_board(request.user, org)
    form = RestructuringForm(request.POST or None, org=org, board=board)
    context: dict[str, object] = {"org": org, "board": board, "form": form}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            args = {
                "user": request.user,
                "kind": data["kind"],
                "org": org,
                "effective_on": data["effective_on"],
                "reason": data["reason"],
                "target": data["target"],
                "new_name": data["new_name"],
            }
            try:
                if request.POST.get("confirm") == "1":
                    operation = services.restructuring_request(**args, decision_number=data["decision_number"])
                    if operation.status == RestructuringStatus.APPLIED:
                        messages.success(request, _("The restructuring is applied."))
                    else:
                        messages.success(
                            request,
                            _("The restructuring is scheduled for %(day)s.") % {"day": vn_date(operation.effective_on)},
                        )
                    return redirect("admission:orgs:restructurings")
                context["preview"] = services.preview(**args)
                status = 200
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
    return TemplateResponse(request, "admission/restructuring/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def restructuring_list(request: HttpRequest) -> HttpResponse:
    """The operations decided by the boards the user sits on, newest first. POST: cancel a scheduled one (its id,
    the reason and the confirmation ticked)."""
    operations = services.operation_list_for_user(request.user)
    status = 200
    if request.method == "POST":
        operation = get_object_or_404(operations, pk=_int(request.POST.get("operation")))
        reason = request.POST.get("reason", "")
        try:
            if request.POST.get("confirm") != "1":
                raise ValidationError(_("Tick the box to confirm the cancellation."))
            services.restructuring_cancel(operation=operation, user=request.user, reason=reason)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            status = 422
        else:
            messages.success(request, _("The restructuring is cancelled."))
            return redirect("admission:orgs:restructurings")
    context = {
        "operations": operations[:200],
        "boards": tree.board_orgs(request.user),
        "scheduled": RestructuringStatus.SCHEDULED,
    }
    return TemplateResponse(request, "admission/restructuring/list.html", context, status=status)


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 19 else 0
