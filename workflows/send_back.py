"""Sending a case back, with its flow: the domain move (`admission.decisions.services.send_back`) and the flow's
position change in one transaction, so that the FSM state, the open task and the history agree after every move.

- Back to the dossier: the waiting task (the cell's meeting, or a step of the approval chain) is cancelled and the
  admission flow's "complete the dossier" task is created after it, in the same process (`workflows.services.reroute`).
- Back to the course: the current process (admission, or sourcing waiting at the opening of the dossier) is
  cancelled and a new sourcing process starts at "propose for the course" (`SourcingFlow.restart`); once the new
  certificate is in, "open the dossier" starts a new admission process with the dossier kept.

The case keeps its code and its attempt number; the cancelled tasks stay in the task history as cancelled.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process

from admission.decisions.models.send_backs import CaseSendBack, SendBackTarget
from admission.decisions.services import send_back as domain
from admission.sourcing.models.candidates import Candidate
from workflows.flows import AdmissionCaseFlow, SourcingFlow
from workflows.services import open_tasks, process_cancel, process_for, reroute

# The waiting steps from which each move is possible.
FROM_STEPS: dict[str, frozenset[str]] = {
    SendBackTarget.COURSE: frozenset({"open_dossier", "prepare_dossier", "cell_vote", "chain_step"}),
    SendBackTarget.DOSSIER: frozenset({"cell_vote", "chain_step"}),
}


def waiting_step(candidate: Candidate) -> str:
    try:
        tasks = open_tasks(candidate)
    except Process.DoesNotExist:
        return ""
    return tasks[0].flow_task.name if tasks else ""


def send_back_targets(candidate: Candidate, user: Any) -> list[str]:
    """Where the user may send the case back now: the domain's answer, limited to what the flow's waiting step
    allows (nothing for a case without a flow)."""
    step = waiting_step(candidate)
    return [target for target in domain.send_back_targets(candidate, user) if step in FROM_STEPS[target]]


def case_send_back(*, candidate: Candidate, target: str, reason: str, by: Any, on: date | None = None) -> CaseSendBack:
    from admission.party.permissions import today

    day = on or today()
    try:
        process = process_for(candidate)
    except Process.DoesNotExist as exc:
        raise ValidationError(_("This case has no flow to send back.")) from exc
    with process.flow_class.lock(process.pk), transaction.atomic():
        tasks = open_tasks(candidate, process=process, lock=True)
        node = tasks[0].flow_task.name if tasks else ""
        if target in FROM_STEPS and node not in FROM_STEPS[target]:
            raise ValidationError(_("The case cannot be sent back there from the step waiting now."))
        record = domain.case_send_back(candidate=candidate, target=target, reason=reason, on=day, by=by, from_step=node)
        if target == SendBackTarget.COURSE:
            process_cancel(process)
            SourcingFlow.restart.run(candidate=Candidate.objects.get(pk=candidate.pk))
        else:
            reroute(process, AdmissionCaseFlow.prepare_dossier)
    return record
