"""Who read a person's data: for the leaders of the person's units, for administrators, and for the person.

A person outside the user's scope does not exist for them (404). Inside the scope, only a leader of a unit the
person belongs to (the cell's secretary or deputy, a member of a committee above it) or an administrator may read the
log (403 for the others: they already see the person).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from admission.audit.models import PersonalDataRead
from admission.party import permissions
from admission.party import selectors as party_selectors
from admission.party.models.people import Membership, Person
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import Candidate

LEADER_ROLES = (
    RoleKind.CELL_SECRETARY,
    RoleKind.CELL_DEPUTY_SECRETARY,
    RoleKind.COMMITTEE_MEMBER,
    RoleKind.STANDING_COMMITTEE_MEMBER,
)


def _person_cells(person_id: int) -> set[str]:
    """The paths of the cells the person is or was a member of, or a candidate in."""
    return set(Membership.objects.filter(person_id=person_id).values_list("cell__path", flat=True)) | set(
        Candidate.objects.filter(person_id=person_id).values_list("cell__path", flat=True)
    )


def can_read_access_log(*, user: Any, person_id: int) -> bool:
    if permissions.sees_everything(user):
        return True
    if permissions.can_administer(user):
        leading = permissions.user_unit_paths(user)
    else:
        leading = [r.org.path for r in permissions.active_roles(user).filter(kind__in=LEADER_ROLES)]
    return any(cell.startswith(path) for cell in _person_cells(person_id) for path in leading)


def person_get_for_access_log(*, user: Any, pk: int | str) -> Person:
    """The person whose read log the user may see: 404 outside the user's scope, 403 for a non-leader in it."""
    person: Person | None
    try:
        person = party_selectors.person_list_for_user(user=user).exclude(user=user).get(pk=pk)
    except Person.DoesNotExist:
        in_cases = Candidate.objects.filter(permissions.scope_q(user, field="cell__path"), person_id=pk)
        person = Person.objects.filter(pk__in=in_cases.values("person_id")).first()
    except ValueError as exc:
        raise Http404 from exc
    if person is None:
        raise Http404
    if not can_read_access_log(user=user, person_id=person.pk):
        raise PermissionDenied
    return person


def reads_of_person(*, person: Person) -> QuerySet[PersonalDataRead]:
    return PersonalDataRead.objects.filter(person=person).select_related("user", "candidate")


def reads_of_own_data(*, user: Any) -> QuerySet[PersonalDataRead]:
    """What others read of the person linked to this login (the personal data protection law's right to know)."""
    if not getattr(user, "is_authenticated", False):
        return PersonalDataRead.objects.none()
    return PersonalDataRead.objects.filter(person__user=user).exclude(user=user).select_related("user", "candidate")
