"""Removal from the list (xóa tên) and the escalated case: the cell proposes a removal, the competent committee
decides it; after three inconclusive votes that committee decides the case itself, recognition or removal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from admission.decisions.models.decisions import StepStatus
from admission.party import hierarchy, permissions
from admission.party.models.people import Membership
from admission.probation.models import Probation, ProbationRemoval, ProbationStatus, RecognitionStep, RemovalStatus
from admission.probation.services.base import (
    _between,
    _lock,
    _propose_removal,
    _require_no_pending_transfer,
    _require_open,
    _text,
)
from admission.probation.services.deadlines import current_round
from admission.probation.services.recognition import _active_chain, _recognise, deciding_org
from admission.probation.signals import probation_changed
from admission.rules.reference import vn_date as _d
from admission.sourcing.services.transitions import fire

# ------------------------------------------------------------------------------------------------------------------
# Removal and escalation
# ------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def removal_propose(
    *, probation: Probation, reason_code: str, reason: str, proposed_on: date, by: Any
) -> ProbationRemoval:
    """The cell proposes to remove the probationer from the list (xóa tên): no longer worthy during probation, or
    not qualified at its end."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _require_no_pending_transfer(probation)
    if _active_chain(probation):
        raise ValidationError(_("The cell's resolution is already with the committees."))
    _between(proposed_on, probation.starts_on, _("The date must be between the ceremony and today."))
    removal = _propose_removal(
        probation=probation,
        reason_code=reason_code,
        reason=reason,
        proposed_on=proposed_on,
        org=probation.candidate.cell,
        by=by,
    )
    probation_changed.send(sender=Probation, candidate=probation.candidate)
    return removal


@transaction.atomic
def removal_decide(
    *,
    removal: ProbationRemoval,
    approve: bool,
    decided_on: date,
    by: Any,
    decision_number: str = "",
    note: str = "",
) -> ProbationRemoval:
    """The competent committee decides a proposed removal. Approved: the member leaves the list and the cell on
    that date, the case closes. Not approved: the cell considers recognition again."""
    probation = _lock(removal.probation)
    removal = ProbationRemoval.objects.select_for_update().get(pk=removal.pk)
    _require_open(probation)
    if removal.status != RemovalStatus.PROPOSED:
        raise ValidationError(_("This removal has already been decided."))
    org = deciding_org(probation, decided_on)
    permissions.require_act_for_org(by, org)
    _between(decided_on, removal.proposed_on, _("The decision must be dated between the proposal and today."))
    if approve and not _text(decision_number):
        raise ValidationError(_("Enter the number of the decision."))
    removal.status = RemovalStatus.DECIDED if approve else RemovalStatus.REJECTED
    removal.decided_on = decided_on
    removal.decision_number = _text(decision_number)
    removal.decided_by_org = org
    removal.decision_note = _text(note)
    removal.decided_by = by
    removal.save()
    if approve:
        _remove(probation, removal=removal, by=by)
    return removal


def _remove(probation: Probation, *, removal: ProbationRemoval, by: Any) -> None:
    assert removal.decided_on is not None
    membership = Membership.objects.select_for_update().get(pk=probation.membership_id)
    if removal.decided_on <= membership.joined_cell_on:
        raise ValidationError(_("The removal must be dated after the member joined the cell."))
    membership.left_cell_on = removal.decided_on
    membership.full_clean()
    membership.save()
    probation.status = ProbationStatus.REMOVED
    probation.closed_on = removal.decided_on
    probation.save()
    candidate = probation.candidate
    candidate.closed_on = removal.decided_on
    candidate.closing_reason = removal.reason
    fire(
        candidate,
        "remove",
        by=by,
        reason=_("Removed from the list by decision %(n)s of %(day)s: %(reason)s")
        % {"n": removal.decision_number, "day": _d(removal.decided_on), "reason": removal.get_reason_code_display()},
    )


@transaction.atomic
def escalation_decide(
    *,
    probation: Probation,
    recognise: bool,
    decided_on: date,
    document_number: str,
    by: Any,
    reason_code: str = "",
    reason: str = "",
) -> Probation:
    """After three inconclusive votes the competent committee decides the case itself: recognition (16-KNĐ, official
    from the end of probation) or removal (with its reason)."""
    probation = _lock(probation)
    _require_open(probation)
    if not probation.escalated_on or probation.escalated_to is None:
        raise ValidationError(_("This case has not been reported to the superior committee."))
    permissions.require_act_for_org(by, probation.escalated_to)
    _between(decided_on, probation.escalated_on, _("The decision must be dated between the report and today."))
    if not _text(document_number):
        raise ValidationError(_("Enter the number of the decision."))
    if recognise:
        RecognitionStep.objects.create(
            probation=probation,
            round=current_round(probation) + 1,
            order=1,
            kind=hierarchy.StepKind.DECISION,
            org=probation.escalated_to,
            form=hierarchy.FORMS[hierarchy.Purpose.RECOGNITION][hierarchy.StepKind.DECISION],
            status=StepStatus.DONE,
            document_number=_text(document_number),
            document_date=decided_on,
            done_on=decided_on,
            done_by=by,
            note=_("Decided by the superior committee after the cell's votes reached no conclusion"),
        )
        _recognise(probation, on=decided_on, number=_text(document_number), by=by)
        return probation
    removal = _propose_removal(
        probation=probation,
        reason_code=reason_code,
        reason=reason,
        proposed_on=decided_on,
        org=probation.escalated_to,
        by=by,
    )
    removal.status = RemovalStatus.DECIDED
    removal.decided_on = decided_on
    removal.decision_number = _text(document_number)
    removal.decided_by_org = probation.escalated_to
    removal.decided_by = by
    removal.save()
    _remove(probation, removal=removal, by=by)
    return probation
