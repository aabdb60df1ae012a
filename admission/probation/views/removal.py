"""Form page for the cell's proposal to remove the probationer from the list (xóa tên)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from admission.dossier.form_pages import Screen
from admission.probation import services
from admission.probation.forms import RemovalProposeForm
from admission.probation.views.common import _acting, _handle, _posted


@login_required
@require_http_methods(["GET", "POST"])
def removal_propose(request: HttpRequest, pk: int) -> HttpResponse:
    probation = _acting(request, pk)
    form = RemovalProposeForm(_posted(request))
    screen = Screen(
        _("Propose the removal from the list"),
        _(
            "The cell proposes to remove the probationary member from the list of party members (xóa tên). The "
            "competent committee decides; the case then waits for its decision."
        ),
        _("Propose the removal"),
        "removals",
        _("The removal is proposed to the competent committee."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.removal_propose(probation=probation, by=request.user, **form.cleaned_data),
        danger=True,
    )
