"""The upgrade drill's second half: advance every open case of a migrated database one step, as its users would.

Run by tests/admission/test_upgrade_drill.py in a subprocess, against the copy of the previous release's demo
database that the current code has just migrated (never against the suite's own database):

    DATABASE_URL=… DJANGO_SETTINGS_MODULE=config.settings.test python -m tests.admission.upgrade_advance --on 2026-12-07

For each open human task of every flow (sourcing, admission, probation), oldest first, a user who acts for the
task's org (`users_acting_for_org`) submits the step's page with valid data, through the test client: the step's
form, `workflows.services.run_step`, the domain services and the flow, exactly as on the screen. Then the case page
must answer 200. Where a real secretary would first complete a paper the step checks (a dossier the demo left
partial, a higher consent the decision needs, the recognition dossier), the drill writes it through the same
services the demo uses and says so (`prepared`).

The demo's dates count from the day it was made (`--on`): the drill acts on that day (or on the first day the step
can be done, e.g. a course's last day for its result), so that its answer does not depend on when the suite runs.

Then the probation timers the database holds (a probation running, waiting for its next reminder day or its end) are
made due, as if their moment had come: their `scheduled` is set to a minute ago, and the current code's
`manage.py timers_sweep` runs in a subprocess, as the cron line of a deployment would. Each of them must have fired or
moved on: a reminder recorded (the set-based pass, or the flow's own path), the recognition opened (probation over:
the cell's vote is in its queue), or, nothing being due for that probation today, the timer moved to its next moment;
none may be due afterwards. The sweep and the timers act on the real day, after the steps (which act on the demo's
day), and only on the timers the previous release left, not on those the steps above have just started.

Prints one JSON line: the open tasks before (by flow and node), the timers waiting, every task advanced (case, node,
who, where the case waits now), every failure (node and error), and the timers' sweep (its output, each timer's
outcome, the timers that did not move).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

FLOW_NAMES = {"SourcingFlow": "sourcing", "AdmissionCaseFlow": "admission", "ProbationFlow": "probation"}
DRILL = "DRILL"  # marks every number the drill makes up


class StepFailed(Exception):
    pass


def _d(day: date) -> str:
    return day.isoformat()


def _first_choices(form: Any, name: str, count: int = 1) -> list[str]:
    """The first `count` options the step's own form offers in a multiple-choice field (or its initial choice)."""
    field = form.fields[name]
    initial = [str(value) for value in (field.initial or [])][:count]
    return initial or [str(obj.pk) for obj in field.queryset[:count]]


def _roster(form: Any, day: date) -> dict[str, Any]:
    """A cell meeting as the demo holds it: every member present but those exempted or transferred away that day
    (each with a reason), and every official member present votes in favour."""
    from admission.party.models.people import MemberExemption

    cell = form.candidate.cell
    away = {e.membership_id for e in MemberExemption.objects.filter(membership__cell=cell) if e.covers(day)}
    present = [m for m in form.members if m.pk not in away]
    data: dict[str, Any] = {
        "held_on": _d(day),
        "place": f"Nhà văn hóa {cell.name.removeprefix('Chi bộ ')}",
        "present": [str(m.pk) for m in present],
        "votes_for": sum(m.status_on(day) == "official" for m in present),
        "votes_against": "0",
    }
    data.update({f"reason_{pk}": "Đi công tác" for pk in away if f"reason_{pk}" in form.fields})
    return data


def _chain_data(step: Any, day: date, number: str) -> dict[str, Any]:
    """A body of a chain agrees: a committee that must vote records 7 of 8 present out of 9, as the demo does."""
    from admission.party.hierarchy import StepKind
    from workflows.admission_forms import APPROVE, VOTE_REQUIRED

    data: dict[str, Any] = {"step": str(step.pk), "outcome": APPROVE, "on": _d(day), "note": ""}
    if step.vote_body in VOTE_REQUIRED:
        data.update(members_total="9", present="8", votes_for="7", votes_against="1")
    if step.kind in (StepKind.DECISION, StepKind.COMMITTEE_RESOLUTION):
        data["document_number"] = f"{number}-{'QĐ' if step.kind == StepKind.DECISION else 'NQ'}/ĐU"
    return data


# ------------------------------------------------------------------------------------------------------------------
# What a user does before the step, when the step checks a paper that is not there yet
# ------------------------------------------------------------------------------------------------------------------


def _prepare_dossier(case: Any, user: Any, day: date) -> list[str]:
    from admission.dossier.checklist import dossier_checklist
    from demo.dossier import fill_dossier

    missing = [item.form for item in dossier_checklist(case, day) if not item.done]
    if not missing:
        return []
    fill_dossier(case, by=user, start=day - timedelta(days=46))
    return [f"dossier completed ({', '.join(missing)})"]


def _prepare_consents(case: Any, user: Any, day: date) -> list[str]:
    from admission.decisions.services import decisions
    from admission.party.hierarchy import StepKind

    step = decisions.next_step(case)
    if step is None or step.kind != StepKind.DECISION:
        return []
    missing = decisions.missing_consents(case)
    for kind in missing:
        decisions.consent_record(
            candidate=case,
            kind=kind,
            reference=f"{DRILL}-{case.pk}-CV/TU",
            granted_on=day,
            granted_by="Ban Thường vụ Tỉnh ủy",
            by=user,
        )
    return [f"consent recorded: {kind}" for kind in missing]


def _prepare_recognition_dossier(case: Any, user: Any, day: date) -> list[str]:
    from admission.probation.models import Probation
    from admission.probation.services.dossier import recognition_dossier_missing
    from demo.probation import recognition_dossier_fill

    probation = Probation.objects.get(candidate=case)
    missing = recognition_dossier_missing(probation)
    if not missing:
        return []
    recognition_dossier_fill(probation, user, day)
    return [f"recognition dossier completed ({len(missing)} items)"]


PREPARE: dict[str, Callable[[Any, Any, date], list[str]]] = {
    "prepare_dossier": _prepare_dossier,
    "chain_step": _prepare_consents,
    "recognition_vote": _prepare_recognition_dossier,
}

# ------------------------------------------------------------------------------------------------------------------
# The step's form, filled in
# ------------------------------------------------------------------------------------------------------------------


def _propose_training(form: Any, day: date) -> dict[str, Any]:
    courses = form.fields["course"].queryset
    if courses.exists():
        return {"course": str(courses.first().pk)}
    return {
        "certificate_number": f"{DRILL}-{form.candidate.pk}/GCN",
        "certificate_issued_on": _d(day),
        "certificate_issuer": "Trung tâm Chính trị",
    }


def _cell_vote(form: Any, day: date) -> dict[str, Any]:
    return _roster(form, day)


def _chain_step(form: Any, day: date) -> dict[str, Any]:
    return _chain_data(form.chain_step, day, f"{DRILL}{form.candidate.pk}")


def _ceremony(form: Any, day: date) -> dict[str, Any]:
    from admission.decisions.services.decisions import admission_deadlines

    data = {
        "held_on": _d(day),
        "decision_read_by": "Đồng chí Bí thư Đảng ủy",
        "mentors": _first_choices(form, "mentors"),
        "place": "Nhà văn hóa thôn",
        "attendees": "Đại diện Đảng ủy, Ban Chấp hành Đoàn, gia đình",
    }
    due = admission_deadlines(form.candidate).ceremony_due
    if due is not None and day > due:
        data["late_consent_ref"] = f"{DRILL}-{form.candidate.pk}-CV/ĐU ngày {day:%d/%m/%Y}"
    return data


def _recognition_vote(form: Any, day: date) -> dict[str, Any]:
    from admission.probation.services import probation_deadlines

    data = _roster(form, day)
    if day > probation_deadlines(form.candidate).cell_due:
        data["late_reason"] = "Chi bộ sinh hoạt chậm do mùa vụ"
    return data


def _recognition_step(form: Any, day: date) -> dict[str, Any]:
    from admission.probation.services import probation_deadlines

    data = _chain_data(form.chain_step, day, f"{DRILL}{form.candidate.pk}")
    due = probation_deadlines(form.candidate).decision_due
    if due is not None and day > due:
        data["late_reason"] = "Chờ bổ sung hồ sơ"
    return data


FILL: dict[str, Callable[[Any, date], dict[str, Any]]] = {
    # Sourcing
    "list_sympathiser": lambda form, day: {"meeting_on": _d(day)},
    "assign_mentors": lambda form, day: {"members": _first_choices(form, "members"), "assigned_on": _d(day)},
    "propose_training": _propose_training,
    "approve_attendance": lambda form, day: {"approve": "1", "decided_on": _d(day)},
    "record_result": lambda form, day: {
        "passed": "1",
        "result_on": _d(day),
        "certificate_number": f"{DRILL}-{form.candidate.pk}/CN",
    },
    "open_dossier": lambda form, day: {"confirm": "on"},
    # Admission
    "prepare_dossier": lambda form, day: {"confirm": "on"},
    "cell_vote": _cell_vote,
    "chain_step": _chain_step,
    "receive_decision": lambda form, day: {"received_on": _d(day)},
    "ceremony": _ceremony,
    # Probation
    "recognition_vote": _recognition_vote,
    "recognition_step": _recognition_step,
    "receive_transfer": lambda form, day: {"received_on": _d(day), "helpers": _first_choices(form, "helpers")},
    "decide_removal": lambda form, day: {
        "approve": "1",
        "decided_on": _d(day),
        "document_number": f"{DRILL}{form.candidate.pk}-QĐ/ĐU",
    },
    "decide_escalation": lambda form, day: {
        "approve": "1",
        "decided_on": _d(day),
        "document_number": f"{DRILL}{form.candidate.pk}-QĐ/ĐU",
    },
}


def _step_day(node: str, case: Any, made_on: date) -> date:
    """The day the drill does the step: the demo's day, or later when the step cannot be done before (a course's
    result once the course has ended)."""
    if node == "record_result":
        from admission.sourcing.models.training import EnrollmentState
        from workflows.steps import pending_enrollment

        course = pending_enrollment(case, EnrollmentState.APPROVED, EnrollmentState.ATTENDING).course
        return max(made_on, course.ends_on)
    return made_on


# ------------------------------------------------------------------------------------------------------------------
# One step, over HTTP
# ------------------------------------------------------------------------------------------------------------------


def _errors(response: Any) -> str:
    form = response.context.get("form") if response.context else None
    if form is not None and form.errors:
        return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
    return response.content.decode(errors="replace")[:500]


def _waiting(case: Any) -> list[str]:
    from django.contrib.contenttypes.models import ContentType
    from viewflow.workflow.models import Task

    from admission.sourcing.models.candidates import Candidate
    from workflows.services import OPEN_OR_WAITING

    ct = ContentType.objects.get_for_model(Candidate)
    tasks = Task.objects.filter(
        process__artifact_content_type=ct, process__artifact_object_id=case.pk, status__in=OPEN_OR_WAITING
    ).order_by("created", "pk")
    return [f"{FLOW_NAMES.get(t.process.flow_class.__name__, '?')}.{t.flow_task.name}" for t in tasks]


def advance(task: Any, made_on: date) -> dict[str, Any]:
    """Do the task's step as a user of its org would; what was done, or StepFailed naming what went wrong."""
    import time_machine
    from django.test import Client
    from django.urls import reverse
    from viewflow.workflow.status import STATUS

    from admission.party.models.orgs import PartyOrg
    from admission.party.permissions import users_acting_for_org
    from admission.sourcing.models.candidates import Candidate
    from tests.conftest import verify_second_factor
    from workflows.steps import STEPS

    node = task.flow_task.name
    case = Candidate.objects.select_related("cell", "person", "rule_set").get(pk=task.process.artifact_object_id)
    if node not in FILL:
        raise StepFailed(f"no recipe for the node {node!r}: teach the drill how a user does it")
    day = _step_day(node, case, made_on)
    moment = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=True):
        org = PartyOrg.objects.get(pk=int(task.owner_permission_obj_pk))
        user = next(iter(users_acting_for_org(org, on=day)), None)  # ordered by id
        if user is None:
            raise StepFailed(f"nobody acts for {org} on {day}")
        prepared = PREPARE.get(node, lambda *_: [])(case, user, day)
        case = Candidate.objects.select_related("cell", "person", "rule_set").get(pk=case.pk)
        data = FILL[node](STEPS[node].form(case, user), day)
        client = Client()
        client.force_login(user)
        verify_second_factor(client, user)
        response = client.post(reverse("admission:candidates:step", args=[case.pk, node]), data)
        if response.status_code != 302:
            raise StepFailed(f"the step page answered {response.status_code}: {_errors(response)}")
        task.refresh_from_db()
        if task.status != STATUS.DONE:
            raise StepFailed(f"the page answered 302 but the task is {task.status}")
        page = client.get(reverse("admission:candidates:detail", args=[case.pk]))
        if page.status_code != 200:
            raise StepFailed(f"the case page answered {page.status_code} after the step")
    return {
        "task": task.pk,
        "case": case.pk,
        "node": node,
        "on": _d(day),
        "by": user.get_username(),
        "prepared": prepared,
        "waiting_now": _waiting(case),
    }


# ------------------------------------------------------------------------------------------------------------------
# The probation timers, made due and swept
# ------------------------------------------------------------------------------------------------------------------

SWEEP_LINES = {
    "reminders_sent": re.compile(r"^(\d+) probation reminder\(s\) sent", re.MULTILINE),
    "timers_moved_on": re.compile(r"(\d+) probation timer\(s\) moved on", re.MULTILINE),
    "timers_fired": re.compile(r"^(\d+) timer\(s\) fired", re.MULTILINE),
}


def probation_timers() -> list[int]:
    """The probation timers waiting (a running probation's next reminder day or its end), oldest first."""
    from viewflow.workflow.fields import get_task_ref
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.flows import ProbationFlow

    waiting = Task.objects.filter(flow_task=get_task_ref(ProbationFlow.wait), status=STATUS.SCHEDULED)
    return list(waiting.order_by("pk").values_list("pk", flat=True))


def _probation_facts(task: Any) -> dict[str, Any]:
    from admission.probation.models import Probation

    probation = Probation.objects.get(candidate_id=task.process.artifact_object_id)
    return {
        "status": probation.status,
        "last_reminder_days": probation.last_reminder_days,
        "ends_on": probation.ends_on,
    }


def _timer_outcome(task: Any, before: dict[str, Any], after: dict[str, Any], swept_at: datetime) -> dict[str, Any]:
    """What became of one timer made due: fired through the flow (the task done) or moved on by the reminder pass
    (the task waiting for a later moment); and why: a reminder, the recognition opened, or nothing due today."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from admission.probation.models import ProbationStatus
    from admission.sourcing.models.candidates import Candidate

    case = Candidate.objects.get(pk=task.process.artifact_object_id)
    outcome: dict[str, Any] = {
        "task": task.pk,
        "case": case.pk,
        "ends_on": _d(after["ends_on"]),
        "status": task.status,
        "waiting_now": _waiting(case),
    }
    # A timer of the process still due after the sweep (this one, or the next one the flow scheduled).
    still_due = Task.objects.filter(
        process=task.process, flow_task_type="TIMER", status=STATUS.SCHEDULED, scheduled__lte=swept_at
    ).exists()
    if task.status == STATUS.DONE:
        outcome["path"] = "fired"
    elif task.status == STATUS.SCHEDULED and task.scheduled > swept_at:
        outcome["path"] = "moved"
        outcome["next"] = task.scheduled.isoformat()
    else:
        outcome["path"] = None
    if before["status"] == ProbationStatus.RUNNING and after["status"] == ProbationStatus.RECOGNITION_DUE:
        outcome["did"] = "recognition_opened"
    elif after["last_reminder_days"] != before["last_reminder_days"]:
        outcome["did"] = "reminder"
        outcome["reminder_days"] = after["last_reminder_days"]
    elif outcome["path"] is not None and not still_due:
        outcome["did"] = "nothing_due"  # no reminder today: the probation waits for its next moment
    else:
        outcome["did"] = None
    if still_due or outcome["path"] is None or outcome["did"] is None:
        outcome["error"] = "the timer did not move" + (" (a timer of the case is still due)" if still_due else "")
    return outcome


def timers_sweep(timer_ids: list[int]) -> dict[str, Any]:
    """Make the given probation timers due, run `manage.py timers_sweep`, report what became of each."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    tasks = {t.pk: t for t in Task.objects.filter(pk__in=timer_ids).select_related("process")}
    before = {pk: _probation_facts(task) for pk, task in tasks.items()}
    swept_at = timezone.now()
    Task.objects.filter(pk__in=timer_ids, status=STATUS.SCHEDULED).update(scheduled=swept_at - timedelta(minutes=1))
    connection.close()  # the sweep has the database to itself (SQLite: one writer)
    done = subprocess.run(
        [sys.executable, "manage.py", "timers_sweep"],
        cwd=settings.BASE_DIR,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    counts = {name: int(m.group(1)) if (m := line.search(done.stdout)) else None for name, line in SWEEP_LINES.items()}
    outcomes = []
    for pk, task in sorted(tasks.items()):
        task.refresh_from_db()
        outcomes.append(_timer_outcome(task, before[pk], _probation_facts(task), swept_at))
    return {
        "made_due": len(tasks),
        "sweep": {
            "returncode": done.returncode,
            **counts,
            "failures": len(re.findall(r"failed to fire", done.stderr)),
            "stdout": done.stdout[-2000:],
            "stderr": done.stderr[-2000:],
        },
        "outcomes": outcomes,
        "by_outcome": dict(sorted(Counter(o["did"] or "failed" for o in outcomes).items())),
        "failed": [o for o in outcomes if "error" in o],
    }


def drill(made_on: date) -> dict[str, Any]:
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.services import OPEN_TASK

    timer_ids = probation_timers()  # before the steps: those the previous release left
    open_tasks = list(
        Task.objects.filter(status__in=OPEN_TASK, flow_task_type="HUMAN").select_related("process").order_by("pk")
    )
    before: dict[str, Counter[str]] = {}
    for task in open_tasks:
        before.setdefault(FLOW_NAMES.get(task.process.flow_class.__name__, "?"), Counter())[task.flow_task.name] += 1
    timers = Task.objects.filter(status=STATUS.SCHEDULED).count()
    advanced, failed = [], []
    for task in open_tasks:
        flow = FLOW_NAMES.get(task.process.flow_class.__name__, "?")
        try:
            advanced.append({"flow": flow, **advance(task, made_on)})
        except Exception as exc:
            failed.append(
                {
                    "flow": flow,
                    "task": task.pk,
                    "case": task.process.artifact_object_id,
                    "node": task.flow_task.name,
                    "error": f"{type(exc).__name__}: {exc}",
                    "where": "" if isinstance(exc, StepFailed) else traceback.format_exc(limit=-3),
                }
            )
    return {
        "open_before": {flow: dict(sorted(nodes.items())) for flow, nodes in sorted(before.items())},
        "timers_waiting": timers,
        "advanced": advanced,
        "failed": failed,
        "timers": timers_sweep(timer_ids),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Advance every open case one step (the upgrade drill).")
    parser.add_argument("--on", type=date.fromisoformat, required=True, help="the day the demo data was made")
    options = parser.parse_args()
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client keeps each response's context (the form's errors)
    print(json.dumps(drill(options.on), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
