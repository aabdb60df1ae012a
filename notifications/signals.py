"""After a step of a case's flow, scan that case once the transaction commits: a new task's body hears of it at once,
not only at the next scheduled scan; notifications to email at once go out once their transaction commits. Only the
enqueueing lives here; the work is in `notifications.scan` and `notifications.services`."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def _case_changed(sender: Any, process: Any = None, task: Any = None, **kwargs: Any) -> None:
    candidate_id = getattr(process, "artifact_object_id", None)
    if candidate_id is None:
        return
    from notifications.tasks import scan

    transaction.on_commit(lambda: scan.enqueue(int(candidate_id)))


def _email_now(sender: Any, ids: list[int] | None = None, **kwargs: Any) -> None:
    """`notify` created notifications to email at once (signal `notifications.services.immediate_emails`)."""
    if not ids:
        return
    from notifications.tasks import send_notification_emails

    immediate = list(ids)
    transaction.on_commit(lambda: send_notification_emails.enqueue(immediate))


def _probation_reminder(sender: Any, probation: Any = None, days_before: int | None = None, **kwargs: Any) -> None:
    """The probation flow's timer reached a reminder day: notify now (same key as the scan's, so still once)."""
    if probation is None or days_before is None:
        return
    from admission.party.permissions import today
    from notifications.scan import probation_ending_notify

    probation_ending_notify(probation=probation, lead=days_before, on=today())


def connect() -> None:
    from viewflow.workflow.signals import flow_started, task_finished

    from notifications.services import immediate_emails

    task_finished.connect(_case_changed, dispatch_uid="notifications-scan-after-task")
    flow_started.connect(_case_changed, dispatch_uid="notifications-scan-after-start")
    immediate_emails.connect(_email_now, dispatch_uid="notifications-email-immediate")
    try:  # the probation flow's reminder signal (workflows.flows), when that flow is installed
        from workflows.flows import probation_reminder
    except ImportError:
        return
    probation_reminder.connect(_probation_reminder, dispatch_uid="notifications-probation-reminder")
