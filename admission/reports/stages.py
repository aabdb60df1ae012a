"""Writing the statistics' read model (`admission.reports.models`): the rows of a person, rebuilt from the facts.

Every row belongs to one person (the case's or the membership's), and a person's rows depend only on that person's
cases, certificates, cell resolutions, admission snapshots, ceremonies and memberships. So the writer is one
function, `stages_rebuild(person_ids)`: read those facts in a few set-wise queries, build the rows with the pure
functions below (`event_rows`, `duration_rows`), and replace the person's rows when they differ. The signal
receivers in `admission.reports.sync` call it for the people a save or delete concerns, inside the transaction of
that save; the data migration and the benchmark's generator call it chunk by chunk for everyone.

What each row says is what the report counted from the source tables before it read these rows (the same case
states, the same "done" resolutions, the same skipped out-of-order dates), so the figures are unchanged; the test
rebuilds random cases and compares with a direct count.

`Sources` names the models the facts are read from: the current ones, or a migration's historical models.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db import connections

from admission.core.reads import values_together
from admission.core.request_cache import per_request
from admission.party.hierarchy import StepKind
from admission.reports.models import Stage
from admission.rules.calendar import WorkingCalendar, working_calendar
from admission.rules.models.rulesets import DeadlineRule, DeadlineStart, DeadlineStep

# Case states that imply a stage was reached even without its record (a case imported at that stage), for the
# funnel's cohort; plain values (the data migration uses them), checked against CandidateState by the tests.
AFTER_TRAINING = frozenset({"trained", "dossier", "proposed", "admitted", "probationary"})
AFTER_PROPOSAL = frozenset({"proposed", "admitted", "probationary"})
ADMITTED_STATES = frozenset({"admitted", "probationary"})
DONE = "done"  # admission.decisions.models.decisions.StepStatus.DONE
# The steps before the chain, which have no deadline of their own, and the ceremony after it.
PRE_CHAIN_STEPS = ("listed", "trained", "proposed")
CEREMONY = "ceremony"
CHUNK = 2000  # people per set-wise read when filling the rows for many
COPY_FROM = 500  # rows from which an insert goes by COPY (below it, one INSERT costs fewer round trips)


class EventRow(NamedTuple):
    person_id: int
    stage: str
    day: date
    cell_id: int
    scope_on: date
    candidate_id: int | None = None
    membership_id: int | None = None
    trained: bool = False
    proposed: bool = False
    admitted: bool = False
    official: bool = False
    other_cell_id: int | None = None


class DurationRow(NamedTuple):
    person_id: int
    candidate_id: int
    cell_id: int
    decided_on: date
    step: str
    body_id: int | None
    start: date
    end: date
    days: int
    late: bool | None


class Rule(NamedTuple):
    working_days: int
    starts_from: str
    count_from: str


@dataclass
class Sources:
    """The models the facts are read from and the rows written to (current models, or a migration's)."""

    candidate: Any
    certificate: Any
    step: Any
    snapshot: Any
    ceremony: Any
    membership: Any
    event: Any
    duration: Any
    deadline_rule: Any
    calendar_override: Any

    @classmethod
    def current(cls) -> Sources:
        from admission.decisions.models.decisions import Ceremony, ChainStepRecord
        from admission.decisions.models.snapshots import AdmissionSnapshot
        from admission.party.models.people import Membership
        from admission.reports.models import StageEvent, StepDuration
        from admission.rules.models.calendar import CalendarOverride
        from admission.rules.models.rulesets import DeadlineRule
        from admission.sourcing.models.candidates import Candidate
        from admission.sourcing.models.training import AwarenessCertificate

        return cls(
            Candidate,
            AwarenessCertificate,
            ChainStepRecord,
            AdmissionSnapshot,
            Ceremony,
            Membership,
            StageEvent,
            StepDuration,
            DeadlineRule,
            CalendarOverride,
        )

    def facts(self) -> tuple[Any, ...]:
        """The models whose rows are the facts (a save or delete of one may change the read model)."""
        return (self.candidate, self.certificate, self.step, self.snapshot, self.ceremony, self.membership)

    @classmethod
    def historical(cls, apps: Any) -> Sources:
        names = (
            "Candidate",
            "AwarenessCertificate",
            "ChainStepRecord",
            "AdmissionSnapshot",
            "Ceremony",
            "Membership",
            "StageEvent",
            "StepDuration",
            "DeadlineRule",
            "CalendarOverride",
        )
        return cls(*(apps.get_model("admission", name) for name in names))


@dataclass
class Facts:
    """A set of people's facts, as plain values (read set-wise by `facts_of`)."""

    # (case id, person, cell, state, nominated on, listed on)
    cases: list[tuple[int, int, int, str, date, date | None]] = field(default_factory=list)
    certificates: dict[int, set[date]] = field(default_factory=lambda: defaultdict(set))  # person → issue dates
    # case → (resolving org, done on) of its done cell resolutions; and the cases with one at all
    resolutions: dict[int, set[tuple[int, date]]] = field(default_factory=lambda: defaultdict(set))
    resolved: set[int] = field(default_factory=set)
    # case → (decision step, cell, decided on, rule set, nominated, listed, certified, resolution, chain steps)
    snapshots: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    received: dict[int, date | None] = field(default_factory=dict)  # decision step → received on
    # case → (membership, held on, official on of that membership); membership → case of its ceremony
    ceremonies: dict[int, tuple[int, date, date | None]] = field(default_factory=dict)
    ceremony_of: dict[int, int] = field(default_factory=dict)
    # (membership, person, cell, joined, left, official on)
    memberships: list[tuple[int, int, int, date, date | None, date | None]] = field(default_factory=list)


def fact_reads(sources: Sources, people: Sequence[int]) -> list[Any]:
    """The reads of these people's facts (`values_list` querysets, in the order `facts_from` takes them)."""
    people = list(people)
    step_of_people = sources.step.objects.filter(
        candidate__person_id__anyof=people, kind=StepKind.CELL_RESOLUTION, status=DONE
    )
    ceremonies = sources.ceremony.objects.order_by().values_list(
        "candidate_id", "membership_id", "held_on", "membership__official_on"
    )
    return [
        sources.candidate.objects.filter(person_id__anyof=people)
        .order_by()
        .values_list("pk", "person_id", "cell_id", "state", "nominated_on", "sympathiser_meeting_on"),
        sources.certificate.objects.filter(person_id__anyof=people).order_by().values_list("person_id", "issued_on"),
        step_of_people.order_by().values_list("candidate_id", "org_id", "done_on"),
        sources.snapshot.objects.filter(candidate__person_id__anyof=people)
        .order_by()
        .values_list(
            "candidate_id",
            "decision_id",
            "cell_id",
            "decided_on",
            "rule_set_id",
            "nominated_on",
            "listed_on",
            "certified_on",
            "resolution_on",
            "steps",
            "decision__received_on",
        ),
        ceremonies.filter(candidate__person_id__anyof=people),
        ceremonies.filter(membership__person_id__anyof=people),
        sources.membership.objects.filter(person_id__anyof=people)
        .order_by()
        .values_list("pk", "person_id", "cell_id", "joined_cell_on", "left_cell_on", "official_on"),
    ]


def facts_from(rows: Sequence[Sequence[tuple[Any, ...]]]) -> Facts:
    """The facts of the rows `fact_reads` read (a pure function)."""
    cases, certificates, resolutions, snapshots, ceremonies, ceremonies_of_members, memberships = rows
    facts = Facts()
    facts.cases = [tuple(row) for row in cases]
    for person, issued_on in certificates:
        facts.certificates[person].add(issued_on)
    for case, org, done_on in resolutions:
        facts.resolved.add(case)
        if done_on is not None:
            facts.resolutions[case].add((org, done_on))
    for row in snapshots:
        facts.snapshots[row[0]] = tuple(row[1:10])
        if row[1] is not None:
            facts.received[row[1]] = row[10]
    for case, membership, held_on, official_on in ceremonies:
        facts.ceremonies[case] = (membership, held_on, official_on)
    for case, membership, _held, _official in ceremonies_of_members:
        facts.ceremony_of[membership] = case
    facts.memberships = [tuple(row) for row in memberships]
    return facts


def facts_of(sources: Sources, person_ids: Sequence[int]) -> Facts:
    """The facts of these people, in one statement on PostgreSQL (`admission.core.reads.values_together`), seven
    queries elsewhere, whatever their number."""
    return facts_from(values_together(fact_reads(sources, person_ids)))


def event_rows(facts: Facts) -> list[EventRow]:
    """The stage events of these facts (a pure function)."""
    rows: list[EventRow] = []
    for case, person, cell, state, nominated_on, listed_on in facts.cases:
        certificates = facts.certificates.get(person, set())
        ceremony = facts.ceremonies.get(case)
        rows.append(
            EventRow(
                person,
                Stage.NOMINATED,
                nominated_on,
                cell,
                nominated_on,
                candidate_id=case,
                trained=bool(certificates) or state in AFTER_TRAINING,
                proposed=case in facts.resolved or state in AFTER_PROPOSAL,
                admitted=case in facts.snapshots or state in ADMITTED_STATES,
                official=ceremony is not None and ceremony[2] is not None,
            )
        )
        if listed_on is not None:
            rows.append(EventRow(person, Stage.LISTED, listed_on, cell, listed_on, candidate_id=case))
        for issued_on in sorted(certificates):
            rows.append(EventRow(person, Stage.CERTIFIED, issued_on, cell, nominated_on, candidate_id=case))
        for org, done_on in sorted(facts.resolutions.get(case, ())):
            rows.append(EventRow(person, Stage.PROPOSED, done_on, org, done_on, candidate_id=case))
    left_on: dict[tuple[int, date], set[int]] = defaultdict(set)  # (person, day) → cells left that day
    joined_on: dict[tuple[int, date], set[int]] = defaultdict(set)  # (person, day) → cells joined that day
    for _pk, person, cell, joined, left, _official in facts.memberships:
        joined_on[(person, joined)].add(cell)
        if left is not None:
            left_on[(person, left)].add(cell)
    for pk, person, cell, joined, left, official_on in facts.memberships:
        admission = facts.ceremony_of.get(pk)  # the case whose ceremony began this membership
        if admission is not None and official_on is not None:
            rows.append(
                EventRow(
                    person, Stage.RECOGNISED, official_on, cell, official_on, candidate_id=admission, membership_id=pk
                )
            )
        for came_from in _each_or_none(left_on.get((person, joined), set())):
            rows.append(
                EventRow(
                    person,
                    Stage.JOINED,
                    joined,
                    cell,
                    joined,
                    membership_id=pk,
                    admitted=admission is not None,
                    other_cell_id=came_from,
                )
            )
        if left is not None:
            official = official_on is not None and official_on <= left
            for went_to in _each_or_none(joined_on.get((person, left), set())):
                rows.append(
                    EventRow(
                        person, Stage.LEFT, left, cell, left, membership_id=pk, official=official, other_cell_id=went_to
                    )
                )
    return rows


def _each_or_none(cells: set[int]) -> list[int | None]:
    """The cells in order, or one None: a membership has a joining (leaving) row per cell of a same-day move."""
    return [*sorted(cells)] or [None]


def _due(rules: Mapping[tuple[int, str], Rule], cal: WorkingCalendar, rule_set: int, step: str, start: date) -> Any:
    """The deadline of a step counted from `start` under the case's rule set (the house default for a step without
    one of its own), or None without a rule."""
    rule = rules.get((rule_set, step)) or rules.get((rule_set, DeadlineStep.DEFAULT_TASK))
    if rule is None:
        return None
    return cal.add_working_days(start, rule.working_days, count_from=rule.count_from)


def duration_rows(facts: Facts, rules: Mapping[tuple[int, str], Rule], cal: WorkingCalendar) -> list[DurationRow]:
    """How long each step of each admission took (a pure function of the facts, the rules and the calendar): the
    steps before the chain, each step of the chain with its deadline (the decision: N working days from the cell's
    resolution; a committee's step: the house default) and the ceremony (M working days from the decision's
    receipt or issuance, as the rule set says). A step dated before the one it follows is a recording error: it
    has no length and no row, rather than a negative one."""
    rows: list[DurationRow] = []
    person_of = {case: person for case, person, *_rest in facts.cases}
    for case, snapshot in facts.snapshots.items():
        decision, cell, decided, rule_set, nominated, listed, certified, resolution, chain = snapshot
        person = person_of.get(case)
        if person is None:
            continue

        def add(step: str, body: int | None, start: date | None, end: date | None, late: bool | None) -> None:
            if start is None or end is None or end < start:
                return
            days = cal.working_days_between(start, end)
            rows.append(DurationRow(person, case, cell, decided, step, body, start, end, days, late))  # noqa: B023

        add("listed", None, nominated, listed, None)
        add("trained", None, listed, certified, None)
        add("proposed", None, certified, resolution, None)
        for step in chain or []:
            start, end = date.fromisoformat(step["start"]), date.fromisoformat(step["end"])
            if end < start:
                continue
            is_decision = step["kind"] == StepKind.DECISION
            deadline = DeadlineStep.ADMISSION_DECISION if is_decision else DeadlineStep.DEFAULT_TASK
            due = _due(rules, cal, rule_set, deadline, date.fromisoformat(step["due_from"]))
            add(step["kind"], step["body"], start, end, due is not None and end > due)
        ceremony = facts.ceremonies.get(case)
        if ceremony is not None:
            held = ceremony[1]
            rule = rules.get((rule_set, DeadlineStep.CEREMONY))
            from_receipt = rule is not None and rule.starts_from == DeadlineStart.DECISION_RECEIVED
            due_from = facts.received.get(decision) if from_receipt else decided
            late: bool | None = None
            if due_from is not None:
                due = _due(rules, cal, rule_set, DeadlineStep.CEREMONY, due_from)
                late = due is not None and held > due
            add(CEREMONY, None, decided, held, late)
    return rows


def deadline_rules(sources: Sources) -> dict[tuple[int, str], Rule]:
    return {
        (rule_set, step): Rule(days, starts_from, count_from)
        for rule_set, step, days, starts_from, count_from in sources.deadline_rule.objects.values_list(
            "rule_set_id", "step", "working_days", "starts_from", "rule_set__count_from"
        )
    }


def calendar_of(sources: Sources) -> WorkingCalendar:
    """The working-day calendar with the administrator's overrides (`working_calendar`, from `sources`)."""
    overrides: dict[date, bool] = {}
    names: dict[date, str] = {}
    for day, is_working, name in sources.calendar_override.objects.values_list("date", "is_working_day", "name"):
        overrides[day] = is_working
        if name:
            names[day] = name
    return WorkingCalendar(overrides, names=names)


def _rules_and_calendar(sources: Sources) -> tuple[dict[tuple[int, str], Rule], WorkingCalendar]:
    """The deadline rules and the calendar: read once per request for the current models (a write to either ends
    the request memory), from the migration's models otherwise."""
    if sources.deadline_rule is not DeadlineRule:
        return deadline_rules(sources), calendar_of(sources)
    return per_request("stage_deadline_rules", lambda: deadline_rules(sources)), working_calendar()


EVENT_FIELDS = EventRow._fields
DURATION_FIELDS = DurationRow._fields


def _insert(model: Any, names: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows given as tuples in the order of `names`: by COPY on PostgreSQL when there are many, where a
    back-fill writes millions (building a model instance per row made the ORM's bulk insert three quarters of the
    time), else in bulk (a step's few rows: one INSERT)."""
    if not rows:
        return
    connection = connections[model.objects.db]
    if connection.vendor != "postgresql" or len(rows) < COPY_FROM:
        model.objects.bulk_create([model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=5000)
        return
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in names)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _replace(
    model: Any,
    names: tuple[str, ...],
    people: Sequence[int],
    rows: Sequence[tuple[Any, ...]],
    *,
    there: Sequence[tuple[Any, ...]],
) -> bool:
    """Replace the people's rows (`there`, as read) by `rows` when they differ; True when something was written."""
    if Counter(tuple(row) for row in there) == Counter(tuple(row) for row in rows):
        return False
    model.objects.filter(person_id__anyof=people).delete()
    _insert(model, names, rows)
    return True


@dataclass
class _Part:
    """A chunk of people: the rows their facts give, and (unless fresh) the rows kept now."""

    events: list[EventRow]
    durations: list[DurationRow]
    kept_events: list[tuple[Any, ...]]
    kept_durations: list[tuple[Any, ...]]


def _parts(
    sources: Sources, people: Sequence[int], *, fresh: bool, chunk: int
) -> Iterator[tuple[Sequence[int], _Part]]:
    """The people chunk by chunk, each chunk's facts and kept rows read together (one statement on PostgreSQL)."""
    rules: dict[tuple[int, str], Rule] | None = None
    cal: WorkingCalendar | None = None
    for part in _chunks(people, chunk):
        reads = fact_reads(sources, part)
        if not fresh:  # the rows there now, read with the facts
            reads += [
                sources.event.objects.filter(person_id__anyof=part).order_by().values_list(*EVENT_FIELDS),
                sources.duration.objects.filter(person_id__anyof=part).order_by().values_list(*DURATION_FIELDS),
            ]
        found = values_together(reads)
        facts = facts_from(found[:7])
        durations: list[DurationRow] = []
        if facts.snapshots:
            if rules is None or cal is None:
                rules, cal = _rules_and_calendar(sources)
            durations = duration_rows(facts, rules, cal)
        kept = (found[7], found[8]) if not fresh else ([], [])
        yield part, _Part(event_rows(facts), durations, *kept)


def stages_rebuild(
    person_ids: Iterable[int], *, sources: Sources | None = None, fresh: bool = False, chunk: int = CHUNK
) -> int:
    """Rebuild the read model's rows of these people from their facts; returns the number of rows they have.

    Call it inside the transaction that changed the facts. `fresh`: the people have no rows yet (a back-fill), so
    the rows are inserted without first reading what is there."""
    sources = sources or Sources.current()
    total = 0
    for part, rows in _parts(sources, sorted(set(person_ids)), fresh=fresh, chunk=chunk):
        if fresh:
            _insert(sources.event, EVENT_FIELDS, rows.events)
            _insert(sources.duration, DURATION_FIELDS, rows.durations)
        else:
            _replace(sources.event, EVENT_FIELDS, part, rows.events, there=rows.kept_events)
            _replace(sources.duration, DURATION_FIELDS, part, rows.durations, there=rows.kept_durations)
        total += len(rows.events) + len(rows.durations)
    return total


def stages_differing(person_ids: Iterable[int], *, sources: Sources | None = None, chunk: int = CHUNK) -> list[int]:
    """The people, among these, whose kept rows are not the rows their facts give (reads only)."""
    sources = sources or Sources.current()
    differing: set[int] = set()
    for _part, rows in _parts(sources, sorted(set(person_ids)), fresh=False, chunk=chunk):
        for kept, wanted in ((rows.kept_events, rows.events), (rows.kept_durations, rows.durations)):
            have: Counter[tuple[Any, ...]] = Counter(tuple(row) for row in kept)
            want: Counter[tuple[Any, ...]] = Counter(tuple(row) for row in wanted)
            differing |= {row[0] for row in (have - want) + (want - have)}  # the person
    return sorted(differing)


def stages_backfill(*, sources: Sources | None = None, chunk: int = CHUNK, progress: Any = None) -> int:
    """Write the rows of everyone with a case or a membership (a database filled before the read model, the
    benchmark's generated cases); their rows must not exist yet. Returns the rows written."""
    sources = sources or Sources.current()
    people = set(sources.candidate.objects.order_by().values_list("person_id", flat=True).distinct())
    people |= set(sources.membership.objects.order_by().values_list("person_id", flat=True).distinct())
    written = 0
    for part in _chunks(sorted(people), chunk * 10):
        written += stages_rebuild(part, sources=sources, fresh=True, chunk=chunk)
        if progress is not None:
            progress(written)
    return written


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
