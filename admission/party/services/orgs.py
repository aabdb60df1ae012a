"""Creating and restructuring the party hierarchy without rewriting history."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from admission.party.models.orgs import AdmissionAuthority, DecidingBody, OrgKind, OrgParentLink, PartyOrg
from admission.rules.reference import normalise_text

# Which kinds may sit directly under which (domain.md §1.3–1.4, both the 2025 and the 2026 commune models).
ALLOWED_PARENTS: dict[str, set[str]] = {
    OrgKind.PROVINCE_COMMITTEE: set(),
    OrgKind.COMMUNE_COMMITTEE: {OrgKind.PROVINCE_COMMITTEE},
    OrgKind.GRASSROOTS_COMMITTEE: {OrgKind.PROVINCE_COMMITTEE, OrgKind.COMMUNE_COMMITTEE},
    OrgKind.SUB_GRASSROOTS_COMMITTEE: {OrgKind.GRASSROOTS_COMMITTEE, OrgKind.COMMUNE_COMMITTEE},
    OrgKind.PARTIAL_COMMITTEE: {OrgKind.GRASSROOTS_COMMITTEE, OrgKind.COMMUNE_COMMITTEE},
    OrgKind.GRASSROOTS_CELL: {OrgKind.PROVINCE_COMMITTEE, OrgKind.COMMUNE_COMMITTEE},
    OrgKind.CELL: {
        OrgKind.GRASSROOTS_COMMITTEE,
        OrgKind.PARTIAL_COMMITTEE,
        OrgKind.SUB_GRASSROOTS_COMMITTEE,
        OrgKind.COMMUNE_COMMITTEE,
    },
}


def _check_parent(kind: str, parent: PartyOrg | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    if parent is None:
        if allowed:
            raise ValidationError(_("This kind of organisation must have a superior organisation."))
        return
    if parent.kind not in allowed:
        raise ValidationError(
            _("A %(kind)s cannot sit directly under a %(parent)s.")
            % {"kind": OrgKind(kind).label, "parent": OrgKind(parent.kind).label}
        )


@transaction.atomic
def org_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: PartyOrg | None,
    valid_from: date | None = None,
    place_name: str = "",
) -> PartyOrg:
    _check_parent(kind, parent)
    if parent is not None and valid_from is not None and not parent.exists_on(valid_from):
        raise ValidationError(_("The superior organisation does not exist on the founding date."))
    org = PartyOrg(
        code=code.strip(),
        name=normalise_text(name),
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        place_name=normalise_text(place_name),
    )
    org.full_clean(exclude=["path"])
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    if parent is not None:
        OrgParentLink.objects.create(org=org, parent=parent, valid_from=valid_from, reason=_("Founded"))
    return org


@transaction.atomic
def org_move(*, org: PartyOrg, new_parent: PartyOrg, on: date, reason: str) -> PartyOrg:
    """Put `org` (and its whole subtree) under `new_parent` from `on`; the old link is closed, not rewritten."""
    org = PartyOrg.objects.select_for_update().get(pk=org.pk)
    _check_parent(org.kind, new_parent)
    if new_parent.path.startswith(org.path):
        raise ValidationError(_("An organisation cannot be moved under itself or one of its own units."))
    if not new_parent.exists_on(on):
        raise ValidationError(_("The new superior organisation does not exist on that date."))
    current = org.parent_links.filter(valid_to__isnull=True).first()
    if current is not None:
        if current.valid_from is not None and on <= current.valid_from:
            raise ValidationError(_("The move date must be after the start of the current attachment."))
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    OrgParentLink.objects.create(org=org, parent=new_parent, valid_from=on, reason=normalise_text(reason))
    old_path = org.path
    new_path = f"{new_parent.path}{org.pk}/"
    PartyOrg.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    PartyOrg.objects.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()
    return org


@transaction.atomic
def org_dissolve(*, org: PartyOrg, on: date, merged_into: PartyOrg | None = None) -> PartyOrg:
    """Close an org from `on` (its rows stay: cases keep pointing at it), optionally naming its successor."""
    org = PartyOrg.objects.select_for_update().get(pk=org.pk)
    if org.valid_to is not None:
        raise ValidationError(
            _("This organisation was already dissolved on %(day)s.") % {"day": f"{org.valid_to:%d/%m/%Y}"}
        )
    if org.valid_from is not None and on <= org.valid_from:
        raise ValidationError(_("The dissolution date must be after the founding date."))
    open_children = PartyOrg.objects.filter(parent=org, valid_to__isnull=True)
    if open_children.exists() and merged_into is None:
        raise ValidationError(
            _("Move or dissolve its %(count)d units first, or name the organisation it merges into.")
            % {"count": open_children.count()}
        )
    if merged_into is not None:
        if merged_into.pk == org.pk or not merged_into.exists_on(on):
            raise ValidationError(_("The organisation it merges into must be another one that exists on that date."))
        for child in open_children:
            org_move(org=child, new_parent=merged_into, on=on, reason=_("Merger of %(org)s") % {"org": org.name})
    org.valid_to = on
    org.merged_into = merged_into
    org.save(update_fields=["valid_to", "merged_into"])
    org.parent_links.filter(valid_to__isnull=True).update(valid_to=on)
    org.authorities.filter(valid_to__isnull=True).update(valid_to=on)
    return org


@transaction.atomic
def authority_grant(
    *,
    org: PartyOrg,
    deciding_body: str,
    valid_from: date,
    valid_to: date | None = None,
    granted_by: PartyOrg | None = None,
    decision_number: str = "",
    decision_date: date | None = None,
    note: str = "",
) -> AdmissionAuthority:
    """Record which body of `org` decides admissions from `valid_from`; closes the previous open period."""
    if deciding_body == DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE and org.kind != OrgKind.GRASSROOTS_COMMITTEE:
        raise ValidationError(_("Only a grassroots committee can be authorised to admit."))
    overlapping = org.authorities.filter(valid_to__isnull=True, valid_from__lt=valid_from)
    overlapping.update(valid_to=valid_from)
    row = AdmissionAuthority(
        org=org,
        deciding_body=deciding_body,
        valid_from=valid_from,
        valid_to=valid_to,
        granted_by=granted_by,
        decision_number=normalise_text(decision_number),
        decision_date=decision_date,
        note=note,
    )
    row.full_clean()
    if org.authorities.filter(valid_from=valid_from).exists():
        raise ValidationError(_("This organisation already has an admission authority starting on that date."))
    row.save()
    return row
