"""Reads of the party tree and its people: querysets already scoped to the user's units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from admission.core.request_cache import per_request
from admission.party import permissions
from admission.party.models.guests import CellGuest
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import ExemptionKind, MemberExemption, Membership, Person
from admission.party.models.roles import Role
from admission.rules import compute as rules


def org_list_for_user(*, user: Any, include_dissolved: bool = True) -> QuerySet[PartyOrg]:
    orgs = permissions.orgs_in_scope(user).select_related("parent", "merged_into")
    if not include_dissolved:
        orgs = orgs.filter(valid_to__isnull=True)
    return orgs


def org_get_for_user(*, user: Any, pk: int | str) -> PartyOrg:
    return permissions.get_org_or_404(user, pk)


def member_list_for_user(*, user: Any, on: date | None = None) -> QuerySet[Membership]:
    day = on or permissions.today()
    return (
        Membership.objects.filter(permissions.scope_q(user, field="cell__path"))
        .active_on(day)
        .select_related("person", "cell")
    )


def person_list_for_user(*, user: Any) -> QuerySet[Person]:
    """People the user may see: members (past or present) of cells in scope, and the user's own record."""
    in_scope = Membership.objects.filter(permissions.scope_q(user, field="cell__path"), person=OuterRef("pk"))
    own = Q(user=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return Person.objects.filter(Exists(in_scope) | own)


def person_get_for_user(*, user: Any, pk: int | str) -> Person:
    try:
        return person_list_for_user(user=user).get(pk=pk)
    except (Person.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def role_list_for_user(*, user: Any, on: date | None = None) -> QuerySet[Role]:
    return permissions.active_roles(user, on=on)


@dataclass(frozen=True)
class VotingRoster:
    """Who counts in a cell vote on a day (domain.md §3 row 7; 294-QĐ/TW §9.3.2)."""

    official: int
    probationary: int
    temporarily_transferred: int
    exempted: int
    # Members of other cells taking part in this cell's meetings: on the roster, never in the count.
    guests: int = 0

    def denominator(self, *, exempted_present: int = 0) -> int:
        """Official members, less those temporarily transferred away and the exempted members who stayed away."""
        return rules.cell_vote_denominator(
            official=self.official,
            temporarily_transferred=self.temporarily_transferred,
            exempted=self.exempted,
            exempted_present=exempted_present,
        )


def voting_roster(*, cell: PartyOrg, on: date) -> VotingRoster:
    members = Membership.objects.filter(cell=cell).active_on(on)
    official = members.official_on(on)
    covering = MemberExemption.objects.filter(membership__in=official, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=on)
    )
    return VotingRoster(
        official=official.count(),
        probationary=members.exclude(pk__in=official.values("pk")).count(),
        temporarily_transferred=covering.filter(kind=ExemptionKind.TEMPORARY_TRANSFER)
        .values("membership")
        .distinct()
        .count(),
        exempted=covering.filter(kind=ExemptionKind.EXEMPTED)
        .exclude(membership__in=covering.filter(kind=ExemptionKind.TEMPORARY_TRANSFER).values("membership"))
        .values("membership")
        .distinct()
        .count(),
        guests=guests_of(cell=cell, on=on).count(),
    )


def guests_of(*, cell: PartyOrg, on: date) -> QuerySet[CellGuest]:
    """The guests of `cell` on `on` whose own membership is active that day, by name."""
    active = Membership.objects.active_on(on).values("pk")
    return (
        CellGuest.objects.filter(host_cell=cell, membership__in=active)
        .active_on(on)
        .select_related("membership__person", "membership__cell")
        .order_by("membership__person__full_name", "pk")
    )


def cell_roster(*, cell: PartyOrg, on: date) -> tuple[list[Membership], list[CellGuest]]:
    """The cell's members whose membership is active on `on` (with their person, by name) and its guests that day
    (`guests_of`): the meeting's roster. Read once per request for a cell and day (the vote form and the meeting
    record ask for the same one); a save of a membership or a guest period forgets it."""

    def read() -> tuple[list[Membership], list[CellGuest]]:
        members = Membership.objects.filter(cell=cell).active_on(on).select_related("person")
        return list(members.order_by("person__full_name", "pk")), list(guests_of(cell=cell, on=on))

    members, guests = per_request(("roster", cell.pk, on), read)
    return list(members), list(guests)


def helpers_and_introducers_offered(*, cell: PartyOrg, on: date, with_guests: bool) -> QuerySet[Membership]:
    """Official members of `cell` on `on`, and its guests who are official members when the rule set lets guests
    help and introduce there (`RuleSet.guests_may_help_or_introduce`)."""
    where = Q(cell=cell)
    if with_guests:
        where |= Q(pk__in=CellGuest.objects.filter(host_cell=cell).active_on(on).values("membership"))
    return Membership.objects.filter(where).official_on(on).select_related("person", "cell")
