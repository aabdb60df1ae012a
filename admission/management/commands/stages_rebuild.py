"""`manage.py stages_rebuild [--check]`: compare the statistics' read model with the rows its facts give, and
(without `--check`) rewrite the people whose rows differ, in one transaction.

The rows are written with the facts (`admission.reports.sync`), so they only drift when something wrote the facts
without the ORM's saves (a hand-made SQL fix, a bulk load) or when the working-day calendar was corrected for past
dates after the steps were recorded (a step's working days are counted when it is written). Run it after such a
change; `--check` exits 1 when a row differs, so it can run from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from admission.reports.stages import Sources, stages_differing, stages_rebuild


class Command(BaseCommand):
    help = "Compare the statistics' read model with its facts and rewrite the rows that differ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="only compare; exit 1 when a row differs")

    def handle(self, *args: Any, **options: Any) -> None:
        sources = Sources.current()
        people = set(sources.candidate.objects.order_by().values_list("person_id", flat=True).distinct())
        people |= set(sources.membership.objects.order_by().values_list("person_id", flat=True).distinct())
        people |= set(sources.event.objects.order_by().values_list("person_id", flat=True).distinct())
        with transaction.atomic():
            differing = stages_differing(people, sources=sources)
            if differing and not options["check"]:
                stages_rebuild(differing, sources=sources)
        self.stdout.write(f"{len(people)} people, {len(differing)} with rows that differed from their facts")
        if differing and options["check"]:
            raise CommandError(f"The read model differs from the facts for {len(differing)} people.")
