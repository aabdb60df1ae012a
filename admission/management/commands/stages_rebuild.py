"""`manage.py stages_rebuild [--check]`: compare the statistics' read model with the rows its facts give, and
(without `--check`) rewrite the people whose rows differ, in one transaction.

The rows are written with the facts (`admission.reports.sync`), so they only drift when something wrote the facts
without the ORM's saves (a hand-made SQL fix, a bulk load) or when the working-day calendar was corrected for past
dates after the steps were recorded (a step's working days are counted when it is written). Run it after such a
change; `--check` exits 1 when a row differs, so it can run from cron."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from admission.reports.stages import (
    CHUNK,
    DURATION_FIELDS,
    EVENT_FIELDS,
    Sources,
    calendar_of,
    deadline_rules,
    duration_rows,
    event_rows,
    facts_of,
    stages_rebuild,
)


def people_differing(sources: Sources, people: list[int]) -> list[int]:
    """The people, among these, whose rows are not the rows their facts give (read only)."""
    rules, cal = deadline_rules(sources), calendar_of(sources)
    differing: list[int] = []
    for start in range(0, len(people), CHUNK):
        part = people[start : start + CHUNK]
        facts = facts_of(sources, part)
        for model, names, rows in (
            (sources.event, EVENT_FIELDS, event_rows(facts)),
            (sources.duration, DURATION_FIELDS, duration_rows(facts, rules, cal)),
        ):
            kept: Counter[tuple[Any, ...]] = Counter(
                model.objects.filter(person_id__anyof=part).order_by().values_list(*names)
            )
            wanted: Counter[tuple[Any, ...]] = Counter(tuple(row) for row in rows)
            differing += [row[0] for row in (kept - wanted) + (wanted - kept)]  # the person
    return sorted(set(differing))


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
            differing = people_differing(sources, sorted(people))
            if differing and not options["check"]:
                stages_rebuild(differing, sources=sources)
        self.stdout.write(f"{len(people)} people, {len(differing)} with rows that differed from their facts")
        if differing and options["check"]:
            raise CommandError(f"The read model differs from the facts for {len(differing)} people.")
