"""The sourcing and training flow: from nomination to the opening of the admission dossier.

The candidate's lifecycle lives in `Candidate.state` (django-fsm); this flow tracks the work: which body must act
next, who took the task, by when. Every human task carries the `admission.act_for_org` permission on the org whose
body acts (granted per org by the role services through django-guardian), so it appears only in that body's queue.
Node names are part of stored data: never rename one; retire it with `flow.Obsolete` and a data migration.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation

from admission import rules
from admission.models import Candidate, CandidateState, EnrollmentState, PartyOrg
from admission.models.rulesets import DeadlineStart, DeadlineStep
from admission.permissions import today
from admission.services import decisions
from admission.services.rulesets import ruleset_for_step
from workflows.models import AdmissionProcess, SourcingProcess
from workflows.steps import STEPS, pending_enrollment
from workflows.views import StepView

ACT_FOR_ORG = "admission.act_for_org"


def _candidate(process: Any) -> Candidate:
    # Read afresh: the services update the case through their own locked instance, so a cached artifact is stale.
    return Candidate.objects.select_related("cell", "rule_set").get(pk=process.artifact_object_id)


def cell_of(process: Any) -> PartyOrg:
    return _candidate(process).cell


def approver_of(process: Any) -> PartyOrg:
    return pending_enrollment(_candidate(process)).approving_org


def organiser_of(process: Any) -> PartyOrg:
    return pending_enrollment(_candidate(process), EnrollmentState.APPROVED, EnrollmentState.ATTENDING).course.organiser


class OutOfScope404:
    """Node mixin: a task of a case outside the user's units does not exist for them (404, not 403)."""

    flow_class: Any

    def _in_scope(self, user: Any, task: Any) -> bool:
        if not self.flow_class.instance.has_view_permission(user, task.process):
            raise Http404
        return True

    def can_view(self, user: Any, task: Any) -> bool:
        return self._in_scope(user, task)

    def can_assign(self, user: Any, task: Any) -> bool:
        return self._in_scope(user, task) and super().can_assign(user, task)  # type: ignore[misc]

    def can_execute(self, user: Any, task: Any) -> bool:
        return self._in_scope(user, task) and super().can_execute(user, task)  # type: ignore[misc]


class ScopedView(OutOfScope404, flow.View):
    pass


class ScopedIf(OutOfScope404, flow.If):
    pass


class ScopedEnd(OutOfScope404, flow.End):
    pass


class ScopedSwitch(OutOfScope404, flow.Switch):
    pass


def chain_org(process: Any) -> PartyOrg:
    """The body whose turn it is in the approval chain the cell's resolution fixed (ChainStepRecord rows)."""
    step = decisions.next_step(_candidate(process))
    if step is None:
        raise ValueError("No pending step in the approval chain")
    return step.org


def step(name: str, acting_org: Any) -> flow.View:
    spec = STEPS[name]
    return (
        ScopedView(StepView.as_view(step_name=name))
        .Annotation(title=spec.title, description=spec.description)
        .Permission(ACT_FOR_ORG, obj=acting_org)
        .onCreate(this.set_due_date)
    )


def task_data_set(activation: Activation, due: date | None, candidate: Candidate) -> None:
    """Keep on the task what its queue row needs: the due date and, for the repeated chain node, which step of the
    chain it is (its title is built from that record when shown, in the reader's language)."""
    data = dict(activation.task.data or {})
    data["due_on"] = due.isoformat() if due else None
    if activation.flow_task.name == "chain_step":
        chain_step = decisions.next_step(candidate)
        data["chain_step"] = chain_step.pk if chain_step else None
    activation.task.data = data
    activation.task.save(update_fields=["data"])


def _state_is(state: str) -> Any:
    return lambda activation: _candidate(activation.process).state == state


class CaseFlow(flow.Flow):
    """What the case flows share: the process's artifact is the Candidate, a row lock per process, and scoping."""

    lock_impl = lock.select_for_update_lock

    def start_case(self, activation: Activation, candidate: Candidate) -> Any:
        activation.process.artifact = candidate
        activation.process.save()
        return activation.process

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        """Entering the flow's pages needs a login; each process is visible only within the user's units."""
        if not user.is_authenticated:
            return False
        if obj is None:
            return True
        from admission.selectors import candidate_list_for_user

        return candidate_list_for_user(user=user).filter(pk=obj.artifact_object_id).exists()

    def has_manage_permission(self, user: Any, obj: Any = None) -> bool:
        # Cancelling, undoing and reviving tasks bypass the domain rules: administrators only.
        return bool(user.is_authenticated and user.is_superuser)


class SourcingFlow(CaseFlow):
    """Nomination → sympathiser list → helpers → course (approval, result) or outside certificate → dossier."""

    process_class = SourcingProcess
    process_title = _("Sourcing and training")
    process_description = _("From an outstanding person to a certificate-holding candidate.")

    start = flow.StartHandle(this.start_case).Annotation(title=_("Nomination")).Next(this.list_sympathiser)

    # The cell
    list_sympathiser = step("list_sympathiser", cell_of).Next(this.assign_mentors)
    assign_mentors = step("assign_mentors", cell_of).Next(this.propose_training)
    propose_training = step("propose_training", cell_of).Next(this.after_proposal)
    after_proposal = (
        ScopedIf(_state_is(CandidateState.TRAINED))
        .Annotation(title=_("Certificate obtained elsewhere?"))
        .Then(this.open_dossier)
        .Else(this.approve_attendance)
    )

    # The committee above the cell
    approve_attendance = step("approve_attendance", approver_of).Next(this.after_decision)
    after_decision = (
        ScopedIf(_state_is(CandidateState.IN_TRAINING))
        .Annotation(title=_("Attendance approved?"))
        .Then(this.record_result)
        .Else(this.propose_training)
    )

    # The course organiser
    record_result = step("record_result", organiser_of).Next(this.after_result)
    after_result = (
        ScopedIf(_state_is(CandidateState.TRAINED))
        .Annotation(title=_("Course passed?"))
        .Then(this.open_dossier)
        .Else(this.propose_training)
    )

    # The cell
    open_dossier = step("open_dossier", cell_of).Next(this.end)
    end = ScopedEnd().Annotation(title=_("Dossier opened"))

    def set_due_date(self, activation: Activation) -> None:
        """Sourcing steps have no deadline in the regulations: the rule set's default for a task applies."""
        candidate = _candidate(activation.process)
        due: date = rules.deadline(rule_set=candidate.rule_set, step=DeadlineStep.DEFAULT_TASK, start=today())
        task_data_set(activation, due, candidate)


def _ceremony_counts_from_receipt(activation: Activation) -> bool:
    candidate = _candidate(activation.process)
    decision = candidate.chain_steps.filter(kind="decision", status="done").first()
    on = decision.document_date if decision and decision.document_date else today()
    rule = ruleset_for_step(case_rule_set=candidate.rule_set, step_on=on).deadline(DeadlineStep.CEREMONY)
    return rule.starts_from == DeadlineStart.DECISION_RECEIVED


class AdmissionCaseFlow(CaseFlow):
    """Dossier → cell meeting and vote (6-KNĐ) → the approval chain of that day (7-, 8-, 9-KNĐ, as the hierarchy
    resolves it) → receipt of the decision (when the ceremony deadline counts from it) → ceremony → probation.

    The chain is one repeated node: each task is owned by the org of the next pending `ChainStepRecord`, so an
    appraisal goes to the partial committee, a resolution to the grassroots committee, the decision to the deciding
    body, whatever the variant. A refusal ends the work; a send-back returns it to the cell's dossier.
    """

    process_class = AdmissionProcess
    process_title = _("Admission")
    process_description = _("From the dossier to the admission ceremony.")

    start = flow.StartHandle(this.start_case).Annotation(title=_("Dossier opened")).Next(this.prepare_dossier)

    # The cell
    prepare_dossier = step("prepare_dossier", cell_of).Next(this.cell_vote)
    cell_vote = step("cell_vote", cell_of).Next(this.after_cell_vote)
    after_cell_vote = (
        ScopedIf(_state_is(CandidateState.PROPOSED))
        .Annotation(title=_("Did the cell's vote pass?"))
        .Then(this.chain_step)
        .Else(this.end)
    )

    # The bodies of the approval chain, in turn
    chain_step = step("chain_step", chain_org).Next(this.after_chain_step)
    after_chain_step = (
        ScopedSwitch()
        .Annotation(title=_("Where does the case go next?"))
        .Case(this.chain_step, _state_is(CandidateState.PROPOSED))
        .Case(this.prepare_dossier, _state_is(CandidateState.DOSSIER))
        .Case(this.after_decision, _state_is(CandidateState.ADMITTED))
        .Default(this.end)
    )
    after_decision = (
        ScopedIf(_ceremony_counts_from_receipt)
        .Annotation(title=_("Does the ceremony deadline count from receipt?"))
        .Then(this.receive_decision)
        .Else(this.ceremony)
    )

    # The cell
    receive_decision = step("receive_decision", cell_of).Next(this.ceremony)
    ceremony = step("ceremony", cell_of).Next(this.end)
    end = ScopedEnd().Annotation(title=_("Admission work finished"))

    def set_due_date(self, activation: Activation) -> None:
        """The chain's tasks are due by the decision deadline (working days from the cell's resolution, extended
        once with a reason); the ceremony by its own deadline; the cell's other tasks by the default."""
        candidate = _candidate(activation.process)
        deadlines = decisions.admission_deadlines(candidate)
        due: date | None = {
            "chain_step": deadlines.decision_due,
            "ceremony": deadlines.ceremony_due,
        }.get(activation.flow_task.name)
        if due is None:
            due = rules.deadline(rule_set=candidate.rule_set, step=DeadlineStep.DEFAULT_TASK, start=today())
        task_data_set(activation, due, candidate)
