"""Background jobs (Django Tasks API: django-tasks-db in development and production, the immediate backend in
tests). Enqueued with `transaction.on_commit`, so a job never reads a write that was rolled back."""

from __future__ import annotations

from django_tasks import task


@task()
def scan(candidate_id: int | None = None) -> int:
    """Run the notification scan for one case (after a step of its flow) or for all; returns how many were created."""
    from admission.sourcing.models.candidates import Candidate
    from notifications.scan import scan as run_scan

    candidate = Candidate.objects.filter(pk=candidate_id).first() if candidate_id is not None else None
    if candidate_id is not None and candidate is None:
        return 0
    return run_scan(candidate=candidate).created


@task()
def send_notification_emails(ids: list[int]) -> int:
    from notifications.services import notifications_email

    return notifications_email(ids=ids)


@task()
def send_digests() -> int:
    from notifications.services import digests_send

    return digests_send()
