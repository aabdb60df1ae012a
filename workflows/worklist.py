"""The work page ("Việc cần làm"): every open step that a body the user acts for must do, across the three flows,
overdue first; and the user's own cases waiting at a higher body.

The read model (`WorkItem`) follows every save of a viewflow task in the same transaction (`work_item_sync`), so
what the page lists is what the queues hold. Who acts for which org is the same rule as the permission checks
(`admission.party.permissions.can_act_for_org`): a dated acting role at the org itself, or an active delegation
from someone who holds one. The page costs the same few queries whatever the size of the country.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from admission.core.request_cache import step_peek
from admission.party import permissions
from admission.party.models.orgs import path_ancestor_ids
from admission.party.models.roles import RoleKind
from admission.rules.calendar import working_calendar
from workflows.models import WorkItem
from workflows.steps import (
    STEP_CHANGED,
    chain_step_title,
    node_is_current,
    node_title,
    step_record_of,
    step_records,
)

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


# Set by `work_items_deferred`: the tasks saved inside the block, by id (their last saved state).
_DEFERRED: ContextVar[dict[int, Task] | None] = ContextVar("work_items_deferred", default=None)


def work_item_sync(task: Task) -> None:
    """Write or remove the task's row: an open human task owned through an org has one; anything else has none."""
    if task.flow_task_type != "HUMAN":
        return  # timers, functions and gateways never have a row (a task's type never changes)
    deferred = _DEFERRED.get()
    if deferred is not None:
        deferred[task.pk] = task
        return
    work_items_write([task])


@contextmanager
def work_items_deferred() -> Iterator[None]:
    """Inside a transaction: the rows of the tasks saved in the block are written once, together, when it ends (a
    step saves its task three times and opens the next one: one read, one delete and one upsert instead of five
    statements per save). On an error nothing is written, and the transaction rolls back anyway."""
    if not connection.in_atomic_block:
        raise RuntimeError("work_items_deferred() needs a transaction.")
    if _DEFERRED.get() is not None:  # already deferred by an enclosing block: it writes them
        yield
        return
    tasks: dict[int, Task] = {}
    token = _DEFERRED.set(tasks)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    work_items_write(list(tasks.values()))


def work_items_write(tasks: list[Task]) -> None:
    """Write the rows of these human tasks as they are now: open ones owned through an org get (or keep, with their
    "I am working on this" mark) a row; the others lose theirs."""
    from admission.sourcing.models.candidates import Candidate

    closed = [task.pk for task in tasks if task.status not in OPEN or not task.owner_permission_obj_pk]
    if closed:
        WorkItem.objects.filter(task_id__in=closed).delete()
    open_tasks = [task for task in tasks if task.pk not in closed and task.process.artifact_object_id is not None]
    if not open_tasks:
        return
    candidate_ids = {task.process.artifact_object_id for task in open_tasks}
    paths: dict[int, str] = {}
    for pk in candidate_ids:  # the case as the step's flow nodes read it, with its cell (`workflows.flows._candidate`)
        known = step_peek(("candidate", pk))
        if known is not None:
            paths[pk] = known.cell.path
    if missing := candidate_ids - paths.keys():
        paths.update(Candidate.objects.filter(pk__in=missing).values_list("pk", "cell__path"))
    rows = []
    for task in open_tasks:
        candidate_pk = task.process.artifact_object_id
        due = (task.data or {}).get("due_on")
        node = task.flow_task
        rows.append(
            WorkItem(
                task_id=task.pk,
                candidate_id=candidate_pk,
                org_id=int(task.owner_permission_obj_pk),
                cell_path=paths.get(candidate_pk) or "",
                flow=node.flow_class.__name__,
                node=node.name,
                due_on=date.fromisoformat(due) if due else None,
                created=task.created,
            )
        )
    WorkItem.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["task"],
        update_fields=["candidate", "org", "cell_path", "flow", "node", "due_on", "created"],
    )


def acting_orgs_q(user: Any, *, on: date | None = None, field: str = "org_id") -> Q:
    """The orgs `user` acts for on that day (acting roles there, active delegations to them), as a filter.

    The ids are read first (two small queries) and given as a list: an OR of two `IN (subquery)` made PostgreSQL
    guess that most open steps match, so it hashed the whole task table to join them (about 1 s per page on
    bench/national.py at scale 0.1, 40–130 ms with the list)."""
    return Q(**{f"{field}__in": sorted(acting_org_ids(user, on=on))})


def acting_org_ids(user: Any, *, on: date | None = None) -> set[int]:
    own = {role.org_id for role in permissions.held_roles(user, on=on) if role.kind != RoleKind.ADMINISTRATOR}
    return own | {delegation.org_id for delegation in permissions.held_delegations(user, on=on)}


@dataclass(frozen=True)
class WorkRow:
    item: WorkItem
    title: str
    url: str
    due_on: date | None
    working_days_left: int | None  # negative when overdue
    marked_by: Any = None  # a colleague who said "I am working on this", while it lasts

    @property
    def overdue(self) -> bool:
        return self.working_days_left is not None and self.working_days_left < 0

    @property
    def days_overdue(self) -> int:
        return -(self.working_days_left or 0)


def _rows(items: list[WorkItem], *, user: Any, on: date) -> list[WorkRow]:
    """Titles in the reader's language (a chain step names its kind, form and body), links, working days left."""
    steps = step_records([item.task for item in items])
    calendar = working_calendar()
    now = timezone.now()
    rows = []
    for item in items:
        record = step_record_of(item.task, steps)
        current = node_is_current(item.task.flow_task)
        if not current:  # the flow changed while the case waited here: a plain row, the case page explains
            title = str(STEP_CHANGED)
        elif record is not None:
            title = chain_step_title(record)
        else:
            title = node_title(item.task.flow_task)
        url = (
            reverse("admission:candidates:step", args=[item.candidate_id, item.node])
            if current
            else reverse("admission:candidates:detail", args=[item.candidate_id])
        )
        marked = item.marker(now)
        left = None if item.due_on is None else calendar.working_days_between(on, item.due_on)
        rows.append(
            WorkRow(item=item, title=title, url=url, due_on=item.due_on, working_days_left=left, marked_by=marked)
        )
    return rows


def _ordered(queryset: QuerySet[WorkItem]) -> QuerySet[WorkItem]:
    return queryset.select_related("task", "candidate__person", "candidate__cell", "org", "marked_by").order_by(
        "due_on", "created", "task_id"
    )


def work_for_user(
    *, user: Any, on: date | None = None, cell: int | None = None, node: str = "", overdue: bool = False
) -> list[WorkRow]:
    """Every open step a body the user acts for must do, overdue first then by due date (no date last)."""
    day = on or permissions.today()
    items = WorkItem.objects.filter(acting_orgs_q(user, on=day))
    if cell:
        items = items.filter(candidate__cell_id=cell)
    if node:
        items = items.filter(node=node)
    if overdue:
        items = items.filter(due_on__lt=day)
    rows = _rows(list(_ordered(items)), user=user, on=day)
    return sorted(rows, key=lambda r: (r.due_on is None, r.due_on or day))


def waiting_above_for_user(*, user: Any, on: date | None = None) -> list[WorkRow]:
    """The cases of the user's units whose open step belongs to a higher body: an org above the user's units in the
    tree (the bodies of the approval and recognition chains), not one the user acts for. Work waiting at a body
    below (a cell of the commune) is that body's own page, not this section: a province's board would otherwise
    list every open step of the province here."""
    day = on or permissions.today()
    paths = permissions.user_unit_paths(user, on=day)
    above = {pk for path in paths for pk in path_ancestor_ids(path)} - acting_org_ids(user, on=day)
    if not above:
        return []
    in_units = Q()
    for path in paths:
        in_units |= Q(cell_path__startswith=path)
    items = WorkItem.objects.filter(in_units, org_id__in=sorted(above))
    return _rows(list(_ordered(items)[:200]), user=user, on=day)


def counts_by_org(rows: list[WorkRow]) -> list[tuple[Any, int, int]]:
    """(org, open steps, overdue) for committees acting for many orgs."""
    counts: dict[int, list[Any]] = {}
    for row in rows:
        entry = counts.setdefault(row.item.org_id, [row.item.org, 0, 0])
        entry[1] += 1
        entry[2] += int(row.overdue)
    return [(org, n, late) for org, n, late in sorted(counts.values(), key=lambda e: (-e[2], -e[1], e[0].name))]
