"""Reads for probation and recognition: scoped querysets and the dates a screen, a PDF or the API shows.

Scope: a probation is seen by the units above its current cell, by the units above a cell it was transferred from
(the former cell keeps its part of the history, read-only) and by the member themself. Anything else is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from admission.party import permissions
from admission.probation.models import Probation, ProbationTransfer
from admission.probation.services import ProbationDeadlines, probation_deadlines


def probation_list_for_user(*, user: Any) -> QuerySet[Probation]:
    transferred_from = ProbationTransfer.objects.filter(
        permissions.scope_q(user, field="from_cell__path"), probation=OuterRef("pk")
    )
    own = Q(candidate__person__user=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return Probation.objects.filter(
        permissions.scope_q(user, field="candidate__cell__path") | Exists(transferred_from) | own
    ).select_related("candidate__person", "candidate__cell", "candidate__rule_set", "membership")


def probation_get_for_user(*, user: Any, candidate_pk: int | str) -> Probation:
    try:
        return probation_list_for_user(user=user).get(candidate_id=candidate_pk)
    except (Probation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def transfer_list_for_user(*, user: Any) -> QuerySet[ProbationTransfer]:
    """Transfers the user's units sent or are to receive (the receiving cell cannot see the case before that)."""
    return ProbationTransfer.objects.filter(
        permissions.scope_q(user, field="from_cell__path") | permissions.scope_q(user, field="to_cell__path")
    ).select_related("probation__candidate__person", "from_cell", "to_cell")


def transfer_get_for_user(*, user: Any, pk: int | str) -> ProbationTransfer:
    try:
        return transfer_list_for_user(user=user).get(pk=pk)
    except (ProbationTransfer.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class ProbationDates:
    """The dates that must never be wrong, as shown and printed."""

    deadlines: ProbationDeadlines
    official_on: date | None  # set once recognised: always the day probation ended
    party_age_from: date  # the admission decision's date
    days_left: int  # calendar days to the end of probation (negative once ended)
    cell_overdue: bool
    decision_overdue: bool


def probation_dates(*, probation: Probation, on: date | None = None) -> ProbationDates:
    day = on or permissions.today()
    deadlines = probation_deadlines(probation.candidate)
    resolution_on = deadlines.cell_resolution_on
    decided = not probation.is_open
    return ProbationDates(
        deadlines=deadlines,
        official_on=probation.membership.official_on,
        party_age_from=probation.membership.admitted_on,
        days_left=(probation.ends_on - day).days,
        cell_overdue=not decided and resolution_on is None and day > deadlines.cell_due,
        decision_overdue=not decided and deadlines.decision_due is not None and day > deadlines.decision_due,
    )
