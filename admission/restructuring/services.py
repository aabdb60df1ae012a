"""Restructuring as one recorded operation: asked for by the organisation board that owns the tree, previewed,
confirmed, and applied on its effective date (at once when that date is today or past, else by
`manage.py restructure_apply`). Applying changes the tree, moves the members and open cases of a merged cell,
re-resolves the waiting steps of open cases to the successor bodies, and sends `restructuring_applied` so that the
workflow engine moves the open tasks to the successors' queues in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.party.models.restructuring import RestructuringKind, RestructuringOperation, RestructuringStatus
from admission.party.models.roles import Role
from admission.party.services import restructuring as tree
from admission.party.services.roles import role_end
from admission.restructuring import cases as case_moves
from admission.restructuring.signals import restructuring_applied
from admission.rules.reference import normalise_text, vn_date


@dataclass(frozen=True)
class Preview:
    """What the operation will touch, shown before it is confirmed."""

    board: PartyOrg
    kind: str
    org: PartyOrg
    target: PartyOrg | None
    new_name: str
    effective_on: date
    applies_now: bool
    affected: case_moves.Affected

    @property
    def kind_label(self) -> str:
        return str(RestructuringKind(self.kind).label)


def _checked(
    *, user: Any, kind: str, org: PartyOrg, effective_on: date, reason: str, target: PartyOrg | None, new_name: str
) -> PartyOrg:
    """The board that decides on `org` (the user must sit on it), once the operation passed every check."""
    board = tree.require_owning_board(user, org)
    tree.validate(
        kind=kind,
        org=org,
        board=board,
        effective_on=effective_on,
        target=target,
        new_name=new_name,
        reason=reason,
        latest_record_on=case_moves.latest_record_on(org),
    )
    return board


def preview(
    *,
    user: Any,
    kind: str,
    org: PartyOrg,
    effective_on: date,
    reason: str,
    target: PartyOrg | None = None,
    new_name: str = "",
) -> Preview:
    """Check the operation as `restructuring_request` would, and list the open cases and members it touches."""
    board = _checked(
        user=user, kind=kind, org=org, effective_on=effective_on, reason=reason, target=target, new_name=new_name
    )
    probe = RestructuringOperation(kind=kind, org=org, target=target, effective_on=effective_on)
    return Preview(
        board=board,
        kind=kind,
        org=org,
        target=target,
        new_name=normalise_text(new_name),
        effective_on=effective_on,
        applies_now=effective_on <= permissions.today(),
        affected=case_moves.affected(probe, on=min(effective_on, permissions.today())),
    )


@transaction.atomic
def restructuring_request(
    *,
    user: Any,
    kind: str,
    org: PartyOrg,
    effective_on: date,
    reason: str,
    target: PartyOrg | None = None,
    new_name: str = "",
    decision_number: str = "",
) -> RestructuringOperation:
    """Record the operation (who, when, why, from which date); apply it at once when its date is today or past."""
    org = PartyOrg.objects.select_for_update().get(pk=org.pk)
    board = _checked(
        user=user, kind=kind, org=org, effective_on=effective_on, reason=reason, target=target, new_name=new_name
    )
    operation = RestructuringOperation.objects.create(
        kind=kind,
        org=org,
        target=target if kind != RestructuringKind.RENAME else None,
        new_name=normalise_text(new_name) if kind == RestructuringKind.RENAME else "",
        old_name=org.name,
        effective_on=effective_on,
        reason=normalise_text(reason),
        decision_number=normalise_text(decision_number),
        owner_org=board,
        requested_by=user,
    )
    if effective_on <= permissions.today():
        restructuring_apply(operation=operation, by=user)
        operation.refresh_from_db()
    return operation


@transaction.atomic
def restructuring_apply(*, operation: RestructuringOperation, by: Any = None) -> RestructuringOperation:
    """Apply a scheduled operation whose date has come: the tree, then the members and cases, then the tasks."""
    operation = (
        RestructuringOperation.objects.select_for_update(of=("self",))
        .select_related("org", "target")
        .get(pk=operation.pk)
    )
    today = permissions.today()
    if operation.status != RestructuringStatus.SCHEDULED:
        raise ValidationError(_("This restructuring is not waiting to be applied."))
    if operation.effective_on > today:
        raise ValidationError(
            _("This restructuring takes effect on %(day)s.") % {"day": vn_date(operation.effective_on)}
        )
    on = operation.effective_on
    org = operation.org
    who = by if by is not None else operation.requested_by
    reason = _("Restructuring: %(reason)s") % {"reason": operation.reason}
    found = case_moves.affected(operation, on=on)
    outcome: dict[str, Any] = {"members_moved": 0, "cases_moved": 0}
    if operation.kind in (RestructuringKind.MERGE, RestructuringKind.DISSOLVE) and org.is_cell:
        assert operation.target is not None
        members, moved = case_moves.move_members_and_cases(cell=org, to=operation.target, on=on, reason=reason)
        outcome.update(members_moved=members, cases_moved=moved)
    tree.tree_change(operation, on=on)
    if operation.kind in (RestructuringKind.MERGE, RestructuringKind.DISSOLVE):
        outcome["roles_ended"] = _end_roles(org, on=on)
    followed = case_moves.follow(operation, cases=found.cases, on=today, by=who)
    outcome.update(followed)
    operation.status = RestructuringStatus.APPLIED
    operation.applied_at = timezone.now()
    operation.outcome = outcome
    operation.save(update_fields=["status", "applied_at", "outcome"])
    moved_orgs = [org.pk] + ([operation.target.pk] if operation.target else [])
    restructuring_applied.send(
        sender=RestructuringOperation,
        operation=operation,
        candidate_ids=[c.pk for c in found.cases],
        org_ids=moved_orgs,
    )
    return operation


def _end_roles(org: PartyOrg, *, on: date) -> int:
    """The roles at a dissolved or merged org end on its last day (the successor's bodies act from then on)."""
    ended = 0
    for role in Role.objects.filter(org=org).active_on(on).select_related("user"):
        if role.starts_on < on:
            role_end(role=role, on=on)
            ended += 1
    return ended


def restructuring_apply_due(
    *, on: date | None = None
) -> tuple[list[RestructuringOperation], list[tuple[RestructuringOperation, str]]]:
    """Apply every scheduled operation whose effective date has come (oldest first), each in its own transaction.
    One that can no longer be applied (the tree changed since) stays scheduled and comes back with its reason."""
    day = on or permissions.today()
    done: list[RestructuringOperation] = []
    failed: list[tuple[RestructuringOperation, str]] = []
    due = RestructuringOperation.objects.filter(status=RestructuringStatus.SCHEDULED, effective_on__lte=day)
    for operation in due.order_by("effective_on", "pk"):
        try:
            done.append(restructuring_apply(operation=operation))
        except ValidationError as exc:
            failed.append((operation, " ".join(exc.messages)))
    return done, failed


def operation_list_for_user(user: Any) -> Any:
    """The operations decided by the boards the user sits on today, newest first: the list page, the API list and
    the operations the user may cancel."""
    return (
        RestructuringOperation.objects.filter(owner_org__in=tree.board_orgs(user))
        .select_related("org", "target", "owner_org", "requested_by")
        .order_by("-requested_at", "-pk")
    )


@transaction.atomic
def restructuring_cancel(*, operation: RestructuringOperation, user: Any, reason: str) -> RestructuringOperation:
    """Withdraw a scheduled operation before its date (the board that owns the org)."""
    operation = RestructuringOperation.objects.select_for_update().get(pk=operation.pk)
    tree.require_owning_board(user, operation.org)
    if operation.status != RestructuringStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled restructuring can be cancelled."))
    if not normalise_text(reason):
        raise ValidationError(_("Give the reason for cancelling."))
    operation.status = RestructuringStatus.CANCELLED
    operation.outcome = {**operation.outcome, "cancelled_by": user.pk, "cancel_reason": normalise_text(reason)}
    operation._change_reason = normalise_text(reason)  # type: ignore[attr-defined]
    operation.save(update_fields=["status", "outcome"])
    return operation
