"""Reads: a user's notifications, the deadline board of their units, their delegations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from admission.party import permissions
from admission.party.models.delegations import Delegation
from admission.party.models.orgs import PartyOrg
from admission.rules.calendar import working_calendar
from admission.sourcing.models.candidates import Candidate, CandidateState
from notifications.models import Escalation, Notification


def notification_list_for_user(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications shown in the centre, unread first, newest first."""
    rows = Notification.objects.filter(user=user, shown=True).select_related("candidate")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.annotate(
        unread=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("unread", "-created", "-pk")


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, shown=True, read_at__isnull=True).count()


def delegation_list_for_user(*, user: Any) -> QuerySet[Delegation]:
    """Delegations the user gave or received (an administrator sees all)."""
    rows = Delegation.objects.select_related("from_user", "to_user", "org", "revoked_by")
    if permissions.sees_everything(user):
        return rows
    return rows.filter(Q(from_user=user) | Q(to_user=user))


def delegation_get_for_user(*, user: Any, pk: int | str) -> Delegation:
    from django.http import Http404

    try:
        return delegation_list_for_user(user=user).get(pk=pk)
    except (Delegation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class BoardRow:
    """One open case with its next deadline: the open task due first, the body that must act, and its state."""

    candidate: Candidate
    task_id: int
    task_title: str
    acting_org: PartyOrg
    due_on: date | None
    overdue: bool
    days_late: int  # working days past the due date (0 when not overdue)
    days_left: int | None  # working days until the due date (None when overdue or undated)
    escalation: Escalation | None

    @property
    def escalated(self) -> bool:
        return self.escalation is not None


@dataclass(frozen=True)
class BoardFilters:
    org: PartyOrg | None = None
    state: str = ""
    overdue_only: bool = False
    escalated_only: bool = False


def deadline_board(*, user: Any, filters: BoardFilters | None = None, on: date | None = None) -> list[BoardRow]:
    """Every open case of the user's units (or of `filters.org`'s subtree, which must be in scope) with its next
    deadline: overdue first (the most late first), then by due date. A case escalated to one of the user's bodies is
    flagged. Cases imported without a flow have no tasks and do not appear."""
    from notifications.scan import open_tasks_query, task_due
    from workflows.steps import task_titles

    filters = filters or BoardFilters()
    day = on or permissions.today()
    cases = Candidate.objects.filter(permissions.scope_q(user, field="cell__path")).exclude(
        state__in=CandidateState.closed_states()
    )
    if filters.org is not None:
        cases = cases.filter(cell__path__startswith=filters.org.path)
    if filters.state:
        cases = cases.filter(state=filters.state)
    tasks = open_tasks_query(candidate_ids=cases.values("pk"))
    by_case: dict[int, Any] = {}
    for task in tasks.order_by("created", "pk"):
        case_id = int(task.process.artifact_object_id)
        current = by_case.get(case_id)
        due, current_due = task_due(task), task_due(current) if current is not None else None
        if current is None or (due is not None and (current_due is None or due < current_due)):
            by_case[case_id] = task
    case_rows = Candidate.objects.select_related("person", "cell").in_bulk(list(by_case))
    orgs = PartyOrg.objects.in_bulk(
        [int(t.owner_permission_obj_pk) for t in by_case.values() if t.owner_permission_obj_pk]
    )
    escalations = {e.task_id: e for e in Escalation.objects.filter(task_id__in=[t.pk for t in by_case.values()])}
    cal = working_calendar()
    titles = task_titles(list(by_case.values()))
    rows: list[BoardRow] = []
    for case_id, task in by_case.items():
        org = orgs.get(int(task.owner_permission_obj_pk)) if task.owner_permission_obj_pk else None
        if org is None or case_id not in case_rows:
            continue
        due = task_due(task)
        overdue = bool(due and day > due)
        row = BoardRow(
            candidate=case_rows[case_id],
            task_id=task.pk,
            task_title=titles[task.pk],
            acting_org=org,
            due_on=due,
            overdue=overdue,
            days_late=cal.working_days_between(due, day) if due and overdue else 0,
            days_left=cal.working_days_between(day, due) if due and not overdue else None,
            escalation=escalations.get(task.pk),
        )
        if filters.overdue_only and not row.overdue:
            continue
        if filters.escalated_only and not row.escalated:
            continue
        rows.append(row)
    rows.sort(key=lambda r: (not r.overdue, r.due_on or date.max, r.candidate.code))
    return rows
