"""The restructuring screen of the organisation board: the form, the preview of the open cases and members the
operation touches, then the confirmation. Outside the user's units the org is a 404; inside them, anyone who is
not on the board of the province or commune above it gets a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from admission.party import permissions
from admission.party.models.restructuring import RestructuringOperation, RestructuringStatus
from admission.party.services import restructuring as tree
from admission.restructuring import services
from admission.restructuring.forms import RestructuringForm


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
                            _("The restructuring is scheduled for %(day)s.")
                            % {"day": f"{operation.effective_on:%d/%m/%Y}"},
                        )
                    return redirect("admission:orgs:restructurings")
                context["preview"] = services.preview(**args)
                status = 200
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
    return TemplateResponse(request, "admission/restructuring/form.html", context, status=status)


@login_required
@require_safe
def restructuring_list(request: HttpRequest) -> TemplateResponse:
    """The operations decided by the boards the user sits on, newest first."""
    boards = tree.board_orgs(request.user)
    operations = (
        RestructuringOperation.objects.filter(owner_org__in=boards)
        .select_related("org", "target", "owner_org", "requested_by")
        .order_by("-requested_at", "-pk")[:200]
    )
    return TemplateResponse(request, "admission/restructuring/list.html", {"operations": operations, "boards": boards})
