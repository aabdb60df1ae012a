"""manage.py documents_retry_stale: queue again every document job whose worker died, and sweep what it left.

Run it every minute (cron or a systemd timer with OnCalendar=minutely). A running job whose heartbeat is older than
DOCUMENTS_LEASE_SECONDS (default 45), or a job queued for longer than DOCUMENTS_QUEUED_SECONDS (default 120), is
dead: the same document is queued again (after DOCUMENTS_MAX_ATTEMPTS starts it is marked failed instead). On a
file-system storage, temporary `.part` files under generated/ older than the lease are removed.

    * * * * *  python manage.py documents_retry_stale
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from admission.documents.services import documents_retry_stale


class Command(BaseCommand):
    help = "Queue again the document jobs whose worker died; remove the temporary files left under generated/."

    def handle(self, *args: Any, **options: Any) -> None:
        retried, removed = documents_retry_stale()
        self.stdout.write(f"{retried} interrupted job(s) queued again; {removed} leftover temporary file(s) removed.")
