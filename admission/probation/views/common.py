"""What the probation screens share: the probation as the user may read it (a cell the member is moving to reads it
too), who reads through their units, who acts (the cell, the member, a helper, the deciding body), the page's
address, and the plumbing of the form pages (validate, call the one service, answer).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from admission.dossier.form_pages import FormLike, Screen, handle_form
from admission.party import permissions
from admission.probation import selectors as reads
from admission.probation import services
from admission.probation.models import Probation, TransferStatus
from admission.sourcing.models.candidates import Mentor

FORM_TEMPLATE = "admission/probation/form.html"


def _probation(request: HttpRequest, pk: int) -> Probation:
    """The probation of case `pk` as the user may read it; a cell the member is moving to reads it before receipt."""
    try:
        return reads.probation_get_for_user(user=request.user, candidate_pk=pk)
    except Http404:
        transfer = (
            reads.transfer_list_for_user(user=request.user)
            .filter(probation__candidate_id=pk, status=TransferStatus.PENDING)
            .first()
        )
        if transfer is None:
            raise
        return transfer.probation


def _seen_by_unit(user: Any, probation: Probation) -> bool:
    """Read through the user's units (the current cell, a former or a receiving cell), not only as the member."""
    if Probation.objects.filter(permissions.scope_q(user, field="candidate__cell__path"), pk=probation.pk).exists():
        return True
    in_scope = permissions.scope_q(user, field="from_cell__path") | permissions.scope_q(user, field="to_cell__path")
    return probation.transfers.filter(in_scope).exists()


def _is_member(user: Any, probation: Probation) -> bool:
    owner = probation.candidate.person.user_id
    return owner is not None and owner == getattr(user, "pk", None)


def _writes_for_helper(user: Any, probation: Probation, mentor: Mentor) -> bool:
    helper_user = mentor.member.person.user_id
    own = helper_user is not None and helper_user == getattr(user, "pk", None)
    return own or permissions.can_act_for_org(user, probation.candidate.cell)


def _can_extend(user: Any, probation: Probation) -> bool:
    """The deciding body, while the case waits for its decision and the deadline was not extended yet."""
    if not probation.is_open or probation.decision_extension_reason:
        return False
    if services.cell_resolution(probation) is None or services.next_step(probation) is None:
        return False
    return permissions.can_act_for_org(user, services.deciding_org(probation, permissions.today()))


def _acting(request: HttpRequest, pk: int) -> Probation:
    """The probation, for a user who acts for the member's cell: 404 outside the user's units, 403 when reading."""
    probation = _probation(request, pk)
    permissions.require_act_for_org(request.user, probation.candidate.cell)
    return probation


def probation_url(probation: Probation, anchor: str = "") -> str:
    url = reverse("admission:candidates:probation", args=[probation.candidate_id])
    return f"{url}#{anchor}" if anchor else url


# ------------------------------------------------------------------------------------------------------------------
# Form pages: one service each
# ------------------------------------------------------------------------------------------------------------------


def _handle(
    request: HttpRequest,
    probation: Probation,
    form: FormLike,
    screen: Screen,
    action: Callable[[], object],
    **extra: Any,
) -> HttpResponse:
    """Validate, call the one service, answer: the page with a message, or the form again with 422."""
    return handle_form(
        request,
        form=form,
        screen=screen,
        action=action,
        back_url=probation_url(probation, screen.anchor),
        template=FORM_TEMPLATE,
        context={"candidate": probation.candidate, "probation": probation, **extra},
    )


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None
