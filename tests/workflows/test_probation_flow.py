"""The probation flow without HTTP: the ceremony starts it, viewflow's database timer (fired by `manage.py
timers_sweep`) sends each reminder and opens the recognition on the right day, the router puts the one task the
records call for in the right body's queue, and actions taken outside a task re-route the work."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from admission.audit.models import HistoryEntry
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.probation import services as probation_services
from admission.probation.models import Probation, ProbationStatus
from admission.sourcing.models.candidates import CandidateState
from tests.factories import MembershipFactory, UserFactory, give_role
from tests.workflows.test_admission_flow import MEETING, at, open_case, run, step_data, vote_data
from workflows import services
from workflows.flows import ProbationFlow, probation_reminders, wake_at

D = datetime.date
CEREMONY = D(2026, 4, 20)
ENDS = D(2027, 4, 20)


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def probationer(world):
    """A member admitted through the whole admission flow; the ceremony of 20/04/2026 starts the probation."""
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    with at(D(2026, 4, 1)):
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 4, 1), document_number="15-QĐ/ĐU"))
        run(case, "receive_decision", world.secretary, {"received_on": D(2026, 4, 1)})
    helpers = list(Membership.objects.filter(cell=world.village_cell).official_on(MEETING)[:1])
    with at(CEREMONY):
        run(
            case,
            "ceremony",
            world.secretary,
            {"held_on": CEREMONY, "decision_read_by": "Đ/c Bí thư", "mentors": helpers},
        )
    case.refresh_from_db()
    return case


def waiting(case):
    process = services.process_for(case)
    tasks = list(process.task_set.filter(status__in=(*services.OPEN_TASK, STATUS.SCHEDULED)))
    return process, [t.flow_task.name for t in tasks], tasks


def fire_timers(day):
    with at(day):
        call_command("timers_sweep", stdout=io.StringIO())


def complete_dossier(case, by, day):
    probation = Probation.objects.get(candidate=case)
    with at(day):
        probation_services.course_certificate_record(
            probation=probation, number="88/CN", issued_on=day, issuer="Trung tâm Chính trị", by=by
        )
        probation_services.self_review_record(probation=probation, written_on=day, strengths="Hoàn thành tốt.", by=by)
        probation_services.helper_comment_record(
            probation=probation,
            mentor=probation.helpers().filter(ended_on__isnull=True).first(),
            written_on=day,
            assessment="Đủ tư cách đảng viên.",
            recommends_recognition=True,
            by=by,
        )
        probation_services.opinions_record(
            probation=probation, compiled_on=day, residence_cell="Chi bộ thôn Nà Sa", residence_opinion="Đồng ý.", by=by
        )


def test_the_ceremony_starts_probation_with_a_timer_for_the_first_reminder(probationer):
    process, names, tasks = waiting(probationer)
    assert process.flow_class is ProbationFlow and names == ["wait"]
    probation = Probation.objects.get(candidate=probationer)
    assert probation.ends_on == ENDS
    assert tasks[0].scheduled == wake_at(probation)
    assert timezone.localtime(tasks[0].scheduled).date() == ENDS - datetime.timedelta(days=90)


def test_reminders_go_once_on_each_lead_day_and_recognition_opens_on_the_last_day(world, probationer):
    sent = []

    def remember(sender, reminders, **kwargs):
        sent.extend(lead for _probation, lead in reminders)

    probation_reminders.connect(remember)
    try:
        fire_timers(D(2027, 1, 19))  # the day before the 90-day reminder: nothing
        assert sent == []
        for lead in (90, 60, 30, 15, 7):
            fire_timers(ENDS - datetime.timedelta(days=lead))
            fire_timers(ENDS - datetime.timedelta(days=lead))  # a second sweep the same day sends nothing more
        assert sent == [90, 60, 30, 15, 7]
        fire_timers(ENDS - datetime.timedelta(days=1))
        assert Probation.objects.get(candidate=probationer).status == ProbationStatus.RUNNING
        fire_timers(ENDS)
    finally:
        probation_reminders.disconnect(remember)
    probation = Probation.objects.get(candidate=probationer)
    assert probation.status == ProbationStatus.RECOGNITION_DUE and probation.recognition_opened_on == ENDS
    _process, names, tasks = waiting(probationer)
    assert names == ["recognition_vote"]
    assert tasks[0].owner_permission_obj == world.village_cell
    assert tasks[0].data["due_on"] == probation_services.probation_deadlines(probationer).cell_due.isoformat()


def test_a_recognition_walks_to_official_member_dated_from_the_end_of_probation(world, probationer):
    fire_timers(ENDS)
    complete_dossier(probationer, world.secretary, D(2027, 4, 22))
    with at(D(2027, 4, 26)):
        data = {**vote_data(world.village_cell, 6), "held_on": D(2027, 4, 26)}
        data["present"] = list(Membership.objects.filter(cell=world.village_cell).active_on(D(2027, 4, 26)))
        run(probationer, "recognition_vote", world.secretary, data)
    _process, names, tasks = waiting(probationer)
    assert names == ["recognition_step"] and tasks[0].owner_permission_obj == world.commune
    with at(D(2027, 6, 30)):  # the committee decides late, with a reason
        with pytest.raises(PermissionDenied):
            run(probationer, "recognition_step", world.secretary, recognition_step(probationer, D(2027, 6, 30)))
        run(
            probationer,
            "recognition_step",
            world.approver,
            recognition_step(probationer, D(2027, 6, 30), late_reason="Chờ xác minh bổ sung"),
        )
    probationer.refresh_from_db()
    assert probationer.state == CandidateState.OFFICIAL
    membership = Probation.objects.get(candidate=probationer).membership
    membership.refresh_from_db()
    assert membership.official_on == ENDS  # however late the decision came
    process, names, _tasks = waiting(probationer)
    assert names == [] and process.status == PROCESS.DONE
    # The ceremony and each recognition step are entries of the history chain (README, "History").
    assert chained("ceremony", probationer.ceremony) and all(
        chained("recognition", step) for step in Probation.objects.get(candidate=probationer).steps.all()
    )


def chained(kind, record):
    """The record has its entry in the history chain, under that kind."""
    label = f"{record._meta.app_label}.{record._meta.model_name}:{record.pk}"
    return HistoryEntry.objects.filter(kind=kind, record=label).exists()


def recognition_step(case, on, **extra):
    probation = Probation.objects.get(candidate=case)
    return {
        "step": probation_services.next_step(probation),
        "outcome": "approve",
        "on": on,
        "note": "",
        "document_number": "41-QĐ/ĐU",
        "late_reason": "",
        **extra,
    }


def test_a_removal_proposed_during_probation_goes_to_the_committee_and_a_rejection_resumes_the_wait(world, probationer):
    probation = Probation.objects.get(candidate=probationer)
    with at(D(2026, 9, 1)):
        probation_services.removal_propose(
            probation=probation,
            reason_code="abandoned_activity",
            reason="Bỏ sinh hoạt ba tháng liền",
            proposed_on=D(2026, 9, 1),
            by=world.secretary,
        )
    process, names, tasks = waiting(probationer)
    assert names == ["decide_removal"] and tasks[0].owner_permission_obj == world.commune
    assert process.task_set.filter(flow_task_type="TIMER", status=STATUS.CANCELED).count() == 1
    with at(D(2026, 9, 10)):
        run(probationer, "decide_removal", world.approver, {"approve": False, "decided_on": D(2026, 9, 10)})
    _process, names, tasks = waiting(probationer)
    assert names == ["wait"] and timezone.localtime(tasks[0].scheduled).date() == ENDS - datetime.timedelta(days=90)


def test_a_removal_decided_closes_the_case_and_the_flow(world, probationer):
    probation = Probation.objects.get(candidate=probationer)
    with at(D(2026, 9, 1)):
        probation_services.removal_propose(
            probation=probation,
            reason_code="discipline",
            reason="Vi phạm",
            proposed_on=D(2026, 9, 1),
            by=world.secretary,
        )
        run(
            probationer,
            "decide_removal",
            world.approver,
            {"approve": True, "decided_on": D(2026, 9, 1), "document_number": "7-QĐ/ĐU"},
        )
    probationer.refresh_from_db()
    assert probationer.state == CandidateState.REMOVED
    process, names, _tasks = waiting(probationer)
    assert names == [] and process.status == PROCESS.DONE
    assert chained("removal", probation.removals.get())


def test_three_inconclusive_votes_send_the_case_to_the_committee(world, probationer):
    fire_timers(ENDS)
    complete_dossier(probationer, world.secretary, D(2027, 4, 22))
    for day in (D(2027, 4, 26), D(2027, 5, 10), D(2027, 5, 24)):
        with at(day):
            data = {**vote_data(world.village_cell, 3, votes_against=3), "held_on": day, "late_reason": "x"}
            data["present"] = list(Membership.objects.filter(cell=world.village_cell).active_on(day))
            run(probationer, "recognition_vote", world.secretary, data)
    _process, names, tasks = waiting(probationer)
    assert names == ["decide_escalation"] and tasks[0].owner_permission_obj == world.commune
    with at(D(2027, 6, 1)):
        run(
            probationer,
            "decide_escalation",
            world.approver,
            {"approve": True, "decided_on": D(2027, 6, 1), "document_number": "52-QĐ/ĐU"},
        )
    probationer.refresh_from_db()
    assert probationer.state == CandidateState.OFFICIAL


def test_a_transfer_hands_the_work_to_the_receiving_cell_only(world, probationer):
    other_secretary = UserFactory(username="secretary-dong-mo")
    give_role(other_secretary, world.other_cell, RoleKind.CELL_SECRETARY)
    probation = Probation.objects.get(candidate=probationer)
    with at(D(2026, 10, 5)):
        probation_services.transfer_out(
            probation=probation,
            moved_on=D(2026, 10, 5),
            former_cell_comment="Chấp hành tốt trong thời gian ở chi bộ.",
            to_cell=world.other_cell,
            by=world.secretary,
        )
    _process, names, tasks = waiting(probationer)
    assert names == ["receive_transfer"] and tasks[0].owner_permission_obj == world.other_cell
    helpers = list(Membership.objects.filter(cell=world.other_cell).official_on(D(2026, 10, 5))[:1])
    with at(D(2026, 10, 12)):
        with pytest.raises(PermissionDenied):
            run(probationer, "receive_transfer", world.secretary, {"received_on": D(2026, 10, 12), "helpers": helpers})
        run(probationer, "receive_transfer", other_secretary, {"received_on": D(2026, 10, 12), "helpers": helpers})
    probationer.refresh_from_db()
    assert probationer.cell == world.other_cell
    _process, names, _tasks = waiting(probationer)
    assert names == ["wait"]


# What one wake of a probation costs the timer sweep: the timer, the reminder it sends, the router and the next
# timer: 55 queries on SQLite, 58 on PostgreSQL (its row locks). 75 on SQLite before the router read the records once
# per activation (it read the probation, its transfers and its removals again for each branch it tried) and before
# machine tasks stopped deleting work-page rows they never have.
WAKE_QUERIES = 58


def test_one_probation_wake_reads_its_records_once(probationer):
    with CaptureQueriesContext(connection) as queries:
        fire_timers(ENDS - datetime.timedelta(days=90))
    sql = [q["sql"] for q in queries.captured_queries]
    assert Probation.objects.get(candidate=probationer).last_reminder_days == 90  # the wake did its work
    assert sum('FROM "admission_probationtransfer"' in s for s in sql) == 1
    assert sum('FROM "admission_probationremoval"' in s for s in sql) == 1
    assert not any('DELETE FROM "workflows_workitem"' in s for s in sql)
    assert len(sql) <= WAKE_QUERIES
