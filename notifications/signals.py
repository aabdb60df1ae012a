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
    candidate_id = int(candidate_id)
    connection = transaction.get_connection()
    # One scan per case and transaction: a step that ends several tasks (a timer, its action, the router) asks once.
    # A rolled-back transaction or savepoint drops its callbacks, so the look-up never hides a scan still needed.
    waiting = (getattr(callback, "scan_case", None) for _ids, callback, _robust in connection.run_on_commit)
    if candidate_id in waiting:
        return
    from notifications.tasks import scan

    def enqueue() -> None:
        scan.enqueue(candidate_id)

    enqueue.scan_case = candidate_id  # type: ignore[attr-defined]
    transaction.on_commit(enqueue)


def _email_now(sender: Any, ids: list[int] | None = None, **kwargs: Any) -> None:
    """`notify` created notifications to email at once (signal `notifications.services.immediate_emails`)."""
    if not ids:
        return
    from notifications.tasks import send_notification_emails

    immediate = list(ids)
    transaction.on_commit(lambda: send_notification_emails.enqueue(immediate))


def _probation_reminders(sender: Any, reminders: list[tuple[Any, int]] | None = None, **kwargs: Any) -> None:
    """The probation flow's timer reached reminder days: notify now (same keys as the scan's, so still once)."""
    if not reminders:
        return
    from admission.party.permissions import today
    from notifications.scan import probation_endings_notify

    probation_endings_notify(reminders, on=today())


def connect() -> None:
    from viewflow.workflow.signals import flow_started, task_finished

    from notifications.services import immediate_emails

    task_finished.connect(_case_changed, dispatch_uid="notifications-scan-after-task")
    flow_started.connect(_case_changed, dispatch_uid="notifications-scan-after-start")
    immediate_emails.connect(_email_now, dispatch_uid="notifications-email-immediate")
    try:  # the probation flow's reminder signal (workflows.flows), when that flow is installed
        from workflows.flows import probation_reminders
    except ImportError:
        return
    probation_reminders.connect(_probation_reminders, dispatch_uid="notifications-probation-reminders")
