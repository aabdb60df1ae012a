"""People and memberships: the people of the plan, every cell's members and their exemptions, created in bulk
(with their history rows) after looking them up by their natural keys, so that a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from simple_history.utils import bulk_create_with_history

from admission.party.models.orgs import PartyOrg
from admission.party.models.people import MemberExemption, Membership, Person
from demo.province.planning import ExemptionPlan, MemberPlan, PersonPlan, Plan
from demo.province.report import SeedReport


def build_people(plans: Sequence[PersonPlan], report: SeedReport) -> dict[str, Person]:
    """The people of `plans` by citizen ID, creating the missing ones in bulk (with their history rows)."""
    ids = [plan.citizen_id for plan in plans]
    found = {person.citizen_id: person for person in Person.objects.filter(citizen_id__in=ids)}
    new = [Person(**vars(plan)) for plan in plans if plan.citizen_id not in found]
    for person in new:
        # Uniqueness was settled by the lookup above; Person.clean checks the ID against birth date and sex.
        person.full_clean(validate_unique=False, validate_constraints=False)
    if new:
        bulk_create_with_history(new, Person)
        report.created["people"] += len(new)
        found |= {person.citizen_id: person for person in Person.objects.filter(citizen_id__in=ids)}
    return found


def build_rosters(orgs: dict[str, PartyOrg], plan: Plan, report: SeedReport) -> dict[str, list[Person]]:
    """Every cell's members (Person + Membership + exemptions); returns each cell's people in roster order."""
    seats = [(orgs[code], member) for code, roster in plan.rosters.items() for member in roster]
    people = build_people([member.person for _cell, member in seats], report)

    def key(cell: PartyOrg, member: MemberPlan) -> tuple[int, int]:
        return people[member.person.citizen_id].pk, cell.pk

    def existing() -> dict[tuple[int, int], Membership]:
        rows = Membership.objects.filter(person__in=list(people.values()))
        return {(row.person_id, row.cell_id): row for row in rows}

    memberships = existing()
    new: list[Membership] = []
    for cell, member in seats:
        if key(cell, member) in memberships:
            continue
        row = Membership(
            person=people[member.person.citizen_id],
            cell=cell,
            admitted_on=member.admitted_on,
            official_on=member.official_on,
            joined_cell_on=member.joined_cell_on,
        )
        row.full_clean(exclude=["person", "cell"], validate_unique=False, validate_constraints=False)
        new.append(row)
    if new:
        bulk_create_with_history(new, Membership)
        report.created["memberships"] += len(new)
        memberships = existing()
    for cell, member in seats:
        if member.exemption is not None:
            build_exemption(memberships[key(cell, member)], member.exemption, report)
    return {code: [people[member.person.citizen_id] for member in roster] for code, roster in plan.rosters.items()}


def build_exemption(membership: Membership, plan: ExemptionPlan, report: SeedReport) -> None:
    if membership.exemptions.filter(kind=plan.kind, starts_on=plan.starts_on).exists():
        return
    row = MemberExemption(membership=membership, **vars(plan))
    row.full_clean()
    row.save()
    report.created["exemptions"] += 1
