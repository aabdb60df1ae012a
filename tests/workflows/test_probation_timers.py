"""The probation timers' reminder pass (`workflows.probation_timers`, run first by `manage.py timers_sweep`): a
reminder wake sends, marks and records the reminder and moves the same timer on, without running the flow; the end
of probation and any case whose records changed are left to the flow; the pass costs the same number of queries for
2 due timers as for 6; a case locked by someone else is skipped, never waited for, and done by the next sweep."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from admission.audit.models import HistoryEntry
from admission.audit.verify import chain_verify
from admission.decisions.models.decisions import Ceremony
from admission.probation.models import Probation, ProbationRemoval, ProbationStatus, RemovalReason
from admission.sourcing.models.candidates import Candidate, CandidateState
from notifications.models import Notification, NotificationKind
from tests.conftest import restore_migration_seed
from tests.factories import MembershipFactory
from tests.notifications.helpers import at, open_case
from workflows import services
from workflows.flows import ProbationFlow, wake_at

D = datetime.date
ENDS = D(2027, 4, 20)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def rule_sets():
    """A transactional test before these may have flushed what migrations seed: make it again."""
    restore_migration_seed()


def probationer(world, ends=ENDS, *, user=None):
    """A case on probation in the village cell, its probation flow waiting on the timer (made without walking the
    admission flow: these tests are about the timer)."""
    held = ends - relativedelta(months=12)
    case = open_case(world, on=held - datetime.timedelta(days=60), user=user)
    Candidate.objects.filter(pk=case.pk).update(state=CandidateState.PROBATIONARY)
    membership = MembershipFactory(cell=world.village_cell, person=case.person, admitted_on=held, official_on=None)
    ceremony = Ceremony.objects.create(
        candidate=case, held_on=held, decision_read_by="Đ/c Bí thư", membership=membership
    )
    Probation.objects.create(
        candidate=case, ceremony=ceremony, membership=membership, starts_on=held, months=12, ends_on=ends
    )
    with at(held):
        ProbationFlow.start.run(candidate=Candidate.objects.get(pk=case.pk))
    return case


def timer_of(case):
    return services.process_for(case).task_set.get(flow_task=ProbationFlow.wait, status=STATUS.SCHEDULED)


def sweep(day):
    out = io.StringIO()
    with at(day):
        call_command("timers_sweep", stdout=out)
    return out.getvalue()


def test_a_reminder_wake_sends_marks_records_and_moves_the_same_timer_on(world):
    case = probationer(world, user=world.candidate_user)
    timer = timer_of(case)
    tasks_before = services.process_for(case).task_set.count()
    day = ENDS - datetime.timedelta(days=90)

    assert "1 probation reminder(s) sent, 1 probation timer(s) moved on" in sweep(day)

    probation = Probation.objects.get(candidate=case)
    assert probation.last_reminder_days == 90 and probation.status == ProbationStatus.RUNNING
    moved = timer_of(case)
    assert moved.pk == timer.pk  # the same timer waits again: no reminder action, router or new timer task
    assert services.process_for(case).task_set.count() == tasks_before
    assert moved.scheduled == wake_at(probation)
    assert timezone.localtime(moved.scheduled).date() == ENDS - datetime.timedelta(days=60)
    for user in (world.secretary, world.candidate_user):
        assert list(
            Notification.objects.filter(user=user, kind=NotificationKind.PROBATION_ENDING).values_list("key", flat=True)
        ) == [f"probation:{probation.pk}:90"]
    (entry,) = HistoryEntry.objects.filter(kind="reminder", record=f"admission.probation:{probation.pk}")
    assert entry.data == {"reminder_days": 90, "ends_on": ENDS.isoformat(), "sent_on": day.isoformat()}
    assert entry.actor_id is None
    assert chain_verify().ok

    # A second sweep the same day: the timer is not due, nothing is sent or recorded again.
    assert "0 probation reminder(s) sent, 0 probation timer(s) moved on" in sweep(day)
    assert HistoryEntry.objects.filter(kind="reminder").count() == 1
    assert Notification.objects.filter(kind=NotificationKind.PROBATION_ENDING).count() == 2


def test_a_missed_week_sends_the_closest_reminder_once_and_waits_for_the_next(world):
    case = probationer(world)
    sweep(ENDS - datetime.timedelta(days=20))  # the 90, 60 and 30-day reminders were missed: only the 30-day goes
    probation = Probation.objects.get(candidate=case)
    assert probation.last_reminder_days == 30
    assert HistoryEntry.objects.filter(kind="reminder").count() == 1
    assert timezone.localtime(timer_of(case).scheduled).date() == ENDS - datetime.timedelta(days=15)


def test_the_end_of_probation_and_a_changed_case_are_left_to_the_flow(world):
    ending = probationer(world)
    changed = probationer(world, ENDS + datetime.timedelta(days=90))
    Probation.objects.filter(candidate=ending).update(last_reminder_days=7)
    # A removal proposed outside the services (so nothing re-routed the work): the router must see it.
    ProbationRemoval.objects.create(
        probation=Probation.objects.get(candidate=changed),
        reason_code=RemovalReason.ABANDONED_ACTIVITY,
        reason="Bỏ sinh hoạt",
        proposed_on=ENDS - datetime.timedelta(days=10),
        proposed_by_org=world.village_cell,
    )

    out = sweep(ENDS)

    assert "0 probation reminder(s) sent, 0 probation timer(s) moved on" in out
    assert "2 timer(s) fired" in out
    assert [t.flow_task.name for t in services.open_tasks(ending)] == ["recognition_vote"]
    assert Probation.objects.get(candidate=ending).status == ProbationStatus.RECOGNITION_DUE
    assert [t.flow_task.name for t in services.open_tasks(changed)] == ["decide_removal"]


def test_the_pass_costs_the_same_queries_for_two_due_timers_as_for_six(world):
    first = [probationer(world, ENDS) for _ in range(2)]
    later_end = ENDS + datetime.timedelta(days=10)
    second = [probationer(world, later_end) for _ in range(6)]
    counts = []
    for cases, ends in ((first, ENDS), (second, later_end)):
        with CaptureQueriesContext(connection) as queries:
            out = sweep(ends - datetime.timedelta(days=90))
        assert f"{len(cases)} probation reminder(s) sent" in out
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep what migrations seed
def test_a_case_locked_by_someone_else_is_skipped_and_done_by_the_next_sweep(rule_sets, world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SKIP LOCKED) are PostgreSQL's; SQLite serialises writers")
    case = probationer(world)
    process_pk = services.process_for(case).pk
    day = ENDS - datetime.timedelta(days=90)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                list(Process.objects.select_for_update().filter(pk=process_pk))
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(30)
        out = sweep(day)  # viewflow's own path cannot take the lock either (NOWAIT, a few tries), so it skips too
    finally:
        release.set()
        holder.join(30)
    assert "0 probation reminder(s) sent" in out
    assert Probation.objects.get(candidate=case).last_reminder_days is None
    assert "1 probation reminder(s) sent" in sweep(day)
    assert Probation.objects.get(candidate=case).last_reminder_days == 90


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep what migrations seed
def test_many_due_ends_are_fired_once_by_dispatchers_side_by_side(rule_sets, world, settings):
    """The sweep's dispatchers are separate processes, each on its own share of the rows (committed data, the test
    database handed to them by the sweep)."""
    if connection.vendor != "postgresql":
        pytest.skip("several dispatchers serve PostgreSQL (SQLite fires in process)")
    settings.TIMER_PARALLEL_FROM = 2
    today = timezone.localdate()  # the dispatchers run on the real clock: these probations end today
    cases = [probationer(world, today) for _ in range(3)]
    Probation.objects.filter(candidate__in=cases).update(last_reminder_days=7)
    Task.objects.filter(flow_task=ProbationFlow.wait, status=STATUS.SCHEDULED).update(
        scheduled=timezone.now() - datetime.timedelta(minutes=1)
    )

    out = io.StringIO()
    call_command("timers_sweep", "--dispatchers", "2", stdout=out)

    assert "3 timer(s) fired" in out.getvalue()
    for case in cases:
        assert [t.flow_task.name for t in services.open_tasks(case)] == ["recognition_vote"]
        assert Probation.objects.get(candidate=case).status == ProbationStatus.RECOGNITION_DUE
    assert chain_verify().ok
