"""Form page for the deciding body's extension of the recognition decision's deadline (once, with a reason)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from admission.dossier.form_pages import Screen
from admission.party import permissions
from admission.probation import services
from admission.probation.forms import DecisionExtendForm
from admission.probation.views.common import _handle, _posted, _probation


@login_required
@require_http_methods(["GET", "POST"])
def decision_extend(request: HttpRequest, pk: int) -> HttpResponse:
    probation = _probation(request, pk)
    if not permissions.can_act_for_org(request.user, services.deciding_org(probation, permissions.today())):
        raise PermissionDenied(_("Only the committee that decides the recognition extends its deadline."))
    form = DecisionExtendForm(_posted(request))
    deadlines = services.probation_deadlines(probation.candidate)
    screen = Screen(
        _("Extend the recognition decision's deadline"),
        _("In special cases the deciding committee may take up to 30 more working days, once, giving the reason."),
        _("Extend the deadline"),
        "next",
        _("The decision's deadline is extended."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.recognition_decision_extend(probation=probation, by=request.user, **form.cleaned_data),
        decision_due=deadlines.decision_due,
    )
