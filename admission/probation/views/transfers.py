"""Form page for the cell's transfer of the probationer to another cell, or outside this system."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from admission.dossier.form_pages import Screen
from admission.probation import services
from admission.probation.forms import TransferOutForm
from admission.probation.views.common import _acting, _handle, _posted


@login_required
@require_http_methods(["GET", "POST"])
def transfer_out(request: HttpRequest, pk: int) -> HttpResponse:
    probation = _acting(request, pk)
    form = TransferOutForm(_posted(request), probation=probation)
    screen = Screen(
        _("Transfer the member to another cell"),
        _(
            "The member moves during probation. Choose the receiving cell of this system, which will complete the "
            "recognition with your comments attached; or name the party organisation outside this system, and the "
            "case closes here."
        ),
        _("Transfer the member"),
        "transfers",
        _("The transfer is recorded."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.transfer_out(probation=probation, by=request.user, **form.cleaned_data),
    )
