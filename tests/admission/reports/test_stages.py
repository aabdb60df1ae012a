"""The statistics' read model says what the source tables say.

Random cases (second attempts, several certificates and resolutions, resolutions sent back, admissions with and
without ceremony, dates recorded out of order, members who move cell or leave, cases that change cell) are written
to the tables as the services write them, each save followed by the read model. Then, for orgs at every level, both
bases and several periods, the report's figures read from the read model equal the same figures counted directly
from the source tables (the queries the report ran before the read model, kept here as the reference), and the rows
kept up to date save by save equal the rows rebuilt from scratch.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Exists, OuterRef, Q

from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.decisions.services.snapshots import snapshot_take
from admission.party.hierarchy import StepKind
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.reports.models import StageEvent, StepDuration
from admission.reports.scope import THEN, TODAY, build_scope
from admission.reports.stages import (
    ADMITTED_STATES,
    AFTER_PROPOSAL,
    AFTER_TRAINING,
    DURATION_FIELDS,
    EVENT_FIELDS,
    stages_backfill,
)
from admission.reports.statistics import Period, _reporting, ratio
from admission.reports.statistics.btctw import _roll_counts
from admission.reports.statistics.counting import admissions, recognised_count
from admission.reports.statistics.pipeline import _weighted_median, funnel, processing_times
from admission.rules.calendar import working_calendar
from admission.rules.models.rulesets import DeadlineRule, DeadlineStart, DeadlineStep, RuleSet
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCertificate
from tests.factories import PersonFactory

D = datetime.date
_codes = itertools.count(1)
PERIODS = [
    Period.quarter(2025, 1),
    Period.quarter(2025, 3),
    Period(D(2024, 1, 1), D(2024, 9, 30)),
    Period.year(2025),
    Period.year(2026),
]


# ------------------------------------------------------------------------------------------------------------------
# Random cases, written as the services write them (each save followed by the read model)
# ------------------------------------------------------------------------------------------------------------------


def _day(rng: random.Random, start: D, lo: int, hi: int) -> D:
    return start + timedelta(days=rng.randint(lo, hi))


def random_case(rng: random.Random, cells: list[PartyOrg], person: Any = None, state: str | None = None) -> None:
    person = person or PersonFactory(date_of_birth=D(rng.randint(1975, 2004), rng.randint(1, 12), rng.randint(1, 28)))
    attempt = Candidate.objects.filter(person=person).count() + 1
    nominated = _day(rng, D(2023, 6, 1), 0, 1100)
    state = state or rng.choice(CandidateState.values)
    cell = rng.choice(cells)
    case = Candidate.objects.create(
        code=f"KN-S-{next(_codes):06d}",
        person=person,
        attempt=attempt,
        cell=cell,
        rule_set=RuleSet.in_force_on(nominated),
        state=state,
        opened_on=nominated,
        nominated_by="cell",
        nominated_on=nominated,
        sympathiser_meeting_on=_day(rng, nominated, -5, 60) if rng.random() < 0.8 else None,
    )
    for _ in range(rng.choice([0, 1, 1, 2])):
        AwarenessCertificate.objects.create(
            person=person, number=f"{next(_codes)}/CN", issued_on=_day(rng, nominated, -90, 400), issuer="TTCT"
        )
    order = 0
    for _ in range(rng.choice([0, 1, 1, 2])):
        order += 1
        status = rng.choice([StepStatus.DONE, StepStatus.DONE, StepStatus.SENT_BACK, StepStatus.REFUSED])
        done_on = _day(rng, nominated, 40, 420) if rng.random() < 0.95 else None
        org = cell if rng.random() < 0.8 else rng.choice(cells)
        ChainStepRecord.objects.create(
            candidate=case,
            order=order,
            kind=StepKind.CELL_RESOLUTION,
            org=org,
            form="6-KNĐ",
            status=status,
            done_on=done_on,
            document_date=done_on,
        )
    if state in (*ADMITTED_STATES, "official", "removed", "transferred_out") or rng.random() < 0.1:
        admit(rng, case, cells, order, nominated)
    elif rng.random() < 0.2:  # a case that changed cell after its records (a restructuring moved it)
        case.cell = rng.choice(cells)
        case.save(update_fields=["cell"])


def admit(rng: random.Random, case: Candidate, cells: list[PartyOrg], order: int, nominated: D) -> None:
    decided = _day(rng, nominated, 150, 560)
    if rng.random() < 0.7:
        ChainStepRecord.objects.create(
            candidate=case,
            order=order + 1,
            kind=StepKind.APPRAISAL,
            org=case.cell.parent or case.cell,
            form="7-KNĐ",
            status=StepStatus.DONE,
            done_on=_day(rng, decided, -30, 5),
        )
    ChainStepRecord.objects.create(
        candidate=case,
        order=order + 2,
        kind=StepKind.DECISION,
        org=case.cell.parent or case.cell,
        form="9-KNĐ",
        status=StepStatus.DONE,
        document_number=f"{case.pk}-QĐ",
        document_date=decided,
        done_on=decided,
        received_on=_day(rng, decided, 0, 20) if rng.random() < 0.8 else None,
    )
    snapshot_take(candidate=case, decided_on=decided)
    if rng.random() < 0.2:
        return
    held = _day(rng, decided, -5, 60)  # a ceremony dated before its decision is a recording error
    official = _day(rng, held, 300, 400) if rng.random() < 0.6 else None
    membership = Membership.objects.create(
        person=case.person, cell=case.cell, admitted_on=decided, joined_cell_on=held, official_on=official
    )
    Ceremony.objects.create(candidate=case, held_on=held, decision_read_by="Bí thư", membership=membership)
    if rng.random() < 0.4:  # the member leaves the cell: to another cell that day, or off the rolls
        left = _day(rng, held, 30, 500)
        membership.left_cell_on = left
        membership.save()
        if rng.random() < 0.7:
            Membership.objects.create(
                person=case.person,
                cell=rng.choice(cells),
                admitted_on=decided,
                joined_cell_on=left,
                official_on=official,
            )


@pytest.fixture
def many(province):
    """The province of conftest.py (a commune merged into another on 1/7/2025) with 70 random cases more."""
    w = province.world
    cells = [w.village_cell, w.cell, w.agency_cell, w.other_cell, province.old_cell]
    rng = random.Random(16)
    for _ in range(60):
        random_case(rng, cells)
    for person in {c.person for c in Candidate.objects.filter(state__in=["not_admitted", "withdrawn"])[:10]}:
        random_case(rng, cells, person=person, state=rng.choice(["nominated", "dossier", "proposed"]))
    return province


# ------------------------------------------------------------------------------------------------------------------
# The reference: the same figures counted from the source tables
# ------------------------------------------------------------------------------------------------------------------


def ref_funnel(scope: Any, period: Period) -> list[tuple[str, int, int]]:
    in_period = {"gte": period.start, "lte": period.end}
    cases = Candidate.objects.filter(nominated_on__gte=period.start, nominated_on__lte=period.end).filter(
        scope.q(cell_field="cell_id", day_field="nominated_on")
    )
    certified = Exists(AwarenessCertificate.objects.filter(person_id=OuterRef("person_id")))
    resolved = Exists(
        ChainStepRecord.objects.filter(candidate=OuterRef("pk"), kind=StepKind.CELL_RESOLUTION, status=StepStatus.DONE)
    )
    cohort = {
        "nominated": cases.count(),
        "trained": cases.filter(certified | Q(state__in=AFTER_TRAINING)).count(),
        "proposed": cases.filter(resolved | Q(state__in=AFTER_PROPOSAL)).count(),
        "admitted": cases.filter(Q(admission_snapshot__isnull=False) | Q(state__in=ADMITTED_STATES)).count(),
        "official": cases.filter(ceremony__membership__official_on__isnull=False).count(),
    }
    trained = Candidate.objects.filter(
        Exists(
            AwarenessCertificate.objects.filter(person_id=OuterRef("person_id"), issued_on__range=period_range(period))
        )
    ).filter(scope.q(cell_field="cell_id", day_field="nominated_on"))
    proposed = (
        ChainStepRecord.objects.filter(
            kind=StepKind.CELL_RESOLUTION,
            status=StepStatus.DONE,
            done_on__gte=in_period["gte"],
            done_on__lte=in_period["lte"],
        )
        .filter(scope.q(cell_field="org_id", day_field="done_on"))
        .values("candidate_id")
        .distinct()
    )
    recognised = Membership.objects.filter(
        admission_ceremony__isnull=False, official_on__gte=period.start, official_on__lte=period.end
    ).filter(scope.q(cell_field="cell_id", day_field="official_on"))
    events = {
        "nominated": cohort["nominated"],
        "trained": trained.count(),
        "proposed": proposed.count(),
        "admitted": admissions(scope, period).count(),
        "official": recognised.count(),
    }
    return [(key, cohort[key], events[key]) for key in cohort]


def period_range(period: Period) -> tuple[D, D]:
    return period.start, period.end


def ref_flows(scope: Any, period: Period) -> dict[str, int]:
    cells = sorted(scope.cell_ids)
    rolls = Membership.objects.filter(cell_id__in=cells)
    moved_in = Exists(
        Membership.objects.filter(cell_id__in=cells, person=OuterRef("person"), left_cell_on=OuterRef("joined_cell_on"))
    )
    moved_out = Exists(
        Membership.objects.filter(cell_id__in=cells, person=OuterRef("person"), joined_cell_on=OuterRef("left_cell_on"))
    )
    entries = rolls.filter(joined_cell_on__range=period_range(period)).exclude(moved_in)
    exits = rolls.filter(left_cell_on__range=period_range(period)).exclude(moved_out)
    return {
        "entries": entries.count(),
        "admitted": entries.filter(admission_ceremony__isnull=False).count(),
        "exits": exits.count(),
        "exits_probationary": sum(1 for m in exits if m.official_on is None or m.official_on > m.left_cell_on),
    }


def ref_processing(scope: Any, period: Period) -> list[tuple[Any, ...]]:
    """The processing times as the report computed them from the admissions' snapshots, their ceremonies and their
    decisions' receipts, a working-day count per step."""
    cal = working_calendar()
    rules = {(r.rule_set_id, r.step): r for r in DeadlineRule.objects.select_related("rule_set")}

    def due(rule_set: int | None, step: str, start: D | None) -> D | None:
        rule = rules.get((rule_set, step)) or rules.get((rule_set, DeadlineStep.DEFAULT_TASK))  # type: ignore[arg-type]
        if rule is None or start is None:
            return None
        return cal.add_working_days(start, rule.working_days, count_from=rule.rule_set.count_from)

    spans: dict[str, dict[int | None, list[tuple[int, bool | None]]]] = defaultdict(lambda: defaultdict(list))

    def add(step: str, body: int | None, start: D | None, end: D | None, late: bool | None = None) -> None:
        if start is not None and end is not None and end >= start:
            spans[step][body].append((cal.working_days_between(start, end), late))

    for s in admissions(scope, period).select_related("decision", "candidate__ceremony"):
        add("listed", None, s.nominated_on, s.listed_on)
        add("trained", None, s.listed_on, s.certified_on)
        add("proposed", None, s.certified_on, s.resolution_on)
        for st in s.steps:
            end = D.fromisoformat(st["end"])
            step = DeadlineStep.ADMISSION_DECISION if st["kind"] == StepKind.DECISION else DeadlineStep.DEFAULT_TASK
            due_day = due(s.rule_set_id, step, D.fromisoformat(st["due_from"]))
            add(st["kind"], st["body"], D.fromisoformat(st["start"]), end, due_day is not None and end > due_day)
        ceremony = getattr(s.candidate, "ceremony", None)
        if ceremony is not None:
            rule = rules.get((s.rule_set_id, DeadlineStep.CEREMONY))  # type: ignore[arg-type]
            receipt = rule is not None and rule.starts_from == DeadlineStart.DECISION_RECEIVED
            counted_from = (s.decision.received_on if s.decision else None) if receipt else s.decided_on
            due_day = due(s.rule_set_id, DeadlineStep.CEREMONY, counted_from)
            late = None if counted_from is None else due_day is not None and ceremony.held_on > due_day
            add("ceremony", None, s.decided_on, ceremony.held_on, late)
    names = dict(PartyOrg.objects.values_list("pk", "name"))
    out: list[tuple[Any, ...]] = []
    chain = sorted(k for k in spans if k not in ("listed", "trained", "proposed", "ceremony"))
    for step in ["listed", "trained", "proposed", *chain, "ceremony"]:
        lines = []
        deadline = step not in ("listed", "trained", "proposed")
        for body, items in spans.get(step, {}).items():
            overdue = sum(1 for _d, late in items if late) if deadline else None
            median = _weighted_median(Counter(d for d, _l in items).items())
            rate = ratio(overdue, len(items)) if overdue is not None else None
            lines.append((step, names.get(body, "") if body else "", len(items), median, overdue, rate))
        out += sorted(lines, key=lambda line: line[1])
    return out


# ------------------------------------------------------------------------------------------------------------------
# The tests
# ------------------------------------------------------------------------------------------------------------------


def rows() -> tuple[Counter[Any], Counter[Any]]:
    return (
        Counter(StageEvent.objects.values_list(*EVENT_FIELDS)),
        Counter(StepDuration.objects.values_list(*DURATION_FIELDS)),
    )


def test_the_rows_kept_save_by_save_are_the_rows_rebuilt_from_the_facts(many):
    kept = rows()
    assert sum(kept[0].values()) > 200 and sum(kept[1].values()) > 50
    StageEvent.objects.all().delete()
    StepDuration.objects.all().delete()
    stages_backfill(chunk=7)  # several chunks
    assert rows() == kept


def test_the_figures_read_from_the_read_model_are_the_ones_counted_from_the_source_tables(many):
    w = many.world
    for org in (w.province, w.commune, many.old_commune, w.other_commune, w.village_cell, w.agency):
        for basis in (TODAY, THEN):
            for period in PERIODS:
                with _reporting():
                    scope = build_scope(org, basis=basis)
                    where = (org.name, basis, period)
                    assert [(s.key, s.cohort, s.events) for s in funnel(scope, period)] == ref_funnel(scope, period), (
                        where
                    )
                    flows = _roll_counts(scope, period)
                    assert {k: flows[k] for k in ("entries", "admitted", "exits", "exits_probationary")} == ref_flows(
                        scope, period
                    ), where
                    assert recognised_count(scope, period) == ref_funnel(scope, period)[-1][2], where
                    got = [
                        (s.step, s.body, s.count, s.median_days, s.overdue, s.overdue_rate)
                        for s in processing_times(scope, period)
                    ]
                    assert got == ref_processing(scope, period), where


def test_processing_times_are_never_negative(many):
    assert StepDuration.objects.filter(days__lt=0).count() == 0
    assert all(row.end >= row.start for row in StepDuration.objects.all())


def test_the_states_that_imply_a_stage_are_the_cases_states_in_their_order():
    after_proposal = {CandidateState.PROPOSED, CandidateState.ADMITTED, CandidateState.PROBATIONARY}
    assert after_proposal == AFTER_PROPOSAL
    assert {CandidateState.TRAINED, CandidateState.DOSSIER, *after_proposal} == AFTER_TRAINING
    assert {CandidateState.ADMITTED, CandidateState.PROBATIONARY} == ADMITTED_STATES


def test_stages_rebuild_finds_and_mends_rows_that_drifted_from_their_facts(many):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from admission.rules.models.calendar import CalendarOverride

    call_command("stages_rebuild", "--check", stdout=StringIO())
    kept = rows()
    # A fact written without the ORM's saves, and a working day declared a day off afterwards (the steps that
    # spanned it were counted with it).
    StageEvent.objects.filter(stage="listed").update(day=D(2000, 1, 1))
    spanning = StepDuration.objects.filter(start__lt=D(2025, 3, 4), end__gte=D(2025, 3, 4)).count()
    assert spanning
    CalendarOverride.objects.create(date=D(2025, 3, 4), is_working_day=False, name="Nghỉ bù")
    with pytest.raises(CommandError, match="differs"):
        call_command("stages_rebuild", "--check", stdout=StringIO())
    call_command("stages_rebuild", stdout=StringIO())
    call_command("stages_rebuild", "--check", stdout=StringIO())
    mended = rows()
    assert mended[0] == kept[0]
    changed = kept[1] - mended[1]
    assert sum(changed.values()) == spanning  # each step across the new day off lost one working day
    assert all(row[DURATION_FIELDS.index("days")] > 0 for row in changed)
