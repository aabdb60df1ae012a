"""The statistics' read model: what the report counts, one dated row per stage, under the cell it counts for.

The report of a province counts, for a period, the cases nominated, listed, trained and proposed, the new members
recognised, the members who joined and left a cell, and how long each step of an admission took. Read from the
source tables, each figure joined a case to its certificates, steps, ceremony and membership for every case of the
province, and the probes cost seconds inside a national database (bench/reports_bench.py). These rows keep those
facts already joined, so that every figure is one range read of an index on (stage, cell, date):

* `StageEvent` — one dated stage of a case or of a membership, under the cell it is counted for, with what the
  report needs of the rest of the case beside it (how far the case got, for the funnel; the cell the member came
  from or went to, for the rolls);
* `StepDuration` — one step of an admitted case (nomination → list → certificate → cell resolution → each body of
  the chain → ceremony) with its length in working days and whether it overran its deadline, under the cell and
  the date of the admission.

They are written by `admission.reports.stages` in the same transaction as every save or delete of the facts they
reflect (cases, certificates, chain steps, admission snapshots, ceremonies, memberships), rebuilt per person from
those facts; a data migration fills them for existing databases. Nothing else writes them and the interface never
shows them: they are the report's index, and a rebuild from the source tables gives the same rows
(tests/admission/reports/test_stages.py).

The case, membership and org columns are plain references (no constraint, no cascade): the rows are removed by
their rebuild when a fact goes, and the person's deletion cascades.
"""

from __future__ import annotations

from django.db import models

from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Person
from admission.sourcing.models.candidates import Candidate


class Stage(models.TextChoices):
    NOMINATED = "nominated"  # the case's nomination; the flags say how far the case has got since
    LISTED = "listed"  # the cell put the person on the sympathiser list
    CERTIFIED = "certified"  # an awareness-course certificate of the person (one row per issue date)
    PROPOSED = "proposed"  # a cell resolution proposing the admission (the row's cell is the resolving cell)
    RECOGNISED = "recognised"  # the membership of an admission became official
    JOINED = "joined"  # a membership began in a cell (one row per cell the person left that day, or one)
    LEFT = "left"  # a membership ended (one row per cell the person joined that day, or one)


def _ref(model: type[models.Model], **kwargs: object) -> models.ForeignKey:
    """A reference the read model keeps without a constraint: its rebuild, not the database, keeps it true."""
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        **kwargs,  # type: ignore[arg-type]
    )


class StageEvent(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    day = models.DateField()
    cell = _ref(PartyOrg)
    # The day the cell's place in the tree is read on for a report "as the tree stood": the event's own day, except
    # for a certificate, which counts under the cell of the case's nomination (as the funnel always read it).
    scope_on = models.DateField()
    candidate = _ref(Candidate, null=True)
    membership = _ref(Membership, null=True)
    # On the nomination: how far the case has got (a certificate of the person, a cell resolution, the admission
    # decision, the official date of its membership), or the state the case is in says it got that far.
    # On a joining: `admitted` = the membership of an admission ceremony. On a leaving: `official` = official then.
    trained = models.BooleanField(default=False)
    proposed = models.BooleanField(default=False)
    admitted = models.BooleanField(default=False)
    official = models.BooleanField(default=False)
    # On a joining: a cell the person left that same day (a move); on a leaving: a cell the person joined that day.
    other_cell = _ref(PartyOrg, null=True)

    class Meta:
        verbose_name = "stage event (statistics)"
        verbose_name_plural = "stage events (statistics)"
        indexes = [
            # Every count of the report: one stage, the report's cells, the period; the rest read from the index.
            models.Index(
                fields=["stage", "cell", "day"],
                name="stage_event_cell_day",
                include=[
                    "scope_on",
                    "candidate",
                    "membership",
                    "trained",
                    "proposed",
                    "admitted",
                    "official",
                    "other_cell",
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.day:%d/%m/%Y} @ {self.cell_id}"


class StepDuration(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    candidate = _ref(Candidate)
    # The admission's cell and decision date (from its snapshot): the step counts for the period of the decision.
    cell = _ref(PartyOrg)
    decided_on = models.DateField()
    # "listed", "trained", "proposed", a chain step's kind (admission.party.hierarchy.StepKind), or "ceremony".
    step = models.CharField(max_length=30)
    body = _ref(PartyOrg, null=True)  # the body of a chain step
    start = models.DateField()
    end = models.DateField()
    # Working days in (start, end] on the calendar of the day the row was written (a later correction of the
    # calendar for past dates reaches it through `manage.py stages_rebuild`), and, for a step with a deadline,
    # whether it ended after it (None: no date to count the deadline from).
    days = models.PositiveIntegerField()
    late = models.BooleanField(null=True)

    class Meta:
        verbose_name = "step duration (statistics)"
        verbose_name_plural = "step durations (statistics)"
        indexes = [
            models.Index(
                fields=["cell", "decided_on"],
                name="step_duration_cell_day",
                include=["step", "body", "days", "late"],
            ),
            models.Index(fields=["candidate"], name="step_duration_case"),
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.days}"
