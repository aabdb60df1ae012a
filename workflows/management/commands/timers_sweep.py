"""`manage.py timers_sweep`: fire the due viewflow timers (probation reminders, the end of probation) and scheduled
starts, one sweep at a time wherever it runs.

On PostgreSQL the sweep holds a session advisory lock for its whole run: a second sweep started meanwhile (the next
cron minute while a long one still runs, or the same cron line on another host) finds the lock taken and leaves at
once, so timers are never fired twice. SQLite serves one host (`make run`) and needs no lock.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection
from viewflow.workflow.timers import fire_due_conditions, fire_due_start_timers, fire_due_timers

# An arbitrary constant that names this lock among the database's advisory locks ("ketnap timers").
SWEEP_LOCK = 7_140_205_001


class Command(BaseCommand):
    help = "Fire due workflow timers, one sweep at a time (PostgreSQL advisory lock)."

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self._sweep()
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [SWEEP_LOCK])
            (acquired,) = cursor.fetchone()
        if not acquired:
            self.stdout.write("Another timer sweep is running: nothing done.")
            return
        try:
            self._sweep()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])

    def _sweep(self) -> None:
        fired = fire_due_timers()
        started = fire_due_start_timers()
        conditions = fire_due_conditions()
        self.stdout.write(f"{fired} timer(s) fired, {started} process(es) started, {conditions} condition(s) fired")
