"""Each kind of notification fires once, at the right moment, to the right people; escalation reaches the superior."""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext

from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.party.models.roles import RoleKind
from admission.probation.models import Probation
from notifications.models import Escalation, Language, Notification, NotificationKind
from notifications.scan import scan
from notifications.services import preferences_set
from tests.factories import MembershipFactory, UserFactory, give_role
from tests.notifications.helpers import DAY, at, first_task, open_case, working_days_after

K = NotificationKind


def kinds(user, kind=None):
    rows = Notification.objects.filter(user=user)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("key", flat=True))


def scan_on(day):
    with at(day):
        return scan()


def in_english(*users):
    """Notifications are written in the recipient's language (Vietnamese by default): these users chose English."""
    for user in users:
        preferences_set(user=user, choices=[], language=Language.ENGLISH)


def test_a_new_task_is_announced_once_to_the_cells_users_only(world):
    deputy = UserFactory(username="deputy")
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY)
    in_english(world.secretary)
    case = open_case(world)
    task = first_task(case)
    scan_on(DAY)
    scan_on(DAY)
    assert kinds(world.secretary) == [f"task:{task.pk}:assigned"]
    assert kinds(deputy) == [f"task:{task.pk}:assigned"]
    assert kinds(world.approver) == [] and kinds(world.outsider) == []
    note = Notification.objects.get(user=world.secretary)
    assert note.title == "New task: Put on the sympathiser list"
    with translation.override(Language.VIETNAMESE):  # the deputy kept Vietnamese: the whole title is Vietnamese
        in_vietnamese = gettext("New task: %(task)s") % {"task": gettext("Put on the sympathiser list")}
    assert in_vietnamese != note.title
    assert Notification.objects.get(user=deputy).title == in_vietnamese
    assert note.candidate == case and note.task_id == task.pk
    assert note.url == f"/app/admission/candidates/{case.pk}/"


def test_the_deadline_reminders_fire_at_five_and_one_working_days_before_then_overdue_once(world):
    case = open_case(world)
    task = first_task(case)
    due = working_days_after(DAY, 10)
    assert task.data["due_on"] == due.isoformat()
    six_left = working_days_after(DAY, 4)
    five_left = working_days_after(DAY, 5)
    one_left = working_days_after(DAY, 9)
    scan_on(six_left)
    assert kinds(world.secretary, K.DEADLINE_APPROACHING) == []
    scan_on(five_left)
    scan_on(five_left + datetime.timedelta(days=1))
    assert kinds(world.secretary, K.DEADLINE_APPROACHING) == [f"task:{task.pk}:due:{due.isoformat()}:5"]
    scan_on(one_left)
    scan_on(due)
    assert sorted(kinds(world.secretary, K.DEADLINE_APPROACHING)) == [
        f"task:{task.pk}:due:{due.isoformat()}:1",
        f"task:{task.pk}:due:{due.isoformat()}:5",
    ]
    assert kinds(world.secretary, K.OVERDUE) == []  # the due date itself is still in time
    scan_on(due + datetime.timedelta(days=1))
    scan_on(due + datetime.timedelta(days=2))
    assert kinds(world.secretary, K.OVERDUE) == [f"task:{task.pk}:overdue:{due.isoformat()}"]


def test_a_scan_that_missed_days_catches_up_with_one_reminder_not_one_per_lead_time(world):
    case = open_case(world)
    task = first_task(case)
    due = working_days_after(DAY, 10)
    scan_on(working_days_after(DAY, 9))  # first scan with one working day left
    assert kinds(world.secretary, K.DEADLINE_APPROACHING) == [f"task:{task.pk}:due:{due.isoformat()}:1"]


def test_an_overdue_task_escalates_to_the_superior_body_after_five_working_days_once(world):
    case = open_case(world)
    task = first_task(case)
    due = working_days_after(DAY, 10)
    scan_on(working_days_after(due, 4))
    assert not Escalation.objects.exists()
    assert kinds(world.approver) == []
    scan_on(working_days_after(due, 5))
    scan_on(working_days_after(due, 6))
    escalation = Escalation.objects.get()
    assert (escalation.task_id, escalation.from_org, escalation.to_org) == (task.pk, world.village_cell, world.commune)
    assert escalation.escalated_on == working_days_after(due, 5)
    assert kinds(world.approver) == [f"task:{task.pk}:escalated"]  # the commune's standing committee
    assert kinds(world.secretary, K.ESCALATED) == []
    assert kinds(world.outsider) == []


def test_the_lead_times_and_the_escalation_delay_come_from_settings(world, settings):
    settings.NOTIFY_DEADLINE_LEAD_DAYS = [3]
    settings.NOTIFY_ESCALATE_AFTER_DAYS = 1
    case = open_case(world)
    task = first_task(case)
    due = working_days_after(DAY, 10)
    scan_on(working_days_after(DAY, 6))
    assert kinds(world.secretary, K.DEADLINE_APPROACHING) == []
    scan_on(working_days_after(DAY, 7))
    assert kinds(world.secretary, K.DEADLINE_APPROACHING) == [f"task:{task.pk}:due:{due.isoformat()}:3"]
    scan_on(working_days_after(due, 1))
    assert Escalation.objects.filter(task_id=task.pk, to_org=world.commune).exists()


def test_a_decision_is_announced_once_to_the_cell_and_the_candidate(world):
    case = open_case(world, user=world.candidate_user)
    in_english(world.candidate_user)
    decided = datetime.date(2026, 4, 1)
    step = ChainStepRecord.objects.create(
        candidate=case,
        order=2,
        kind="decision",
        org=world.commune,
        form="9-KNĐ",
        status=StepStatus.DONE,
        document_number="15-QĐ/ĐU",
        document_date=decided,
        done_on=decided,
    )
    scan_on(decided - datetime.timedelta(days=1))
    assert kinds(world.candidate_user) == []
    scan_on(decided)
    scan_on(decided + datetime.timedelta(days=1))
    assert kinds(world.secretary, K.DECISION_MADE) == [f"decision:{step.pk}"]
    assert kinds(world.candidate_user) == [f"decision:{step.pk}"]
    assert kinds(world.outsider) == []
    note = Notification.objects.get(user=world.candidate_user)
    assert note.title.startswith("Admitted:") and "15-QĐ/ĐU" in note.body


def test_a_refusal_is_announced_as_a_decision_with_its_reason(world):
    in_english(world.secretary)
    case = open_case(world)
    step = ChainStepRecord.objects.create(
        candidate=case,
        order=2,
        kind="resolution",
        org=world.commune,
        form="8-KNĐ",
        status=StepStatus.REFUSED,
        note="Chưa đủ tiêu chuẩn",
        done_on=DAY,
    )
    scan_on(DAY)
    note = Notification.objects.get(user=world.secretary, key=f"decision:{step.pk}")
    assert note.title.startswith("Not admitted:") and "Chưa đủ tiêu chuẩn" in note.body


def _ceremony(world, case, held_on):
    membership = MembershipFactory(cell=world.village_cell, person=case.person, admitted_on=held_on, official_on=None)
    return Ceremony.objects.create(
        candidate=case, held_on=held_on, decision_read_by="Đ/c Bí thư", membership=membership
    )


def test_a_ceremony_is_announced_once_when_recorded(world):
    case = open_case(world, user=world.candidate_user)
    ceremony = _ceremony(world, case, DAY)
    scan_on(DAY)
    scan_on(DAY)
    assert kinds(world.secretary, K.CEREMONY_RECORDED) == [f"ceremony:{ceremony.pk}"]
    assert kinds(world.candidate_user, K.CEREMONY_RECORDED) == [f"ceremony:{ceremony.pk}"]


def test_probation_ending_fires_at_the_rule_sets_reminder_days_once_each(world):
    case = open_case(world, user=world.candidate_user)
    ceremony = _ceremony(world, case, datetime.date(2025, 4, 1))
    ends = datetime.date(2026, 4, 1)
    probation = Probation.objects.create(
        candidate=case,
        ceremony=ceremony,
        membership=ceremony.membership,
        starts_on=ceremony.held_on,
        months=12,
        ends_on=ends,
    )
    days = sorted(case.rule_set.probation_reminder_days, reverse=True)
    first, second = days[0], days[1]
    scan_on(ends - datetime.timedelta(days=first + 1))
    assert kinds(world.secretary, K.PROBATION_ENDING) == []
    scan_on(ends - datetime.timedelta(days=first))
    scan_on(ends - datetime.timedelta(days=first - 1))
    assert kinds(world.secretary, K.PROBATION_ENDING) == [f"probation:{probation.pk}:{first}"]
    scan_on(ends - datetime.timedelta(days=second))
    assert sorted(kinds(world.candidate_user, K.PROBATION_ENDING)) == sorted(
        [f"probation:{probation.pk}:{first}", f"probation:{probation.pk}:{second}"]
    )
    scan_on(ends)
    assert len(kinds(world.secretary, K.PROBATION_ENDING)) == 2  # ended: the recognition's task takes over


def test_a_step_of_the_flow_enqueues_a_scan_of_its_case_after_commit(world, django_capture_on_commit_callbacks):
    with at(DAY), django_capture_on_commit_callbacks(execute=True):
        case = open_case(world)
    task = first_task(case)
    assert kinds(world.secretary) == [f"task:{task.pk}:assigned"]


def test_notify_scan_command_runs_the_scan(world):
    from io import StringIO

    from django.core.management import call_command

    open_case(world)
    out = StringIO()
    with at(DAY):
        call_command("notify_scan", stdout=out)
    assert "notifications 1" in out.getvalue()


def test_the_probation_flows_reminder_signal_notifies_once_with_the_scan(world):
    from workflows.flows import ProbationFlow, probation_reminders

    case = open_case(world, user=world.candidate_user)
    ceremony = _ceremony(world, case, datetime.date(2025, 4, 1))
    ends = datetime.date(2026, 4, 1)
    probation = Probation.objects.create(
        candidate=case,
        ceremony=ceremony,
        membership=ceremony.membership,
        starts_on=ceremony.held_on,
        months=12,
        ends_on=ends,
    )
    lead = min(case.rule_set.probation_reminder_days)
    with at(ends - datetime.timedelta(days=lead)):
        probation_reminders.send(sender=ProbationFlow, reminders=[(probation, lead)])
        scan()
    assert kinds(world.candidate_user, K.PROBATION_ENDING) == [f"probation:{probation.pk}:{lead}"]
