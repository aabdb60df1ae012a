"""The sourcing and training flow: from nomination to the opening of the admission dossier.

The candidate's lifecycle lives in `Candidate.state` (django-fsm); this flow tracks the work: which body must act
next, who took the task, by when. Every human task carries the `admission.act_for_org` permission on the org whose
body acts (granted per org by the role services through django-guardian), so it appears only in that body's queue.
Node names are part of stored data: never rename one; retire it with `flow.Obsolete` and a data migration.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.dispatch import Signal
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation

from admission.core.request_cache import per_step
from admission.decisions.services import decisions
from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.party.permissions import today
from admission.probation import services as probation_services
from admission.probation.models import Probation, ProbationStatus
from admission.rules import compute as rules
from admission.rules.models.rulesets import DeadlineStart, DeadlineStep
from admission.rules.services import ruleset_for_step
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import EnrollmentState
from workflows.models import AdmissionProcess, ProbationProcess, SourcingProcess
from workflows.step import flow_start_register
from workflows.step_view import StepView
from workflows.steps import STEPS, pending_enrollment

ACT_FOR_ORG = "admission.act_for_org"

# Sent when reminders of the end of probation are due, `reminders=[(probation, days before the end), …]` (the
# notifications app turns them into messages, set-wise).
probation_reminders = Signal()


def _candidate(process: Any) -> Candidate:
    # Read afresh: the services update the case through their own locked instance, so a cached artifact is stale.
    # Inside a step's flow nodes the read is shared until the case is saved again (`request_cache.step_memory`).
    pk = process.artifact_object_id
    return per_step(("candidate", pk), lambda: Candidate.objects.select_related("cell", "rule_set").get(pk=pk))


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
        if not self.flow_class.instance.process_in_scope(user, task.process):
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


def task_data_write(task: Any, due: date | None, **step_refs: Any) -> None:
    """Keep on the task what its queue row needs: the due date and, for a repeated chain node, which step of the
    chain it is (`chain_step=`, `recognition_step=`): its title is built from that record, in the reader's language."""
    task.data = {
        **(task.data or {}),
        "due_on": due.isoformat() if due else None,
        **{key: step.pk if step else None for key, step in step_refs.items()},
    }
    task.save(update_fields=["data"])


def task_data_set(activation: Activation, due: date | None, candidate: Candidate) -> None:
    refs = {"chain_step": decisions.next_step(candidate)} if activation.flow_task.name == "chain_step" else {}
    task_data_write(activation.task, due, **refs)


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
        """The engine's own pages (its dashboards, queues, task pages, charts and process lists) are for
        administrators only, and each process only within their units. Secretaries, approvers and candidates work in
        the product's pages: the work page, the case page and the step page (`workflows.step_page`)."""
        if not user.is_authenticated:
            return False
        if not permissions.can_administer(user):
            return False
        return obj is None or self.process_in_scope(user, obj)

    def process_in_scope(self, user: Any, obj: Any) -> bool:
        """A process is seen only within the user's units (its tasks too, whoever acts on them)."""
        if not user.is_authenticated:
            return False
        from admission.sourcing.selectors import candidate_in_scope

        return candidate_in_scope(user=user, pk=obj.artifact_object_id)

    def has_manage_permission(self, user: Any, obj: Any = None) -> bool:
        # Cancelling, undoing and reviving tasks bypass the domain rules: administrators only.
        return bool(user.is_authenticated and user.is_superuser)


class SourcingFlow(CaseFlow):
    """Nomination → sympathiser list → helpers → course (approval, result) or outside certificate → dossier."""

    process_class = SourcingProcess
    process_title = _("Sourcing and training")
    process_description = _("From an outstanding person to a certificate-holding candidate.")

    start = flow.StartHandle(this.start_case).Annotation(title=_("Nomination")).Next(this.list_sympathiser)
    # A case sent back to the course from a later stage (workflows.send_back): the same case, its new course.
    restart = (
        flow.StartHandle(this.start_case).Annotation(title=_("Sent back to the course")).Next(this.propose_training)
    )

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
    decision = decisions.decision_of(candidate)
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


# ------------------------------------------------------------------------------------------------------------------
# Probation and recognition
# ------------------------------------------------------------------------------------------------------------------


def _probation(process: Any) -> Probation:
    return Probation.objects.select_related("candidate__rule_set", "candidate__cell", "escalated_to").get(
        candidate_id=process.artifact_object_id
    )


def probation_route(probation: Probation, *, moving: bool | None = None, removing: bool | None = None) -> str:
    """Where the probation's work stands, read from the domain records: the one node that should be waiting.
    `moving` / `removing`: whether a transfer / a removal is pending, when the caller read them for many probations
    at once (the timers' reminder pass); read here otherwise."""
    if probation.candidate.state != CandidateState.PROBATIONARY or probation.status not in (
        ProbationStatus.open_states()
    ):
        return "end"
    if probation_services.pending_transfer(probation) is not None if moving is None else moving:
        return "receive_transfer"
    if probation_services.pending_removal(probation) is not None if removing is None else removing:
        return "decide_removal"
    if probation.escalated_on:
        return "decide_escalation"
    if probation.status == ProbationStatus.RUNNING:
        return "wait"
    if probation_services.next_step(probation) is not None:
        return "recognition_step"
    return "recognition_vote"


def _route_is(name: str) -> Any:
    """A branch of the router: the route is read once per activation (the switch asks each branch in turn, and each
    reading costs a probation, a transfer and a removal query), then compared."""

    def matches(activation: Activation) -> bool:
        route = activation.__dict__.get("_probation_route")
        if route is None:
            route = activation.__dict__["_probation_route"] = probation_route(_probation(activation.process))
        return route == name

    return matches


def recognition_org(process: Any) -> PartyOrg:
    step = probation_services.next_step(_probation(process))
    if step is None:
        raise ValueError("No pending step in the recognition chain")
    return step.org


def receiving_cell(process: Any) -> PartyOrg:
    transfer = probation_services.pending_transfer(_probation(process))
    if transfer is None or transfer.to_cell is None:
        raise ValueError("No transfer waiting to be received")
    return transfer.to_cell


def removal_org(process: Any) -> PartyOrg:
    return probation_services.deciding_org(_probation(process), today())


def escalation_org(process: Any) -> PartyOrg:
    probation = _probation(process)
    return probation.escalated_to or probation_services.deciding_org(probation, today())


def wake_at(probation: Probation) -> datetime:
    """The next moment the probation needs the engine: the next reminder not yet sent (90/60/30/15/7 days before the
    end, from the rule set), else the day probation ends; at five past midnight in Hà Nội, or now if that is past."""
    last = probation.last_reminder_days
    leads = [d for d in probation.candidate.rule_set.probation_reminder_days if last is None or d < last]
    days = [probation.ends_on - timedelta(days=lead) for lead in leads] + [probation.ends_on]
    day = min(d for d in days if d >= probation.starts_on) if days else probation.ends_on
    moment = timezone.make_aware(datetime.combine(day, time(0, 5)))
    return max(moment, timezone.now())


class ProbationFlow(CaseFlow):
    """Twelve months of probation, then recognition (13-KNĐ → 14–16-KNĐ) or removal.

    A database timer (`flow.Timer`, fired by `manage.py timers_sweep`) wakes the case on each reminder date and
    on the day probation ends; a router then puts the one task the records call for in the right body's queue: the
    cell's recognition vote, the next body of the recognition chain, the receiving cell after a transfer, the
    committee deciding a proposed removal or a case reported after three inconclusive votes. Actions taken outside
    a task (the cell proposes a removal, transfers the member) re-route the work (`workflows.services.probation_sync`).
    """

    process_class = ProbationProcess
    process_title = _("Probation and recognition")
    process_description = _("From the admission ceremony to recognition as an official member, or removal.")

    start = flow.StartHandle(this.start_case).Annotation(title=_("Ceremony held")).Next(this.route)
    route = (
        ScopedSwitch()
        .Annotation(title=_("What does the probation need now?"))
        .Case(this.end, _route_is("end"))
        .Case(this.receive_transfer, _route_is("receive_transfer"))
        .Case(this.decide_removal, _route_is("decide_removal"))
        .Case(this.decide_escalation, _route_is("decide_escalation"))
        .Case(this.wait, _route_is("wait"))
        .Case(this.recognition_step, _route_is("recognition_step"))
        .Default(this.recognition_vote)
    )

    # The engine, on the reminder dates and on the last day of probation
    wait = flow.Timer(this.wake_time).Annotation(title=_("Probation running")).Next(this.tick)
    tick = (
        flow.Function(this.tick_actions)
        .Annotation(title=_("Reminders and the opening of recognition"))
        .Next(this.route)
    )

    # The cell (the receiving cell after a transfer)
    recognition_vote = step("recognition_vote", cell_of).Next(this.route)
    receive_transfer = step("receive_transfer", receiving_cell).Next(this.route)

    # The committees
    recognition_step = step("recognition_step", recognition_org).Next(this.route)
    decide_removal = step("decide_removal", removal_org).Next(this.route)
    decide_escalation = step("decide_escalation", escalation_org).Next(this.route)

    end = ScopedEnd().Annotation(title=_("Recognised, removed or transferred away"))

    def wake_time(self, activation: Activation) -> datetime:
        return wake_at(_probation(activation.process))

    def tick_actions(self, activation: Activation) -> None:
        """Send the reminder that is due and open the recognition when probation has ended (idempotent)."""
        probation = _probation(activation.process)
        for due in probation_services.probation_actions_on(today(), [probation]):
            if due.action == probation_services.TimerAction.OPEN_RECOGNITION:
                probation_services.probation_open_recognition(probation=probation, on=today())
            elif due.days_before is not None:
                probation_services.probation_reminder_mark(probation=probation, days_before=due.days_before)
                probation_reminders.send(sender=ProbationFlow, reminders=[(probation, due.days_before)])

    def set_due_date(self, activation: Activation) -> None:
        probation_task_data_set(activation.task, _probation(activation.process))


def probation_task_data_set(task: Any, probation: Probation) -> None:
    """The cell's recognition within N working days of the end of probation, the decision within M of the cell's
    resolution (both from the rule set, the decision's extended once with a reason); other tasks: the default.
    A recognition task also names its step of the chain."""
    name = task.flow_task.name
    due: date | None = None
    if name == "recognition_vote":
        due = probation_services.probation_cell_due(probation)
    elif name == "recognition_step":
        due = probation_services.probation_decision_due(probation)
    if due is None:
        due = rules.deadline(rule_set=probation.candidate.rule_set, step=DeadlineStep.DEFAULT_TASK, start=today())
    refs = {"recognition_step": probation_services.next_step(probation)} if name == "recognition_step" else {}
    task_data_write(task, due, **refs)


# The steps that open the next flow (the dossier opened, the ceremony held) start it through these.
flow_start_register(AdmissionProcess, lambda candidate: AdmissionCaseFlow.start.run(candidate=candidate))
flow_start_register(ProbationProcess, lambda candidate: ProbationFlow.start.run(candidate=candidate))
