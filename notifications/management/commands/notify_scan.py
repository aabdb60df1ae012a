"""Cron (every few minutes, or at least daily): notifications due today, escalations, delegations starting or ending."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notifications.scan import scan


class Command(BaseCommand):
    help = "Create the notifications due now (each once), escalate overdue tasks, sync delegations."

    def handle(self, *args: Any, **options: Any) -> None:
        result = scan()
        self.stdout.write(f"notifications {result.created}, escalations {result.escalated}")
