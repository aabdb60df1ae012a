"""Cron (daily, e.g. 17:00): one email per user grouping the notifications not yet emailed to them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notifications.services import digests_send


class Command(BaseCommand):
    help = "Email each user who chose the daily digest one message with their new notifications."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"digests sent: {digests_send()}")
