"""Deadlines and the timer's to-do list, with the reads of where a case stands (its pending transfer or removal, the
current round of the chain, the cell's resolution, the step waiting).

Deadlines are working days from the rule set: the cell within 30 after the end of probation, the deciding body
within 30 after the cell's resolution (+30 once, with a reason). Acting after a deadline is allowed (the official
date does not move) but needs the reason for the delay, which the record keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission.decisions.models.decisions import StepStatus
from admission.party import permissions
from admission.probation.models import (
    Probation,
    ProbationRemoval,
    ProbationStatus,
    ProbationTransfer,
    RecognitionStep,
    RemovalStatus,
    TransferStatus,
)
from admission.probation.services.base import _lock, _rule_set
from admission.rules import compute as rules
from admission.rules.calendar import WorkingCalendar, working_calendar
from admission.rules.models.rulesets import DeadlineStep
from admission.rules.reference import vn_date as _d
from admission.rules.services import ruleset_for_step
from admission.sourcing.models.candidates import Candidate

# ------------------------------------------------------------------------------------------------------------------
# Deadlines and the timer's to-do list
# ------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    days_before: int
    on: date


@dataclass(frozen=True)
class ProbationDeadlines:
    starts_on: date
    ends_on: date
    official_on: date  # the day probation ends, whatever the decision's date (Charter Art. 5.3)
    party_age_from: date  # the admission decision's date (Charter Art. 5.4)
    cell_due: date
    cell_resolution_on: date | None
    decision_due: date | None
    decision_extended: bool
    transfer_due: date | None
    reminders: list[Reminder] = field(default_factory=list)


def pending_transfer(probation: Probation) -> ProbationTransfer | None:
    """A move to another cell of this system that the receiving cell has not recorded yet."""
    return probation.transfers.filter(status=TransferStatus.PENDING).select_related("to_cell").first()


def pending_removal(probation: Probation) -> ProbationRemoval | None:
    """A removal proposed and waiting for the competent committee."""
    return probation.removals.filter(status=RemovalStatus.PROPOSED).first()


def current_round(probation: Probation) -> int:
    return probation.steps.aggregate(m=Max("round"))["m"] or 0


def cell_resolution(probation: Probation) -> RecognitionStep | None:
    """The cell's 13-KNĐ of the current chain, if done."""
    return probation.steps.filter(round=current_round(probation), order=1, status=StepStatus.DONE).first()


def next_step(probation: Probation) -> RecognitionStep | None:
    return probation.steps.filter(round=current_round(probation), status=StepStatus.PENDING).order_by("order").first()


def probation_cell_due(probation: Probation, *, calendar: WorkingCalendar | None = None) -> date:
    """The cell's recognition deadline: N working days after the end of probation (the rule set of that day)."""
    rs = ruleset_for_step(case_rule_set=probation.candidate.rule_set, step_on=probation.ends_on)
    cal = calendar or working_calendar()
    return rules.deadline(rule_set=rs, step=DeadlineStep.RECOGNITION_CELL, start=probation.ends_on, calendar=cal)


def probation_decision_due(probation: Probation, *, calendar: WorkingCalendar | None = None) -> date | None:
    """The deciding body's deadline: M working days after the cell's resolution (+ the extension); None before it."""
    return _decision_due(probation, cell_resolution(probation), calendar or working_calendar())


def _decision_due(probation: Probation, resolution: RecognitionStep | None, cal: WorkingCalendar) -> date | None:
    if resolution is None or resolution.done_on is None:
        return None
    return rules.deadline(
        rule_set=_rule_set(probation, resolution.done_on),
        step=DeadlineStep.RECOGNITION_DECISION,
        start=resolution.done_on,
        calendar=cal,
        extended=bool(probation.decision_extension_reason),
    )


def probation_deadlines(candidate: Candidate, *, calendar: WorkingCalendar | None = None) -> ProbationDeadlines:
    """The dates of a probation: its end (= the official date), the party-age date, the cell's recognition deadline
    (N working days after the end), the decision's (M working days after the cell's resolution, + the extension
    when a reason was given), the pending transfer's, and the reminder days (calendar days before the end)."""
    cal = calendar or working_calendar()
    probation = Probation.objects.select_related("membership", "candidate__rule_set").get(candidate=candidate)
    rs = ruleset_for_step(case_rule_set=candidate.rule_set, step_on=probation.ends_on)
    cell_due = probation_cell_due(probation, calendar=cal)
    resolution = cell_resolution(probation)
    decision_due = _decision_due(probation, resolution, cal)
    pending = probation.transfers.filter(status=TransferStatus.PENDING).first()
    transfer_due = (
        rules.deadline(rule_set=rs, step=DeadlineStep.TRANSFER, start=pending.moved_on, calendar=cal)
        if pending
        else None
    )
    reminders = [
        Reminder(days, probation.ends_on - timedelta(days=days))
        for days in sorted(rs.probation_reminder_days, reverse=True)
    ]
    return ProbationDeadlines(
        starts_on=probation.starts_on,
        ends_on=probation.ends_on,
        official_on=probation.ends_on,
        party_age_from=probation.membership.admitted_on,
        cell_due=cell_due,
        cell_resolution_on=resolution.done_on if resolution else None,
        decision_due=decision_due,
        decision_extended=bool(probation.decision_extension_reason),
        transfer_due=transfer_due,
        reminders=reminders,
    )


class TimerAction(models.TextChoices):
    REMIND = "remind", gettext_lazy("Remind the cell that probation ends soon")
    OPEN_RECOGNITION = "open_recognition", gettext_lazy("Open the recognition step")


@dataclass(frozen=True)
class DueAction:
    probation: Probation
    action: str  # TimerAction
    days_before: int | None = None


def probation_actions_on(day: date, probations: Iterable[Probation]) -> list[DueAction]:
    """Pure: which running probations need their recognition step opened on `day` (probation has ended), and which
    need a reminder (the closest lead time reached and not yet sent; a missed day is caught up once, not once per
    lead time). Reads only the objects given (with `candidate.rule_set` loaded)."""
    due: list[DueAction] = []
    for probation in probations:
        if probation.status != ProbationStatus.RUNNING:
            continue
        if day >= probation.ends_on:
            due.append(DueAction(probation, TimerAction.OPEN_RECOGNITION))
            continue
        left = (probation.ends_on - day).days
        reached = [
            d
            for d in probation.candidate.rule_set.probation_reminder_days
            if d >= left and (probation.last_reminder_days is None or d < probation.last_reminder_days)
        ]
        if reached:
            due.append(DueAction(probation, TimerAction.REMIND, min(reached)))
    return due


def probation_actions_due(on: date | None = None) -> list[DueAction]:
    """The to-do list of the timer (viewflow timer or a daily command) for `on` (default: today)."""
    day = on or permissions.today()
    running = Probation.objects.filter(status=ProbationStatus.RUNNING).select_related(
        "candidate__rule_set", "candidate__cell", "candidate__person"
    )
    return probation_actions_on(day, running)


@transaction.atomic
def probation_open_recognition(*, probation: Probation, on: date) -> Probation:
    """The timer opens the recognition step once probation has ended (system action, no user)."""
    probation = _lock(probation)
    if probation.status != ProbationStatus.RUNNING:
        return probation
    if on < probation.ends_on:
        raise ValidationError(_("Probation ends on %(day)s.") % {"day": _d(probation.ends_on)})
    probation.status = ProbationStatus.RECOGNITION_DUE
    probation.recognition_opened_on = on
    probation.save()
    return probation


@transaction.atomic
def probation_reminder_mark(*, probation: Probation, days_before: int) -> Probation:
    """Remember that the reminder `days_before` the end went out, so it is sent once."""
    probation_reminders_mark([(probation, days_before)])
    return probation


@transaction.atomic
def probation_reminders_mark(reminders: Iterable[tuple[Probation, int]]) -> list[int]:
    """Remember, for many probations at once, which reminder went out: one UPDATE per lead time and one insert of
    their history rows, so the timer's sweep marks thousands in a few queries. Only a running probation whose last
    reminder had a longer lead moves: a reminder is never marked twice, nor backwards over a later one a concurrent
    writer marked first. The probations given are updated in place. Returns the ids marked."""
    by_lead: dict[int, list[Probation]] = {}
    for probation, days_before in reminders:
        by_lead.setdefault(days_before, []).append(probation)
    marked: list[Probation] = []
    for lead, probations in sorted(by_lead.items()):
        for start in range(0, len(probations), 500):
            chunk = {p.pk: p for p in probations[start : start + 500]}
            rows = Probation.objects.filter(pk__in=chunk, status=ProbationStatus.RUNNING).filter(
                models.Q(last_reminder_days__isnull=True) | models.Q(last_reminder_days__gt=lead)
            )
            ids = list(rows.select_for_update().values_list("pk", flat=True))
            Probation.objects.filter(pk__in=ids).update(last_reminder_days=lead)
            for pk in ids:
                chunk[pk].last_reminder_days = lead
                marked.append(chunk[pk])
    Probation.history.bulk_history_create(
        marked, update=True, default_change_reason=_("Reminder of the end of probation sent")
    )
    return [p.pk for p in marked]
