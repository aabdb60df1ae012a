"""The probation timers' reminder pass, run by `manage.py timers_sweep` before viewflow fires the remaining timers.

A probation's timer wakes on each reminder day (90/60/30/15/7 days before the end, from the rule set) and on the
day probation ends. Only that last wake changes where the work stands: the recognition opens and the cell's vote is
put in its queue. A reminder wake sends messages and waits again. Fired through viewflow one by one, each wake is
four tasks (the timer, the reminder action, the router, the next timer), each written with its history entry: about
45 queries and 50 ms a wake, so 10,000 due timers took over 8 minutes.

This pass does the reminder wakes of many probations together, in batches, each batch one transaction:
- it locks the batch's processes (the flows' own lock: `FOR UPDATE` of the process row, here `SKIP LOCKED`, so a
  case someone is working on is left to viewflow's path, never waited for) and their probations;
- it keeps only the probations whose work is still "wait" (running, not yet ended, no transfer or removal pending,
  not escalated): exactly those for which the router would schedule the timer again;
- it marks the reminders due (`probation_reminders_mark`), writes one history entry per reminder (who: the timer;
  when; which reminder), notifies in one set-based pass (signal `probation_reminders`) and moves each timer to its
  next moment (`wake_at`), leaving the timer task itself open.
Everything else (the end of probation, a case whose records changed, a row locked by a user) stays due and viewflow
fires it through the flow, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from admission.audit.chain import chain_extend
from admission.party.permissions import today
from admission.probation import services as probation_services
from admission.probation.models import Probation, ProbationRemoval, ProbationTransfer, RemovalStatus, TransferStatus

BATCH = 1000


@dataclass
class PassResult:
    rescheduled: int = 0
    reminders: int = 0
    left: int = 0  # due probation timers left to viewflow (the end of probation, changed records, locked rows)


def probation_reminders_pass(*, batch: int = BATCH) -> PassResult:
    """Do the due reminder wakes of the probation flow set-wise; see the module's text."""
    from workflows.flows import ProbationFlow

    now = timezone.now()
    due = Task.objects.filter(
        flow_task=get_task_ref(ProbationFlow.wait), status=STATUS.SCHEDULED, scheduled__lte=now
    ).order_by("scheduled", "pk")
    rows = list(due.values_list("pk", "process_id"))
    result = PassResult()
    for start in range(0, len(rows), batch):
        _batch(dict(rows[start : start + batch]), now, result)
    return result


@transaction.atomic
def _batch(process_of: dict[int, int], now: datetime, result: PassResult) -> None:
    from workflows.flows import ProbationFlow, probation_reminders, probation_route, wake_at

    day = today()
    locked = Process.objects.filter(pk__in=process_of.values()).select_for_update(skip_locked=True)
    locked_ids = set(locked.values_list("pk", flat=True))
    tasks = {
        task.process_id: task
        for task in Task.objects.filter(
            pk__in=process_of, process_id__in=locked_ids, status=STATUS.SCHEDULED, scheduled__lte=now
        ).select_related("process")
    }
    by_case = {int(task.process.artifact_object_id): task for task in tasks.values()}
    probations = list(
        Probation.objects.filter(candidate_id__in=by_case)
        .select_related("candidate__rule_set", "candidate__person__user", "candidate__cell", "membership__cell")
        .select_for_update(skip_locked=True, of=("self",))
    )
    ids = [p.pk for p in probations]
    pending = ProbationTransfer.objects.filter(probation_id__in=ids, status=TransferStatus.PENDING)
    moving = set(pending.values_list("probation_id", flat=True))
    proposed = ProbationRemoval.objects.filter(probation_id__in=ids, status=RemovalStatus.PROPOSED)
    removing = set(proposed.values_list("probation_id", flat=True))
    # The router's own rule, on the facts read above: those it would send back to the timer, not yet ended.
    waiting = [
        p
        for p in probations
        if probation_route(p, moving=p.pk in moving, removing=p.pk in removing) == "wait" and day < p.ends_on
    ]
    reminders = [
        (due.probation, due.days_before)
        for due in probation_services.probation_actions_on(day, waiting)
        if due.action == probation_services.TimerAction.REMIND and due.days_before is not None
    ]
    marked = set(probation_services.probation_reminders_mark(reminders))
    sent = [(probation, lead) for probation, lead in reminders if probation.pk in marked]
    chain_extend(
        [
            (
                "reminder",
                f"admission.probation:{probation.pk}",
                {"reminder_days": lead, "ends_on": probation.ends_on, "sent_on": day},
                None,
                "",
            )
            for probation, lead in sent
        ]
    )
    if sent:
        probation_reminders.send(sender=ProbationFlow, reminders=sent)
    # Timers wake at five past midnight: the batch's next moments are a few days, one UPDATE each.
    moments: dict[datetime, list[int]] = {}
    for probation in waiting:
        moment = wake_at(probation)  # now, if its next moment has passed: then viewflow's path takes it
        if moment > timezone.now():
            moments.setdefault(moment, []).append(by_case[probation.candidate_id].pk)
    for moment, task_ids in moments.items():
        Task.objects.filter(pk__in=task_ids).update(scheduled=moment)
    moved = sum(len(ids) for ids in moments.values())
    result.rescheduled += moved
    result.reminders += len(sent)
    result.left += len(process_of) - moved
