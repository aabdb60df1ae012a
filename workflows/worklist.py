"""The work page ("Việc cần làm"): every open step that a body the user acts for must do, across the three flows,
overdue first; and the user's own cases waiting at a higher body.

The read model (`WorkItem`) follows every save of a viewflow task in the same transaction (`work_item_sync`), so
what the page lists is what the queues hold. Who acts for which org is the same rule as the permission checks
(`admission.party.permissions.can_act_for_org`): a dated acting role at the org itself, or an active delegation
from someone who holds one. The page costs the same few queries whatever the size of the country, and the same
work whatever the length of a body's queue: it shows one page of rows (`WORK_PAGE_SIZE`), ordered by the database,
and its counts (the summary line, the table by organisation) are aggregates, never the rows themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
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

# Rows per page of "Steps for your units": a commune committee's queue of a hundred steps or a province board's of a
# thousand costs what one page costs.
WORK_PAGE_SIZE = 50


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
    """One open step as the page shows it. Overdue means the due date is past (`due_on < on`): the same rule as the
    "overdue only" filter, the page's counts and the deadline board, so a step due on Friday is overdue on Saturday
    even with no working day between (0 working days overdue)."""

    item: WorkItem
    title: str
    url: str
    due_on: date | None
    working_days_left: int | None  # negative when overdue
    marked_by: Any = None  # a colleague who said "I am working on this", while it lasts
    overdue: bool = False

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
            WorkRow(
                item=item,
                title=title,
                url=url,
                due_on=item.due_on,
                working_days_left=left,
                marked_by=marked,
                overdue=item.due_on is not None and item.due_on < on,
            )
        )
    return rows


def _ordered(queryset: QuerySet[WorkItem]) -> QuerySet[WorkItem]:
    """Overdue first, then by due date, steps without one last, then the oldest: in the database, so that a page is
    read alone. NULLS LAST is said outright: SQLite puts NULL first in ascending order, PostgreSQL last."""
    return queryset.select_related("task", "candidate__person", "candidate__cell", "org", "marked_by").order_by(
        F("due_on").asc(nulls_last=True), "created", "task_id"
    )


def work_items_for_user(
    *, user: Any, on: date | None = None, cell: int | None = None, node: str = "", overdue: bool = False
) -> QuerySet[WorkItem]:
    """The open steps a body the user acts for must do, filtered (by the case's cell, the step, overdue on `on`):
    a query not yet read, for a page of rows (`work_page_for_user`) or aggregates (`work_counts`,
    `counts_by_org`)."""
    day = on or permissions.today()
    items = WorkItem.objects.filter(acting_orgs_q(user, on=day))
    if cell:
        items = items.filter(candidate__cell_id=cell)
    if node:
        items = items.filter(node=node)
    if overdue:
        items = items.filter(due_on__lt=day)
    return items


def work_for_user(
    *, user: Any, on: date | None = None, cell: int | None = None, node: str = "", overdue: bool = False
) -> list[WorkRow]:
    """Every open step a body the user acts for must do, in the page's order. Its cost grows with the queue: for
    checks and tests; the page reads one page (`work_page_for_user`)."""
    day = on or permissions.today()
    items = work_items_for_user(user=user, on=day, cell=cell, node=node, overdue=overdue)
    return _rows(list(_ordered(items)), user=user, on=day)


@dataclass(frozen=True)
class WorkCounts:
    total: int
    overdue: int


def work_counts(items: QuerySet[WorkItem], *, on: date | None = None) -> WorkCounts:
    """How many steps `items` holds and how many are overdue on `on` (today), in one aggregate query."""
    day = on or permissions.today()
    counted = items.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=day)))
    return WorkCounts(total=counted["total"], overdue=counted["overdue"])


@dataclass(frozen=True)
class OrgCount:
    org_id: int
    name: str
    open: int
    overdue: int


def counts_by_org(items: QuerySet[WorkItem], *, on: date | None = None) -> list[OrgCount]:
    """(org, open steps, overdue on `on`) for committees acting for many orgs, in one GROUP BY query: the most
    overdue first, then the most open, then by name."""
    day = on or permissions.today()
    grouped = (
        items.order_by()
        .values("org_id", "org__name")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=day)))
        .order_by("-late", "-n", "org__name", "org_id")
    )
    return [OrgCount(org_id=g["org_id"], name=g["org__name"], open=g["n"], overdue=g["late"]) for g in grouped]


class _CountedPaginator(Paginator):
    """A paginator told its count (already aggregated with the overdue count) instead of asking the database."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@dataclass(frozen=True)
class WorkPage:
    page: Page  # its object_list: the WorkRows of this page only
    counts: WorkCounts  # of every step the filters keep, not of this page
    by_org: list[OrgCount]


def work_page_for_user(
    *,
    user: Any,
    on: date | None = None,
    cell: int | None = None,
    node: str = "",
    overdue: bool = False,
    page: Any = None,
) -> WorkPage:
    """One page of the user's open steps (`page`: the number asked for; a bad one gives the first page, one past
    the end the last), with the counts of all of them. Only the page's rows are read with their case, person, cell
    and task and made into WorkRows: the cost does not grow with the queue."""
    day = on or permissions.today()
    items = work_items_for_user(user=user, on=day, cell=cell, node=node, overdue=overdue)
    counts = work_counts(items, on=day)
    paginator = _CountedPaginator(_ordered(items), WORK_PAGE_SIZE, count=counts.total)
    shown = paginator.get_page(page)
    shown.object_list = _rows(list(shown.object_list), user=user, on=day)
    return WorkPage(page=shown, counts=counts, by_org=counts_by_org(items, on=day))


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
