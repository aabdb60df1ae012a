"""Daily: apply the restructurings whose effective date has come (merge, dissolve, move, rename), moving the waiting
steps of open cases and their tasks to the successor bodies. Exits non-zero when one could not be applied."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from admission.restructuring.services import restructuring_apply_due


class Command(BaseCommand):
    help = "Apply the scheduled restructurings whose effective date is today or past."

    def handle(self, *args: Any, **options: Any) -> None:
        done, failed = restructuring_apply_due()
        for operation in done:
            self.stdout.write(f"applied #{operation.pk} {operation.kind} {operation.org} ({operation.effective_on})")
        for operation, reason in failed:
            self.stderr.write(f"not applied #{operation.pk} {operation.kind} {operation.org}: {reason}")
        self.stdout.write(f"applied {len(done)}, not applied {len(failed)}")
        if failed:
            raise CommandError(f"{len(failed)} restructuring(s) could not be applied")
