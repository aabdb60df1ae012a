"""After a restructuring (`admission.restructuring`), the open tasks of the cases concerned follow the records: each
task's acting org is computed again by its node (the successor body for a re-resolved chain step, the new cell of a
merged cell's case), its queue row (`WorkItem`) follows through the task's own save, the due date is kept as it
was (deadlines count from the original trigger), and the task remembers the body it came from."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from admission.decisions.services import decisions
from admission.party.models.orgs import PartyOrg
from admission.probation import services as probation_services
from admission.probation.models import Probation
from admission.sourcing.models.candidates import Candidate

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def _step_refs(node_name: str, candidate: Candidate) -> dict[str, Any]:
    if node_name == "chain_step":
        step = decisions.next_step(candidate)
        return {"chain_step": step.pk if step else None}
    if node_name == "recognition_step":
        probation = Probation.objects.filter(candidate=candidate).first()
        recognition = probation_services.next_step(probation) if probation else None
        return {"recognition_step": recognition.pk if recognition else None}
    return {}


def task_follow(task: Task, *, operation: Any) -> bool:
    """Point one open human task at the org its node names now. Returns whether its org changed."""
    node = task.flow_task
    resolve = getattr(node, "_owner_permission_obj", None)
    if not callable(resolve):
        return False
    try:
        org = resolve(task.process)
    except (ValueError, LookupError, ObjectDoesNotExist):  # the node names no org any more: leave the task
        return False
    candidate = Candidate.objects.get(pk=task.process.artifact_object_id)
    data = {**(task.data or {}), **_step_refs(node.name, candidate)}
    old_pk = task.owner_permission_obj_pk
    changed = org is not None and str(org.pk) != str(old_pk)
    fields = ["data"]
    if changed:
        old = PartyOrg.objects.filter(pk=old_pk).first()
        data["moved_from"] = [
            *data.get("moved_from", []),
            {
                "org": int(old_pk) if old_pk else None,
                "org_name": old.name if old else "",
                "on": operation.effective_on.isoformat(),
                "restructuring": operation.pk,
            },
        ]
        task.owner_permission_content_type = ContentType.objects.get_for_model(PartyOrg)
        task.owner_permission_obj_pk = str(org.pk)
        fields += ["owner_permission_content_type", "owner_permission_obj_pk"]
        if task.owner_id is not None:  # a colleague of the old body had it: the successor's body takes it anew
            task.owner = None
            task.status = STATUS.NEW
            fields += ["owner", "status"]
    task.data = data
    task.save(update_fields=fields)  # the work page's row follows (workflows.worklist.work_item_sync)
    return changed


def tasks_follow_restructuring(*, operation: Any, candidate_ids: list[int], org_ids: list[int]) -> int:
    """Every open human task of the cases concerned, and of any case whose open task sits at the restructured org,
    follows the records. Returns how many tasks changed queue."""
    ct = ContentType.objects.get_for_model(Candidate)
    open_here = Task.objects.filter(
        status__in=OPEN, flow_task_type="HUMAN", owner_permission_obj_pk__in=[str(pk) for pk in org_ids]
    ).values_list("process__artifact_object_id", flat=True)
    ids = {*candidate_ids, *(int(pk) for pk in open_here if pk is not None)}
    processes = Process.objects.filter(artifact_content_type=ct, artifact_object_id__in=ids).exclude(
        status__in=(PROCESS.DONE, PROCESS.CANCELED)
    )
    moved = 0
    tasks = Task.objects.select_for_update().filter(process__in=processes, status__in=OPEN, flow_task_type="HUMAN")
    for task in tasks.select_related("process").order_by("pk"):
        moved += int(task_follow(task, operation=operation))
    if moved:
        operation.outcome = {**operation.outcome, "tasks_moved": moved}
        operation.save(update_fields=["outcome"])
    return moved
