"""Transfers during probation: the former cell writes its comments; the receiving cell takes over the case and its
recognition. A move outside this system closes the case here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.probation.models import Probation, ProbationStatus, ProbationTransfer, RemovalStatus, TransferStatus
from admission.probation.services.base import _between, _lock, _require_no_pending_transfer, _require_open, _text
from admission.probation.services.recognition import _active_chain
from admission.probation.signals import probation_changed
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.services.candidates import MAX_ACTIVE_MENTORS, mentor_assign
from admission.sourcing.services.transitions import fire

# ------------------------------------------------------------------------------------------------------------------
# Transfers
# ------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def transfer_out(
    *,
    probation: Probation,
    moved_on: date,
    former_cell_comment: str,
    by: Any,
    to_cell: PartyOrg | None = None,
    destination: str = "",
) -> ProbationTransfer:
    """The former cell transfers the probationer, with its comments on the months spent there. To a cell of this
    system (inside or outside the organisation) the receiving cell then receives them and completes the
    recognition; to an organisation outside the system the case closes here."""
    probation = _lock(probation)
    candidate = probation.candidate
    permissions.require_act_for_org(by, candidate.cell)
    _require_open(probation)
    _require_no_pending_transfer(probation)
    if _active_chain(probation) or probation.removals.filter(status=RemovalStatus.PROPOSED).exists():
        raise ValidationError(_("A recognition or a removal is with the committees: wait for its outcome."))
    if not _text(former_cell_comment):
        raise ValidationError(_("Write the cell's comments on the member's probation here."))
    membership = probation.membership
    if moved_on <= membership.joined_cell_on or moved_on > permissions.today():
        raise ValidationError(_("The date must be after the member joined the cell and not in the future."))
    if (to_cell is None) == (not _text(destination)):
        raise ValidationError(_("Choose the receiving cell, or name the organisation outside this system."))
    if to_cell is not None and (
        not to_cell.is_cell or to_cell.pk == candidate.cell_id or not to_cell.exists_on(moved_on)
    ):
        raise ValidationError(_("Choose another party cell that exists on that date."))
    membership.left_cell_on = moved_on
    membership.full_clean()
    membership.save()
    transfer = ProbationTransfer.objects.create(
        probation=probation,
        from_cell=candidate.cell,
        from_membership=membership,
        to_cell=to_cell,
        destination=_text(destination),
        moved_on=moved_on,
        former_cell_comment=_text(former_cell_comment),
        status=TransferStatus.PENDING if to_cell else TransferStatus.LEFT_SYSTEM,
        recorded_by=by,
    )
    for mentor in candidate.mentors.filter(ended_on__isnull=True):
        mentor.ended_on = max(moved_on, mentor.assigned_on)
        mentor.end_reason = _("The member moved to another cell")
        mentor.save()
    if to_cell is None:
        probation.status = ProbationStatus.TRANSFERRED_OUT
        probation.closed_on = moved_on
        probation.save()
        candidate.closed_on = moved_on
        candidate.closing_reason = _("Transferred to %(org)s") % {"org": transfer.destination}
        fire(candidate, "transfer_away", by=by, reason=candidate.closing_reason)
    probation_changed.send(sender=Probation, candidate=candidate)
    return transfer


@transaction.atomic
def transfer_in(
    *, transfer: ProbationTransfer, received_on: date, helpers: Sequence[Membership], by: Any
) -> ProbationTransfer:
    """The receiving cell receives the probationer: a new membership there (admission date unchanged), the case
    moves to the cell, which names one or two helpers and will complete the recognition with the former cell's
    comments attached."""
    transfer = ProbationTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.to_cell is None:
        raise PermissionDenied(_("This transfer went outside this system."))
    permissions.require_act_for_org(by, transfer.to_cell)
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(_("This transfer has already been received."))
    probation = _lock(transfer.probation)
    _require_open(probation)
    _between(received_on, transfer.moved_on, _("The date must be between the move and today."))
    if not 1 <= len(helpers) <= MAX_ACTIVE_MENTORS:
        raise ValidationError(_("Assign one or two official members of the cell to help the member."))
    old = transfer.from_membership
    membership = Membership(
        person=old.person,
        cell=transfer.to_cell,
        admitted_on=old.admitted_on,
        joined_cell_on=received_on,
        party_card_no=old.party_card_no,
    )
    membership.full_clean()
    membership.save()
    candidate = Candidate.objects.select_for_update().get(pk=probation.candidate_id)
    candidate.cell = transfer.to_cell
    candidate._change_reason = _("Transferred from %(cell)s") % {"cell": transfer.from_cell}
    candidate.save()
    for member in helpers:
        mentor_assign(candidate=candidate, member=member, assigned_on=received_on, by=by)
    probation.membership = membership
    probation.save()
    transfer.status = TransferStatus.RECEIVED
    transfer.received_on = received_on
    transfer.to_membership = membership
    transfer.received_by = by
    transfer.save()
    return transfer
