"""manage.py documents_retry_stale: queue again every document job a worker left unfinished (cron, e.g. every 10 min).

A job still queued or running after DOCUMENTS_STALE_AFTER_SECONDS (default 600) is taken for interrupted: it is
marked failed, with the reason, and the same document is requested again (the up-to-date copy is returned if one
was made meanwhile; a case whose form no longer applies is skipped).

    */10 * * * *  python manage.py documents_retry_stale
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from admission.documents.services import documents_retry_stale


class Command(BaseCommand):
    help = "Queue again the document jobs left queued or running past DOCUMENTS_STALE_AFTER_SECONDS."

    def handle(self, *args: Any, **options: Any) -> None:
        retried = documents_retry_stale()
        self.stdout.write(f"{retried} interrupted job(s) queued again.")
