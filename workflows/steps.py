"""What each human step of the sourcing flow does, shared by its task view and its API endpoint.

Each step is a form (validation) plus an action that calls the domain services. The action runs inside the task's
transaction, so the FSM transition and the task's completion succeed or fail together.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission.sourcing.models.candidates import Candidate
from admission.sourcing.models.training import Enrollment, EnrollmentState
from admission.sourcing.services import candidates as candidate_services
from admission.sourcing.services import training as training_services
from workflows import forms as step_forms
from workflows.models import AdmissionProcess
from workflows.step import Step, flow_start


def pending_enrollment(candidate: Candidate, *states: str) -> Enrollment:
    enrollment = (
        candidate.enrollments.filter(state__in=states or [EnrollmentState.PROPOSED])
        .select_related("course", "approving_org")
        .order_by("-proposed_on", "-pk")
        .first()
    )
    if enrollment is None:
        raise ValidationError(_("No course enrollment is waiting for this step."))
    return enrollment


def _list_sympathiser(candidate: Candidate, user: Any, data: dict[str, Any]) -> None:
    candidate_services.candidate_list_as_sympathiser(
        candidate=candidate, meeting_on=data["meeting_on"], note=data.get("note", ""), by=user
    )


def _assign_mentors(candidate: Candidate, user: Any, data: dict[str, Any]) -> None:
    for member in data["members"]:
        candidate_services.mentor_assign(candidate=candidate, member=member, assigned_on=data["assigned_on"], by=user)


def _propose_training(candidate: Candidate, user: Any, data: dict[str, Any]) -> None:
    from admission.party.permissions import today

    if data.get("course"):
        training_services.enrollment_propose(candidate=candidate, course=data["course"], on=today(), by=user)
    else:
        training_services.certificate_record_external(
            candidate=candidate,
            number=data["certificate_number"],
            issued_on=data["certificate_issued_on"],
            issuer=data["certificate_issuer"],
            scan=data.get("certificate_scan"),
            by=user,
        )


def _decide_attendance(candidate: Candidate, user: Any, data: dict[str, Any]) -> None:
    training_services.enrollment_decide(
        enrollment=pending_enrollment(candidate),
        approve=data["approve"],
        on=data["decided_on"],
        reason=data.get("reason", ""),
        by=user,
    )


def _record_result(candidate: Candidate, user: Any, data: dict[str, Any]) -> None:
    enrollment = pending_enrollment(candidate, EnrollmentState.APPROVED, EnrollmentState.ATTENDING)
    if enrollment.state == EnrollmentState.APPROVED:
        enrollment = training_services.enrollment_start(enrollment=enrollment, by=user)
    training_services.enrollment_record_result(
        enrollment=enrollment,
        passed=data["passed"],
        on=data["result_on"],
        certificate_number=data.get("certificate_number", ""),
        note=data.get("note", ""),
        by=user,
    )


def _open_dossier(candidate: Candidate, user: Any, data: dict[str, Any]) -> None:
    candidate_services.candidate_open_dossier(candidate=candidate, by=user)
    flow_start(AdmissionProcess, candidate)  # the admission's work begins in the same transaction


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "list_sympathiser",
            gettext_lazy("Put on the sympathiser list"),
            gettext_lazy("Record the cell meeting that put the person on the list of party sympathisers."),
            step_forms.SympathiserForm,
            _list_sympathiser,
        ),
        Step(
            "assign_mentors",
            gettext_lazy("Assign helping members"),
            gettext_lazy("Choose one or two official members of the cell to help and educate the person."),
            step_forms.MentorsForm,
            _assign_mentors,
        ),
        Step(
            "propose_training",
            gettext_lazy("Propose for the awareness course"),
            gettext_lazy("Propose the person for a course, or record a certificate obtained elsewhere."),
            step_forms.ProposeTrainingForm,
            _propose_training,
        ),
        Step(
            "approve_attendance",
            gettext_lazy("Approve course attendance"),
            gettext_lazy("The committee approves or refuses the cell's proposal to send the person to the course."),
            step_forms.DecisionForm,
            _decide_attendance,
        ),
        Step(
            "record_result",
            gettext_lazy("Record the course result"),
            gettext_lazy("The course organiser records the result and the certificate number."),
            step_forms.ResultForm,
            _record_result,
        ),
        Step(
            "open_dossier",
            gettext_lazy("Open the admission dossier"),
            gettext_lazy("The person holds a valid certificate: the cell opens the admission dossier."),
            step_forms.ConfirmForm,
            _open_dossier,
        ),
    )
}

# The admission flow's steps join the same registry: task pages and the API find any step by its name.
from workflows.admission_steps import ADMISSION_STEPS  # noqa: E402
from workflows.probation_steps import PROBATION_STEPS  # noqa: E402

STEPS.update({step.name: step for step in (*ADMISSION_STEPS, *PROBATION_STEPS)})


def task_title(task: Any) -> str:
    """A task's title in the reader's language: a step of the approval chain names its kind, form and body."""
    return task_titles([task])[task.pk]


STEP_REFS = ("chain_step", "recognition_step")  # the task data keys that name a chain or recognition step


def step_records(tasks: list[Any]) -> dict[tuple[str, int], Any]:
    """The chain and recognition steps these tasks name in their data, with their orgs, one query per kind:
    (key, id) → record."""
    from admission.decisions.models.decisions import ChainStepRecord
    from admission.probation.models import RecognitionStep

    found: dict[tuple[str, int], Any] = {}
    for key, model in zip(STEP_REFS, (ChainStepRecord, RecognitionStep), strict=True):
        ids = {int((t.data or {})[key]) for t in tasks if (t.data or {}).get(key)}
        if ids:
            found.update(
                {(key, step.pk): step for step in model._default_manager.filter(pk__in=ids).select_related("org")}
            )
    return found


def step_record_of(task: Any, records: dict[tuple[str, int], Any]) -> Any:
    """The chain or recognition step the task names (None when it names none, or one that is gone)."""
    data = task.data or {}
    found = (records.get((key, int(data[key]))) for key in STEP_REFS if data.get(key))
    return next((record for record in found if record is not None), None)


def task_titles(tasks: list[Any]) -> dict[Any, str]:
    """The titles of many tasks (task id → title), reading the chain and recognition steps they name in one query
    per kind instead of one per task."""
    records = step_records(tasks)
    titles: dict[Any, str] = {}
    for task in tasks:
        record = step_record_of(task, records)
        if record is not None:
            titles[task.pk] = chain_step_title(record)
        elif not node_is_current(task.flow_task):
            titles[task.pk] = str(STEP_CHANGED)
        else:
            titles[task.pk] = node_title(task.flow_task)
    return titles


def chain_step_title(step: Any) -> str:
    """A step of an approval or recognition chain (its `org` read with it): kind, form and body."""
    from admission.party.hierarchy import StepKind

    return f"{StepKind(step.kind).label} ({step.form}): {step.org.name}"


def node_title(node: Any) -> str:
    """What a flow node asks for, in plain words (the engine's own title only for a node we did not describe)."""
    spec = STEPS.get(node.name)
    return str(spec.title) if spec else str(node.task_title)


def task_due_on(task: Any) -> date | None:
    """The due date the flow stored on the task (`data["due_on"]`), if it has one."""
    raw = (task.data or {}).get("due_on")
    return date.fromisoformat(raw) if raw else None


# What a task of a node that no longer exists in its flow shows (a flow changed while the case was waiting there):
# a plain row, never an error; `manage.py flows_check` names such tasks before a deployment.
STEP_CHANGED = gettext_lazy("Step changed: ask the administrator")


def node_is_current(node: Any) -> bool:
    """False for a task whose node was renamed or removed (viewflow then hands back an "obsolete" stand-in)."""
    flow_class = getattr(node, "flow_class", None)
    return flow_class is not None and flow_class.instance.node(node.name, no_obsolete=True) is node
