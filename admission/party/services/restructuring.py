"""Restructuring operations on the tree itself: who may ask for one, what makes one valid, and the change of the
tree on its effective date. Moving what waits at the old bodies (cases, members, steps) is done one level up, in
`admission.restructuring`, which calls `tree_change` and then follows the records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from admission.core.bounds import MAX_DAYS_AHEAD
from admission.party import permissions
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.restructuring import RestructuringKind, RestructuringOperation, RestructuringStatus
from admission.party.models.roles import RoleKind
from admission.party.services.orgs import ALLOWED_PARENTS, org_dissolve, org_move
from admission.rules.reference import normalise_text, vn_date

# The bodies that own a tree and restructure it: the organisation board of a province or a commune.
OWNER_KINDS = (OrgKind.PROVINCE_COMMITTEE, OrgKind.COMMUNE_COMMITTEE)


def board_orgs(user: Any, *, on: date | None = None) -> list[PartyOrg]:
    """The province and commune organisations where `user` sits on the organisation board today."""
    roles = permissions.active_roles(user, on=on).filter(kind=RoleKind.ORG_BOARD_OFFICER, org__kind__in=OWNER_KINDS)
    return [role.org for role in roles]


def owning_board(user: Any, org: PartyOrg) -> PartyOrg | None:
    """The nearest organisation strictly above `org` whose organisation board `user` sits on, or None."""
    for board in sorted(board_orgs(user), key=lambda o: -len(o.path)):
        if org.pk != board.pk and org.path.startswith(board.path):
            return board
    return None


def require_owning_board(user: Any, org: PartyOrg) -> PartyOrg:
    board = owning_board(user, org)
    if board is None:
        raise PermissionDenied(
            _("Only the organisation board of the province or commune above %(org)s can restructure it.")
            % {"org": org.name}
        )
    return board


def _same_family(a: PartyOrg, b: PartyOrg) -> bool:
    return a.kind == b.kind or (a.is_cell and b.is_cell)


def _check_children_fit(org: PartyOrg, successor: PartyOrg) -> None:
    for child in PartyOrg.objects.filter(parent=org, valid_to__isnull=True):
        if successor.kind not in ALLOWED_PARENTS[child.kind]:
            raise ValidationError(
                _("%(child)s cannot sit under %(successor)s: move it first.")
                % {"child": child.name, "successor": successor.name}
            )


def validate(
    *,
    kind: str,
    org: PartyOrg,
    board: PartyOrg,
    effective_on: date,
    target: PartyOrg | None = None,
    new_name: str = "",
    reason: str = "",
    today: date | None = None,
    latest_record_on: date | None = None,
) -> None:
    """Refuse, with one plain sentence, an operation that cannot be applied on its date. `latest_record_on` is the
    date of the latest record already made in the org's subtree (a meeting, a decided step, a member joining): an
    operation dated before it would end roles and memberships under records made since."""
    day = today or permissions.today()
    if kind not in RestructuringKind.values:
        raise ValidationError(_("Choose merge, dissolve, move or rename."))
    if not normalise_text(reason):
        raise ValidationError(_("Give the reason for the restructuring (the decision it carries out)."))
    if org.valid_to is not None:
        raise ValidationError(_("%(org)s no longer exists.") % {"org": org.name})
    if effective_on > day + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            _("The effective date must be no later than %(day)s (one year ahead).")
            % {"day": vn_date(day + timedelta(days=MAX_DAYS_AHEAD))}
        )
    if org.valid_from is not None and effective_on <= org.valid_from:
        raise ValidationError(
            _("The effective date must be after %(org)s was founded (%(day)s).")
            % {"org": org.name, "day": vn_date(org.valid_from)}
        )
    if latest_record_on is not None and effective_on < latest_record_on:
        raise ValidationError(
            _(
                "The effective date cannot be before %(day)s: records of %(org)s or its units were already made on "
                "that day (a meeting, a decision or a member joining)."
            )
            % {"org": org.name, "day": vn_date(latest_record_on)}
        )
    current = org.parent_links.filter(valid_to__isnull=True).first()
    if current is not None and current.valid_from is not None and effective_on <= current.valid_from:
        raise ValidationError(
            _("The effective date must be after %(org)s was attached to its current superior (%(day)s).")
            % {"org": org.name, "day": vn_date(current.valid_from)}
        )
    if RestructuringOperation.objects.filter(org=org, status=RestructuringStatus.SCHEDULED).exists():
        raise ValidationError(_("%(org)s already has a restructuring scheduled: wait for it.") % {"org": org.name})
    if kind == RestructuringKind.RENAME:
        if not normalise_text(new_name) or normalise_text(new_name) == org.name:
            raise ValidationError(_("Type the new name."))
        return
    if target is None:
        raise ValidationError(_("Choose the successor or the new superior organisation."))
    if target.pk == org.pk or target.path.startswith(org.path):
        raise ValidationError(_("Choose an organisation outside %(org)s and its units.") % {"org": org.name})
    if not target.path.startswith(board.path):
        raise ValidationError(_("Choose an organisation under %(board)s.") % {"board": board.name})
    if target.valid_to is not None or not target.exists_on(effective_on):
        raise ValidationError(
            _("%(target)s does not exist on %(day)s.") % {"target": target.name, "day": vn_date(effective_on)}
        )
    if kind == RestructuringKind.MOVE:
        if target.pk == org.parent_id:
            raise ValidationError(_("%(org)s is already under %(target)s.") % {"org": org.name, "target": target.name})
        if target.kind not in ALLOWED_PARENTS[org.kind]:
            raise ValidationError(
                _("A %(kind)s cannot sit directly under a %(parent)s.")
                % {"kind": OrgKind(org.kind).label, "parent": OrgKind(target.kind).label}
            )
        return
    if kind == RestructuringKind.MERGE and not _same_family(org, target):
        raise ValidationError(_("Only organisations of the same kind merge: a cell into a cell, a committee into one."))
    if org.is_cell and not target.is_cell:
        raise ValidationError(_("The members of a cell need a cell to go to: choose a party cell."))
    if target.is_cell and not org.is_cell:
        raise ValidationError(_("A committee cannot be dissolved into a party cell."))
    _check_children_fit(org, target)


def tree_change(operation: RestructuringOperation, *, on: date) -> None:
    """Change the tree as the operation says, from its effective date (links closed, never rewritten)."""
    org = operation.org
    reason = normalise_text(operation.reason)
    if operation.kind == RestructuringKind.RENAME:
        org = PartyOrg.objects.select_for_update().get(pk=org.pk)
        org.name = normalise_text(operation.new_name)
        org._change_reason = reason  # type: ignore[attr-defined]
        org.save(update_fields=["name"])
    elif operation.kind == RestructuringKind.MOVE:
        assert operation.target is not None
        org_move(org=org, new_parent=operation.target, on=on, reason=reason)
    else:
        org_dissolve(org=org, on=on, merged_into=operation.target)
