"""`manage.py timers_sweep`: fire the due viewflow timers (probation reminders, the end of probation) and scheduled
starts, one sweep at a time wherever it runs. The probation reminders go first, set-wise
(`workflows.probation_timers`); the timers left are then fired through their flows, one at a time, by one process or,
when many are due, by several (`TIMER_DISPATCHERS`), each on its own share of the rows.

On PostgreSQL the sweep holds a session advisory lock for its whole run: a second sweep started meanwhile (the next
cron minute while a long one still runs, or the same cron line on another host) finds the lock taken and leaves at
once. The dispatchers it starts run under that lock; each timer is fired under its flow's row lock and only while it
is still due, so a timer is never fired twice, even by a dispatcher left running after its sweep was killed. SQLite
serves one host (`make run`), needs no lock and fires in process.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_conditions, fire_due_start_timers

from admission.audit.sources import chain_deferred
from workflows.probation_timers import probation_reminders_pass

logger = logging.getLogger(__name__)

# An arbitrary constant that names this lock among the database's advisory locks ("ketnap timers").
SWEEP_LOCK = 7_140_205_001
_FIRED = re.compile(r"^(\d+) timer\(s\) fired", re.MULTILINE)


def fire_due_timers(*, part: int = 0, parts: int = 1) -> int:
    """Fire the due timers whose id falls in this share (`id % parts == part`), oldest first; viewflow's own
    dispatcher with a share, so that several processes never ask for the same rows. Returns how many fired."""
    due = Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED, scheduled__lte=timezone.now())
    if parts > 1:
        due = due.alias(share=F("pk") % parts).filter(share=part)
    fired = 0
    for task in due.order_by("scheduled", "pk"):
        try:
            # The wake's history entries are appended at its end: the chain's lock is held only from there to the
            # commit, so that dispatchers side by side do not wait for each other's whole wake.
            with transaction.atomic(), chain_deferred(), task.activation() as activation:
                start = getattr(activation, "start", None)
                if start is None:  # a node renamed or removed since (flows_check reports it): it can never fire
                    logger.warning("Timer task %s names a node that no longer exists; skipped", task.pk)
                    continue
                if start.can_proceed():
                    activation.start()
                    activation.execute()
                    fired += 1
        except FlowLockFailed:
            logger.info("Timer task %s is locked by someone else; left for the next sweep", task.pk)
        except Exception:  # one broken case must not stop the sweep
            logger.exception("Timer task %s failed to fire", task.pk)
    return fired


class Command(BaseCommand):
    help = "Fire due workflow timers, one sweep at a time (PostgreSQL advisory lock)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dispatchers",
            type=int,
            default=settings.TIMER_DISPATCHERS,
            help="processes firing the timers left after the reminder pass, when many are due (1 to 8)",
        )
        parser.add_argument("--share", default="", help="internal: fire only this share of the rows, as I/N")

    def handle(self, *args: Any, **options: Any) -> None:
        dispatchers = options["dispatchers"]
        if not 1 <= dispatchers <= 8:
            raise CommandError("--dispatchers must be between 1 and 8.")
        if options["share"]:
            self._share(options["share"])
            return
        if connection.vendor != "postgresql":
            self._sweep(1)
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [SWEEP_LOCK])
            (acquired,) = cursor.fetchone()
        if not acquired:
            self.stdout.write("Another timer sweep is running: nothing done.")
            return
        try:
            self._sweep(dispatchers)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])

    def _share(self, share: str) -> None:
        try:
            part, parts = (int(n) for n in share.split("/"))
        except ValueError as exc:
            raise CommandError("--share must be I/N.") from exc
        if not 0 <= part < parts <= 8:
            raise CommandError("--share must be I/N with 0 ≤ I < N ≤ 8.")
        self.stdout.write(f"{fire_due_timers(part=part, parts=parts)} timer(s) fired")

    def _sweep(self, dispatchers: int) -> None:
        reminders = probation_reminders_pass()
        self.stdout.write(
            f"{reminders.reminders} probation reminder(s) sent, {reminders.rescheduled} probation timer(s) moved on"
        )
        due = Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED, scheduled__lte=timezone.now())
        if dispatchers > 1 and connection.vendor == "postgresql" and due.count() >= settings.TIMER_PARALLEL_FROM:
            fired = self._in_parallel(dispatchers)
        else:
            fired = fire_due_timers()
        started = fire_due_start_timers()
        conditions = fire_due_conditions()
        self.stdout.write(f"{fired} timer(s) fired, {started} process(es) started, {conditions} condition(s) fired")

    def _in_parallel(self, dispatchers: int) -> int:
        """Start one process per share and wait for all; a share whose process failed stays due for the next sweep."""
        manage = Path(settings.BASE_DIR) / "manage.py"
        # The same settings and the same database as this sweep (whatever its environment or command line said).
        db = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": "postgres://{}:{}@{}:{}/{}".format(
                *(quote(str(db.get(key) or ""), safe="") for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME"))
            ),
        }
        if settings.SETTINGS_MODULE:  # None under override_settings: the environment's then stands
            env["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
        children = [
            subprocess.Popen(  # our own interpreter and manage.py, fixed arguments
                [sys.executable, str(manage), "timers_sweep", "--share", f"{part}/{dispatchers}"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for part in range(dispatchers)
        ]
        fired = 0
        for part, child in enumerate(children):
            out, err = child.communicate()
            found = _FIRED.search(out)
            if child.returncode != 0 or found is None:
                logger.error("Timer dispatcher %s/%s failed (exit %s): %s", part, dispatchers, child.returncode, err)
                continue
            fired += int(found.group(1))
        return fired
