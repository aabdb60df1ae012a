"""Flow-aware actions: the one place where a domain service and its viewflow task move together.

Task views and the REST API both come through here, so the case's FSM state and the flow's position cannot drift
apart: each step locks the process, checks that its task is open and that the user may take it, runs the domain
service and completes the task in one transaction. A second user completing the same task gets a clear message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from admission.audit.sources import chain_deferred
from admission.core.request_cache import per_request, step_memory
from admission.core.transactions import joining_step
from admission.decisions.services import decisions
from admission.party import permissions
from admission.reports.sync import stages_batch
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.services import candidates as candidate_services
from workflows.flows import ProbationFlow, SourcingFlow, probation_route, probation_task_data_set, task_data_write
from workflows.steps import task_title
from workflows.worklist import work_items_deferred

T = TypeVar("T")
OPEN_TASK = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
OPEN_OR_WAITING = (*OPEN_TASK, STATUS.SCHEDULED)


def process_for(candidate: Candidate) -> Process:
    """The case's current process: sourcing until the dossier is opened, then admission (the latest one started).
    Raises Process.DoesNotExist for a case imported or opened without a flow."""
    ct = ContentType.objects.get_for_model(Candidate)
    return Process.objects.filter(artifact_content_type=ct, artifact_object_id=candidate.pk).latest("created", "pk")


def open_tasks(candidate: Candidate, *, process: Process | None = None, lock: bool = False) -> list[Task]:
    """The case's open tasks, oldest first, each with its process: those of its current process (`process_for`,
    read in the same query; none for a case without a flow), or of `process` when the caller holds it (locked with
    `lock`). Read once per request for a case (the case page's panels all ask); any save of a task or a process
    forgets it."""

    def read() -> list[Task]:
        if process is not None:
            tasks = process.task_set.filter(status__in=OPEN_TASK).order_by("created")
            return list(tasks.select_for_update() if lock else tasks)
        ct = ContentType.objects.get_for_model(Candidate)
        current = Process.objects.filter(artifact_content_type=ct, artifact_object_id=candidate.pk)
        current = current.order_by("-created", "-pk").values("pk")[:1]
        tasks = Task.objects.filter(process_id=Subquery(current), status__in=OPEN_TASK).order_by("created")
        tasks = tasks.select_related("process")
        return list(tasks.select_for_update(of=("self",)) if lock else tasks)

    if lock or process is not None:
        return read()
    return list(per_request(("open_tasks", candidate.pk), read))


def open_task(candidate: Candidate, node_name: str) -> Task | None:
    return next((t for t in open_tasks(candidate) if t.flow_task.name == node_name), None)


def tasks_cancel(tasks: list[Task]) -> None:
    """Cancel these tasks, each saved: the work page's read model (`WorkItem`) follows every save of a task
    (`workflows.worklist.work_item_sync`), so no row of it outlives its task. They stay in the history as cancelled."""
    now = timezone.now()
    for task in tasks:
        task.status = STATUS.CANCELED
        task.finished = now
        task.save(update_fields=["status", "finished"])


def process_cancel(process: Process) -> None:
    """Cancel what is left of a process: its open or waiting tasks, then the process. The caller holds its lock."""
    tasks_cancel(list(process.task_set.select_for_update().filter(status__in=OPEN_OR_WAITING)))
    process.status = PROCESS.CANCELED
    process.finished = timezone.now()
    process.save(update_fields=["status", "finished"])


def reroute(process: Process, node: Any, *, statuses: tuple[str, ...] = OPEN_TASK) -> None:
    """Move the process to `node`: cancel its tasks in `statuses` and create `node` after the last of them (or after
    its last task when none is open), in the same process. The caller holds the process's lock, in a transaction."""
    waiting = list(process.task_set.select_for_update().filter(status__in=statuses).order_by("created"))
    last = waiting[-1] if waiting else process.task_set.order_by("-created").first()
    if last is None:
        return
    tasks_cancel(waiting)
    last.refresh_from_db()
    previous = last.flow_task.activation_class(last)
    previous._activate_next({node._create(previous, last.token)})


def case_nominate(**kwargs: Any) -> Candidate:
    """Open a case (admission.sourcing.services.candidates.candidate_nominate) and start its sourcing process."""
    with transaction.atomic():
        candidate = candidate_services.candidate_nominate(**kwargs)
        SourcingFlow.start.run(candidate=candidate)
    return candidate


def case_reopen(*, previous: Candidate, nominated_by: str, nominated_on: date, by: Any, note: str = "") -> Candidate:
    """A new attempt for the same person (admission.sourcing.services.candidates.candidate_reopen) with its own flow."""
    with transaction.atomic():
        candidate = candidate_services.candidate_reopen(
            previous=previous, nominated_by=nominated_by, nominated_on=nominated_on, by=by, note=note
        )
        SourcingFlow.start.run(candidate=candidate)
    return candidate


def run_step(
    *, candidate: Candidate, node_name: str, user: Any, action: Callable[[], T], process: Process | None = None
) -> T:
    """Take the open task `node_name` of the case for `user`, run `action`, complete the task — atomically
    (`process`: the case's current process when the caller has just read it)."""
    process = process or process_for(candidate)
    flow_class = process.flow_class
    # The flow's lock opens the transaction (no savepoint of our own). The step's history entries, its work-page
    # rows and the statistics' read-model rows of the people it touched are written together at the end of it.
    # Inside it, after the lock, the case and its approval chain are read once and shared until they are written
    # (`step_memory`); the step fails as a whole, so no rolled-back write can leave a stale copy behind.
    with (
        flow_class.lock(process.pk),
        transaction.atomic(savepoint=False),
        step_memory(),
        chain_deferred(),
        work_items_deferred(),
        stages_batch(),
    ):
        task = (
            Task.objects.select_for_update(of=("self",))
            .select_related("process")
            .filter(process=process, status__in=OPEN_TASK)
            .order_by("created")
            .first()
        )
        if task is None or task.flow_task.name != node_name:
            node = getattr(flow_class, node_name, None)
            done = (
                process.task_set.filter(status=STATUS.DONE, flow_task=node).order_by("-finished").first()
                if node is not None
                else None
            )
            if done is not None:
                raise ValidationError(
                    _("This step was already done by %(who)s at %(when)s.")
                    % {
                        "who": done.owner.get_full_name() or done.owner.username if done.owner else "?",
                        "when": timezone.localtime(done.finished).strftime("%H:%M %d/%m/%Y") if done.finished else "",
                    }
                )
            raise ValidationError(_("This step is not waiting to be done for this case."))
        # Team work, not claims: a step is the body's, not one person's. Whoever acts for the body today (a dated
        # role there, or a delegation naming them) may do it; a colleague who opened it in the engine's own pages
        # (or walked away) does not block it. The roles and delegations decide, as on the work page: the engine's
        # object grants mirror them (`role_permissions_sync`) and may lag a day behind.
        if not _acts_for_task_org(user, task):
            if not flow_class.instance.process_in_scope(user, task.process):
                raise Http404  # a case outside the user's units does not exist for them
            raise PermissionDenied(_("This step belongs to another organisation."))
        if task.owner_id is not None and task.owner_id != user.pk:
            task.owner = None
            task.status = STATUS.NEW
            task.save(update_fields=["owner", "status"])
        activation = task.flow_task.activation_class(task)
        if task.owner_id is None:
            activation.assign(user)
        if task.status != STATUS.STARTED:
            activation.start(None)
        with joining_step():
            result = action()
        activation.execute()
        return result


def _acts_for_task_org(user: Any, task: Task) -> bool:
    """May `user` do `task`: its acting org (the object of its `act_for_org` permission) is one they act for today.
    A task with no acting org is open to every signed-in user, as in the engine."""
    if not task.owner_permission:
        return bool(user.is_authenticated)
    try:
        org_pk = int(task.owner_permission_obj_pk or "")
    except ValueError:
        return False
    return permissions.can_act_for_org_pk(user, org_pk)


def case_close(*, candidate: Candidate, withdrawn: bool, reason: str, on: date, by: Any) -> Candidate:
    """Close the case (withdrawn or not admitted) and cancel what is left of its process."""
    try:
        process = process_for(candidate)
    except Process.DoesNotExist:  # a case imported or opened without the flow: only the domain closes
        return candidate_services.candidate_close(candidate=candidate, withdrawn=withdrawn, reason=reason, on=on, by=by)
    with process.flow_class.lock(process.pk), transaction.atomic():
        candidate = candidate_services.candidate_close(
            candidate=candidate, withdrawn=withdrawn, reason=reason, on=on, by=by
        )
        process_cancel(process)
    return candidate


def case_decision_extend(*, candidate: Candidate, reason: str, by: Any) -> Candidate:
    """Extend the decision deadline (admission.decisions.services.decisions.decision_extend) and move the due date
    of the chain's open task with it, so that queues and the deadline board show the new date."""
    with transaction.atomic():
        candidate = decisions.decision_extend(candidate=candidate, reason=reason, by=by)
        due = decisions.admission_deadlines(candidate).decision_due
        for task in open_tasks(candidate):
            if task.flow_task.name == "chain_step" and due is not None:
                task_data_write(task, due)
    return candidate


def task_history(candidate: Candidate) -> list[dict[str, Any]]:
    """Every human task of the case's flows, oldest first: what, for which body, who did it, when, by when."""
    ct = ContentType.objects.get_for_model(Candidate)
    tasks = (
        Task.objects.filter(process__artifact_content_type=ct, process__artifact_object_id=candidate.pk)
        .filter(flow_task_type="HUMAN")
        .select_related("owner", "process")
        .order_by("created", "pk")
    )
    return [
        {
            "flow": str(task.process.flow_class.process_title),
            "step": task.flow_task.name,
            "title": task_title(task),
            "acting_org": task.owner_permission_obj_pk,
            "status": task.status,
            "owner": (task.owner.get_full_name() or task.owner.get_username()) if task.owner else None,
            "created": task.created.isoformat(),
            "finished": task.finished.isoformat() if task.finished else None,
            "due_on": (task.data or {}).get("due_on"),
            # The bodies the task sat with before a restructuring moved it (workflows.restructuring).
            "moved_from": (task.data or {}).get("moved_from", []),
        }
        for task in tasks
    ]


def probation_sync(candidate: Candidate) -> None:
    """After an action taken outside a task (the cell proposes a removal or transfers the member, a deadline is
    extended), put the probation's work where the records now say it is: keep the waiting task if it is still the
    right one (refreshing its due date), else cancel it and route again from the flow's router."""
    ct = ContentType.objects.get_for_model(Candidate)
    process = (
        Process.objects.filter(artifact_content_type=ct, artifact_object_id=candidate.pk, flow_class=ProbationFlow)
        .exclude(status__in=(PROCESS.DONE, PROCESS.CANCELED))
        .first()
    )
    if process is None:
        return
    with ProbationFlow.lock(process.pk), transaction.atomic():
        from admission.probation.models import Probation

        probation = Probation.objects.select_related("candidate__rule_set").get(candidate=candidate)
        desired = probation_route(probation)
        waiting = list(process.task_set.filter(status__in=OPEN_OR_WAITING).order_by("created"))
        if [task.flow_task.name for task in waiting] == [desired]:
            if desired != "wait":
                probation_task_data_set(waiting[0], probation)
            return
        reroute(process, ProbationFlow.route, statuses=OPEN_OR_WAITING)
