"""The scan: look at every open task and the recent case records, and notify what is due today.

It reads the state, not events, so it works for tasks created by any path (a screen, the API, an import, a timer)
and may run as often as one likes: each notification has a key naming its event, unique per user, so it is created
once. Run by `manage.py notify_scan` (cron), by the task `notifications.tasks.scan` (enqueued after each step of a
flow), and by the tests with the clock driven by time_machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.party import hierarchy, permissions
from admission.party.models.orgs import PartyOrg
from admission.rules.calendar import WorkingCalendar, working_calendar
from admission.rules.reference import vn_date as _d
from admission.sourcing.models.candidates import Candidate
from notifications import conf
from notifications.models import Escalation, NotificationKind
from notifications.services import Message, delegations_sync, notify, notify_many

OPEN_TASK = ("NEW", "ASSIGNED", "STARTED")


@dataclass
class ScanResult:
    created: int = 0
    escalated: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int) -> None:
        if n:
            self.created += n
            self.by_kind[kind] = self.by_kind.get(kind, 0) + n


def case_url(candidate: Candidate) -> str:
    return reverse("admission:candidates:detail", args=[candidate.pk])


def _who(candidate: Candidate) -> str:
    return f"{candidate.person.full_name} ({candidate.code})"


def open_tasks_query(*, candidate_ids: Any = None) -> Any:
    ct = ContentType.objects.get_for_model(Candidate)
    tasks = Task.objects.filter(
        status__in=OPEN_TASK, flow_task_type="HUMAN", process__artifact_content_type=ct
    ).select_related("process")
    if candidate_ids is not None:
        tasks = tasks.filter(process__artifact_object_id__in=candidate_ids)
    return tasks


def task_due(task: Task) -> date | None:
    raw = (task.data or {}).get("due_on")
    return date.fromisoformat(raw) if raw else None


def scan(*, on: date | None = None, candidate: Candidate | None = None) -> ScanResult:
    """Notify everything due on `on` (default today), for every case or for one."""
    day = on or permissions.today()
    cal = working_calendar()
    result = ScanResult()
    ids = [candidate.pk] if candidate is not None else None
    tasks = list(open_tasks_query(candidate_ids=ids))
    cases = Candidate.objects.select_related("person", "cell", "person__user").in_bulk(
        {t.process.artifact_object_id for t in tasks}
    )
    orgs = PartyOrg.objects.in_bulk({int(t.owner_permission_obj_pk) for t in tasks if t.owner_permission_obj_pk})
    for task in tasks:
        case = cases.get(task.process.artifact_object_id)
        org = orgs.get(int(task.owner_permission_obj_pk)) if task.owner_permission_obj_pk else None
        if case is None or org is None:
            continue
        with transaction.atomic():
            _scan_task(task, case, org, day, cal, result)
    with transaction.atomic():
        _scan_records(day, result, candidate)
    if candidate is None:
        delegations_sync(on=day)
    return result


def _scan_task(task: Task, case: Candidate, org: PartyOrg, day: date, cal: WorkingCalendar, result: ScanResult) -> None:
    from workflows.steps import task_title

    acting = list(permissions.users_acting_for_org(org, on=day))
    url = case_url(case)
    who = _who(case)
    titles: dict[str, str] = {}

    def title() -> str:
        """The task's title in the language active when the message is built (each recipient reads their own)."""
        language = translation.get_language() or ""
        if language not in titles:
            titles[language] = task_title(task)
        return titles[language]

    def message(kind: str, key: str, head: Any, body: Any) -> Message:
        return Message(kind=kind, key=key, title=head, body=body, url=url, candidate=case, task_id=task.pk)

    result.add(
        NotificationKind.TASK_ASSIGNED,
        len(
            notify(
                users=acting,
                message=message(
                    NotificationKind.TASK_ASSIGNED,
                    f"task:{task.pk}:assigned",
                    lambda: _("New task: %(task)s") % {"task": title()},
                    lambda: _("%(case)s is waiting for %(org)s.") % {"case": who, "org": org},
                ),
            )
        ),
    )
    if task.flow_task.name == "ceremony" and case.person.user_id:
        result.add(NotificationKind.CEREMONY_SCHEDULED, _ceremony_scheduled(task, case, url))
    due = task_due(task)
    if due is None:
        return
    if day <= due:
        left = cal.working_days_between(day, due)
        reached = [lead for lead in conf.deadline_lead_days() if left <= lead]
        if reached:
            # The closest lead time reached: a scan that missed a day catches up once, not once per lead time.
            lead = min(reached)
            created = notify(
                users=acting,
                message=message(
                    NotificationKind.DEADLINE_APPROACHING,
                    f"task:{task.pk}:due:{due.isoformat()}:{lead}",
                    lambda: _("Due by %(due)s: %(task)s") % {"due": _d(due), "task": title()},
                    lambda: (
                        _("%(case)s: %(org)s must act by %(due)s (%(left)d working days left).")
                        % {"case": who, "org": org, "due": _d(due), "left": left}
                    ),
                ),
            )
            result.add(NotificationKind.DEADLINE_APPROACHING, len(created))
        return
    late = cal.working_days_between(due, day)
    created = notify(
        users=acting,
        message=message(
            NotificationKind.OVERDUE,
            f"task:{task.pk}:overdue:{due.isoformat()}",
            lambda: _("Overdue since %(due)s: %(task)s") % {"due": _d(due), "task": title()},
            lambda: _("%(case)s: %(org)s had to act by %(due)s.") % {"case": who, "org": org, "due": _d(due)},
        ),
    )
    result.add(NotificationKind.OVERDUE, len(created))
    if late >= conf.escalate_after_days():
        _escalate(task, case, org, due, day, title, result)


def _escalate(
    task: Task, case: Candidate, org: PartyOrg, due: date, day: date, title: Callable[[], str], result: ScanResult
) -> None:
    """Report the task to the superior body of the org that had to act (its parent on that day), once per task."""
    superior = hierarchy.parent_on(org, day)
    if superior is None:
        return
    escalation, created = Escalation.objects.get_or_create(
        task_id=task.pk,
        defaults={"candidate": case, "from_org": org, "to_org": superior, "due_on": due, "escalated_on": day},
    )
    if created:
        result.escalated += 1
    who = _who(case)
    to_org = escalation.to_org
    users = permissions.users_acting_for_org(to_org, on=day)
    notified = notify(
        users=users,
        message=Message(
            kind=NotificationKind.ESCALATED,
            key=f"task:{task.pk}:escalated",
            title=lambda: _("Escalated: %(org)s is late with %(task)s") % {"org": org, "task": title()},
            body=lambda: (
                _("%(case)s: due by %(due)s, still open. Your body %(superior)s is informed as the superior.")
                % {"case": who, "due": _d(due), "superior": to_org}
            ),
            url=reverse("notifications:board:index") + "?escalated=1",
            candidate=case,
            task_id=task.pk,
        ),
    )
    result.add(NotificationKind.ESCALATED, len(notified))


def _ceremony_scheduled(task: Task, case: Candidate, url: str) -> int:
    """The candidate learns that the decision is made and the cell must hold the ceremony by the due date."""
    due = task_due(task)
    if due is None:
        return 0
    return len(
        notify(
            users=[case.person.user],
            message=Message(
                kind=NotificationKind.CEREMONY_SCHEDULED,
                key=f"task:{task.pk}:ceremony",
                title=lambda: _("Your admission ceremony is to be held by %(due)s") % {"due": _d(due)},
                body=lambda: _("%(cell)s will tell you the date and place of the ceremony.") % {"cell": case.cell},
                url=url,
                candidate=case,
                task_id=task.pk,
            ),
        )
    )


def _case_people(case: Candidate, day: date) -> list[Any]:
    """The cell's users and the candidate's own login."""
    users = list(permissions.users_acting_for_org(case.cell, on=day))
    if case.person.user_id and case.person.user not in users:
        users.append(case.person.user)
    return users


def _scan_records(day: date, result: ScanResult, candidate: Candidate | None) -> None:
    since = day - timedelta(days=conf.lookback_days())
    steps = ChainStepRecord.objects.filter(done_on__gte=since, done_on__lte=day).filter(
        kind=hierarchy.StepKind.DECISION, status=StepStatus.DONE
    ) | ChainStepRecord.objects.filter(done_on__gte=since, done_on__lte=day, status=StepStatus.REFUSED)
    ceremonies = Ceremony.objects.filter(held_on__gte=since, held_on__lte=day)
    if candidate is not None:
        steps = steps.filter(candidate=candidate)
        ceremonies = ceremonies.filter(candidate=candidate)
    for step in steps.select_related("candidate__person__user", "candidate__cell", "org"):
        case = step.candidate
        admitted = step.status == StepStatus.DONE
        made_on = step.done_on or day
        number = step.document_number
        created = notify(
            users=_case_people(case, day),
            message=Message(
                kind=NotificationKind.DECISION_MADE,
                key=f"decision:{step.pk}",
                title=(lambda c=case: _("Admitted: %(case)s") % {"case": _who(c)})
                if admitted
                else (lambda c=case: _("Not admitted: %(case)s") % {"case": _who(c)}),
                body=(
                    lambda s=step, n=number, m=made_on: (
                        _("Decision %(n)s of %(day)s by %(org)s.") % {"n": n, "day": _d(m), "org": s.org}
                    )
                )
                if admitted
                else (
                    lambda s=step, m=made_on: (
                        _("%(org)s refused on %(day)s: %(reason)s") % {"org": s.org, "day": _d(m), "reason": s.note}
                    )
                ),
                url=case_url(case),
                candidate=case,
            ),
        )
        result.add(NotificationKind.DECISION_MADE, len(created))
    for ceremony in ceremonies.select_related("candidate__person__user", "candidate__cell"):
        case = ceremony.candidate
        created = notify(
            users=_case_people(case, day),
            message=Message(
                kind=NotificationKind.CEREMONY_RECORDED,
                key=f"ceremony:{ceremony.pk}",
                title=lambda c=case: _("Admission ceremony held: %(case)s") % {"case": _who(c)},
                body=lambda c=ceremony: _("Held on %(day)s; probation runs from that day.") % {"day": _d(c.held_on)},
                url=case_url(case),
                candidate=case,
            ),
        )
        result.add(NotificationKind.CEREMONY_RECORDED, len(created))
    _scan_probations(day, result, candidate)


def _scan_probations(day: date, result: ScanResult, candidate: Candidate | None) -> None:
    """Probation ending: at each of the rule set's reminder days (calendar days before the end), the closest
    reached only, to the cell's users and the member."""
    from admission.probation.models import Probation, ProbationStatus

    running = Probation.objects.filter(status=ProbationStatus.RUNNING, ends_on__gt=day).select_related(
        "candidate__rule_set", "candidate__cell", "candidate__person__user", "membership__cell"
    )
    if candidate is not None:
        running = running.filter(candidate=candidate)
    due: list[tuple[Any, int]] = []
    for probation in running:
        left = (probation.ends_on - day).days
        reached = [d for d in probation.candidate.rule_set.probation_reminder_days if left <= d]
        if reached:
            due.append((probation, min(reached)))
    result.add(NotificationKind.PROBATION_ENDING, probation_endings_notify(due, on=day))


def probation_endings_notify(reminders: list[tuple[Any, int]], *, on: date) -> int:
    """Tell each (current) cell's users and the member that probation ends soon, once per probation and lead time,
    for many probations in a few queries (each `(probation, lead)` with its candidate, person, rule set and
    membership's cell loaded). Called by the scan and by the probation flow's timer (signal
    `workflows.flows.probation_reminders`). Returns the number of notifications created."""
    acting = permissions.users_acting_for_orgs((p.membership.cell_id for p, _lead in reminders), on=on)
    batches = []
    for probation, lead in reminders:
        case = probation.candidate
        users = list(acting.get(probation.membership.cell_id, []))
        if case.person.user_id and case.person.user_id not in {u.pk for u in users}:
            users.append(case.person.user)
        batches.append((users, _probation_ending(probation, lead, on)))
    return len(notify_many(batches))


def _probation_ending(probation: Any, lead: int, on: date) -> Message:
    case, cell, ends = probation.candidate, probation.membership.cell, probation.ends_on
    left = (ends - on).days
    return Message(
        kind=NotificationKind.PROBATION_ENDING,
        key=f"probation:{probation.pk}:{lead}",
        title=lambda: _("Probation ends on %(day)s: %(case)s") % {"day": _d(ends), "case": _who(case)},
        body=lambda: (
            _(
                "%(days)d days left. %(cell)s prepares the recognition: the new-member course certificate, "
                "the self-review (10-KNĐ) and the helpers' comments (11-KNĐ)."
            )
            % {"days": left, "cell": cell}
        ),
        url=case_url(case),
        candidate=case,
    )
