"""Benchmark of the admission statistics on a synthetic province with 100,000 historic cases.

Run (PostgreSQL; create the database first, e.g. `createdb -h 127.0.0.1 -U postgres helper_reports_bench`; it is
migrated if needed, and emptied of a previous run's data):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_reports_bench \\
        .venv/bin/python bench/reports_bench.py [--cases 100000] [--repeat 3] [--national 1000000]

With `--national N` the measured province is one of a national database: N more cases (with their people,
certificates, steps, snapshots, memberships, ceremonies and the statistics' read-model rows) are copied by
INSERT … SELECT into ceil(N / cases) more provinces of the same shape (each its own org tree, so the planner sees a
province's share of the cells and rows as in the country), then the database is vacuumed and analysed as
autovacuum would leave it. A second run reuses what the first built (the generator runs again only when the number
of cases asked for differs); a database built before the read model gets its rows from migration 0017's back-fill
(about 14 minutes for the 1.1 million cases here with the ORM's bulk insert, about 4 with COPY).

The generator builds a province of 54 communes with 20 grassroots cells each (plus two old communes merged into
others on 1/7/2025, as in the 2025 reform), then bulk-creates people, cases with their cell resolution and
decision steps, their admission snapshots (the person and the org path on the decision date, as
`admission.decisions.services.snapshots` writes them), ceremonies and memberships, spread over 2021–2026 with the
proportions of demo-and-reports.md B.8 (a database filled before the snapshots existed gets them from the migration's
back-fill), then the statistics' read model of those people with the function the services' saves call
(`admission.reports.stages.stages_rebuild`: bulk creation sends no signals). It prints the time of the dashboard
query set and of the full report (Biểu 2, 2B, 1, supplementary table, funnel, processing times) for the province
and for one commune.

Where the time went (PostgreSQL 15, 100,000 cases, `connection.queries` and EXPLAIN ANALYZE), and what changed:

* JIT compilation: the grouped processing-time query and the funnel's cohort query were estimated above
  `jit_above_cost`; compiling them took 0.4–0.8 s each for 50–150 ms of execution. The report runs in one
  transaction with `SET LOCAL jit = off` (`admission.reports.statistics._reporting`).
* Admissions are read from `AdmissionSnapshot`: the period's rows come from the `decided_on` index and the scope is a
  hash join on the cell's current path (basis "today") or a match on the snapshot's path (basis "then"), instead of
  an OR of one `cell_id IN (…)` list per unit (54 lists, each tested row by row). Biểu 2, the targets and the months
  are one aggregate per period; Biểu 2B one grouped query; units one query grouped by (cell, path).
* Biểu 2 section III and "grassroots orgs without admissions": the snapshot's grassroots org, grouped once, instead
  of a correlated `path LIKE` subquery per grassroots org.
* The subqueries of the processing times lost the steps' default ordering (it joined the case to sort by it); the
  ceremony's decision date and receipt are a join on the snapshot, not two subqueries per ceremony.

Figures (best of 3–5, 2 CPU cores shared with other work; the load average is given because it moves them):

    before (reports on live Person rows)           load 4.5   dashboard 2.57 s   full report 14.80 s   "then" 17.55 s
    (the first measurement, on a quieter machine, gave the full report in about 9 s)
    after  (snapshots, no JIT, fewer queries)      load 2.1   dashboard 0.33 s   full report  1.33 s   "then"  1.55 s
    after, same machine under load                 load 6     dashboard 0.75 s   full report  2.73 s   "then"  3.12 s

Issue 16, the province inside a national database (--national 1000000: 1.1 million cases, 11 provinces):

* Processing times read the admissions of the period from their snapshots, which keep each step's dates
  (`snapshot_build`: nomination, list, certificate, resolution, every chain step with its body and deadline
  start): one query over the same rows as Biểu 2, instead of the chain steps, state logs and ceremonies of the whole
  country. The decision's receipt and the ceremony are read by primary key for those admissions.
* The other counted tables have (cell, date) indexes (cases by nomination and list date, memberships by joining,
  leaving and official date, cell resolutions by org and date, certificates by issue date), and the scope "today" is
  the report's cells as one array parameter (`cell_id = ANY(%s)`, `scope.AnyOf`): the database reads those cells'
  rows of the period, never the period's rows of every province (a join on the cells' path did).
* Biểu 1's closing roll is the form's own identity on today's tree, D = A + B - C (one count of the rolls fewer); its
  opening roll names the day's cells once (a second, identical `= ANY(…)` list made the planner square its estimate).
* "Trained" in the funnel is a semi-join (EXISTS a certificate of the period) instead of a join through the person
  and a DISTINCT.

Measured again for issue 16 (best / median of 3, `DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports
.venv/bin/python bench/reports_bench.py --national 1000000 --repeat 3`; each version run in turn on the same data,
the load average is the 1-minute one; the spread between two runs of the same code is as large as the differences):

    code                                 load   dashboard          full report        "then"
    before the WIP (c9c1b5e)             2.2    1.13 / 1.40 s      2.79 / 3.68 s      5.75 / 6.01 s
    WIP of the earlier session (81c7e03) 2.4    1.23 / 1.49 s      3.43 / 3.96 s      6.91 / 7.50 s
    WIP of the earlier session (81c7e03) 4.4    1.21 / 1.29 s      3.07 / 3.70 s      7.27 / 8.12 s
    now, first of two runs               3.5    2.10 / 2.25 s      4.65 / 4.93 s      6.42 / 9.24 s
    now, second run                      4.2    1.09 / 1.23 s      2.42 / 2.54 s      6.24 / 6.65 s

Where the time still went after that (EXPLAIN ANALYZE, `connection.queries`, load 3–4, about 40 queries, two thirds
of the time in SQL): the funnel's cohort (12,700 cases nominated in the period, each probed for its snapshot,
ceremony, membership, certificate and cell resolution: 0.3–0.5 s), "trained" (every case of the province against
the country's 142,000 certificates of the period: 0.25–0.6 s), the recognised count and the roll's entries (a probe
per membership into the ceremonies, an anti-join on the province's 100,000 memberships: 0.1–0.4 s each, twice per
report), and about 0.3 s of Python in the processing times (working days of 46,000 spans). The report "as it stood"
matched the snapshots' path with `LIKE '%/id/%'`, reading the period's snapshots of the whole country.

Issue 16, the read model (`admission.reports.models`, migration 0017): the stages the report counts kept already
joined, written with the facts in the same transaction (`admission.reports.sync`, rebuilt per person by
`admission.reports.stages`):

* `StageEvent`: one row per dated stage under the cell it counts for — a nomination with how far the case got
  (certificate, cell resolution, decision, official date, or a state past them), a listing, each certificate date,
  each cell resolution, a recognition, each joining and leaving of a cell with the cell moved from or to. Indexed
  (stage, cell, day) with the counted columns included: the funnel, the recognitions, the sympathisers and Biểu 1's
  entries and exits are each one index-only range read of the province's rows of the period (5–9 ms).
* `StepDuration`: each step of an admission (nomination → list → certificate → resolution → each body of the chain
  → ceremony) with its working days and whether it overran, written when its dates are (the working-day calendar
  and the locked rule set of that time): the processing times are one grouped read of the period's rows (about
  20 ms), no Python over 46,000 spans.
* "As the tree stood": `path__hasorg`, served on PostgreSQL by a GIN index of the ids on the snapshots' paths; the
  read model's rows are filtered by the report's cells first, then the dated intervals (an index-only read).
* What was left was partly Python: a list of 1,080 cells walked by the ORM and the driver in every query (`IdList`
  writes it once), and the scope "today" mapping every org of the country (now the subtree and the dissolved orgs).

Measured (best / median of 3, `DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python
bench/reports_bench.py --national 1000000 --repeat 3`, 1.1 million cases, 11 provinces, the same data before and
after; the load average is the 1-minute one, another engineer's benchmarks beside it):

    code                                 load   dashboard          full report        "then"
    before the read model (f03755f)      1.5    0.99 s (1 run)     1.93 s (1 run)     4.76 s (1 run)
    before, as measured for issue 16     4.2    1.09 / 1.23 s      2.42 / 2.54 s      6.24 / 6.65 s
    read model, first version            3.5    0.19 / 0.20 s      0.41 / 0.43 s      1.14 / 1.15 s
    now                                  0.9    0.17 / 0.18 s      0.30 / 0.31 s      0.56 / 0.58 s
    now, a second run                    0.9    0.19 / 0.19 s      0.31 / 0.33 s      0.53 / 0.56 s
    now, a test suite beside it          2.8    0.22 / 0.26 s      0.37 / 0.39 s      0.64 / 0.72 s
    now, rebased on main (76eee61)       0.6    0.14 / 0.14 s      0.28 / 0.31 s      0.51 / 0.62 s

The target of issue 16 (≤ 500 ms for this province's full report) is reached, with a margin that shrinks under
load. Every figure is the same as before, to the digit (24 reports of the national database — the province, a
commune, a dissolved commune and a cell, both bases, three periods — compared with the code before the read model;
tests/admission/reports/test_stages.py compares random cases with the former queries). What remains of the full
report (about 35 queries): Biểu 2's one aggregate of about 90 counts over the period's 13,000 snapshots, twice
(about 35 ms each, mostly the counting itself), the snapshots grouped by place and by ethnic group and religion
(10–12 ms each), ten read-model counts (5–9 ms each), the processing times (about 20 ms), the two roll stocks
(8 ms each) and about 60 ms of Python. Writing costs: a flow step rebuilds each person it touches once, at its end
(`stages_batch`): recording a decision takes 13 more queries, 25 → 32 ms for the service on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction

from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.decisions.models.snapshots import AdmissionSnapshot
from admission.decisions.services.snapshots import snapshot_build
from admission.party.hierarchy import StepKind
from admission.party.models.orgs import OrgKind, OrgParentLink, PartyOrg
from admission.party.models.people import Membership, Person
from admission.party.services.orgs import org_create, org_dissolve
from admission.reports.models import StageEvent, StepDuration
from admission.reports.stages import stages_rebuild
from admission.reports.statistics import Period, build_dashboard, build_report
from admission.rules.models.rulesets import RuleSet
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCertificate

PREFIX = "BENCH"
OCCUPATIONS = [
    ("agriculture", 25),
    ("enterprise_worker", 12),
    ("public_service_employee", 14),
    ("commune_official", 8),
    ("village_part_time", 6),
    ("state_official", 5),
    ("party_front_official", 3),
    ("enterprise_office_staff", 6),
    ("enterprise_manager", 2),
    ("armed_forces", 8),
    ("pupil", 4),
    ("university_student", 2),
    ("non_public_service_employee", 1),
    ("other", 4),
]
SECTORS = [
    ("village", 30),
    ("private_enterprise", 6),
    ("foreign_invested_enterprise", 1),
    ("state_agency", 20),
    ("public_service_unit", 20),
    ("school", 6),
    ("armed_forces", 8),
    ("other", 9),
]


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def build_tree() -> tuple[PartyOrg, list[PartyOrg], list[PartyOrg]]:
    province = org_create(
        code=f"{PREFIX}",
        name="Đảng bộ tỉnh Thử nghiệm",
        kind=OrgKind.PROVINCE_COMMITTEE,
        parent=None,
        valid_from=date(2000, 1, 1),
    )
    communes: list[PartyOrg] = []
    cells: list[PartyOrg] = []
    for c in range(56):
        commune = org_create(
            code=f"{PREFIX}.{c:02d}",
            name=f"Đảng bộ xã Thử {c:02d}",
            kind=OrgKind.COMMUNE_COMMITTEE,
            parent=province,
            valid_from=date(2000, 1, 1),
        )
        communes.append(commune)
        for k in range(20):
            cells.append(
                org_create(
                    code=f"{PREFIX}.{c:02d}.{k:02d}",
                    name=f"Chi bộ thôn {c:02d}-{k:02d}",
                    kind=OrgKind.GRASSROOTS_CELL,
                    parent=commune,
                    valid_from=date(2000, 1, 1),
                )
            )
    # The 2025 reform: the last two communes merge into the first two; their cells move with them.
    org_dissolve(org=communes[54], on=date(2025, 7, 1), merged_into=communes[0])
    org_dissolve(org=communes[55], on=date(2025, 7, 1), merged_into=communes[1])
    return province, communes[:54], cells


def generate(cells: list[PartyOrg], n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    rule_set = RuleSet.in_force_on(date(2022, 1, 1))
    start, span = date(2021, 1, 1), (date(2026, 9, 30) - date(2021, 1, 1)).days
    people, cases = [], []
    for i in range(n):
        sex = "female" if rng.random() < 0.42 else "male"
        age = min(18 + int(rng.expovariate(1 / 9)), 70) if rng.random() < 0.95 else rng.randint(31, 62)
        decided = start + timedelta(days=rng.randint(0, span))
        dob = date(decided.year - age, rng.randint(1, 12), rng.randint(1, 28))
        digit = (dob.year // 100 - 19) * 2 + (1 if sex == "female" else 0)
        people.append(
            Person(
                citizen_id=f"022{digit}{dob.year % 100:02d}{i:06d}",
                full_name=f"Người Thử {i}",
                date_of_birth=dob,
                sex=sex,
                ethnicity="01" if rng.random() < 0.89 else rng.choice(["02", "09", "15", "18", "04", "07"]),
                religion="none" if rng.random() < 0.985 else rng.choice(["catholic", "catholic", "buddhism"]),
                education="upper_secondary" if rng.random() < 0.93 else "lower_secondary",
                professional_level=rng.choice(
                    ["none", "elementary", "intermediate", "college", "university", "university", "master"]
                ),
                occupation=pick(rng, OCCUPATIONS),
                employer_sector=pick(rng, SECTORS),
                youth_union_member=rng.random() < 0.7,
            )
        )
        cases.append((rng.choice(cells), decided))
    Person.objects.bulk_create(people, batch_size=5000)
    candidates = []
    for i, (person, (cell, decided)) in enumerate(zip(people, cases, strict=True)):
        nominated = decided - timedelta(days=rng.randint(200, 420))
        candidates.append(
            Candidate(
                code=f"KN-B-{i:07d}",
                person=person,
                cell=cell,
                rule_set=rule_set,
                state=CandidateState.PROBATIONARY,
                opened_on=nominated,
                nominated_by="cell",
                nominated_on=nominated,
                sympathiser_meeting_on=nominated + timedelta(days=rng.randint(7, 40)),
                is_readmission=rng.random() < 0.001,
            )
        )
    Candidate.objects.bulk_create(candidates, batch_size=5000)
    # The awareness-course certificate of each case (the reports date "trained" by it), 3–10 weeks after the list.
    certificates = [
        AwarenessCertificate(
            person=case.person,
            number=f"{case.code}/CN",
            issued_on=case.sympathiser_meeting_on + timedelta(days=rng.randint(20, 70)),
            issuer="Trung tâm Chính trị thử nghiệm",
        )
        for case in candidates
    ]
    AwarenessCertificate.objects.bulk_create(certificates, batch_size=5000)
    memberships, steps = [], []
    for case, (cell, decided) in zip(candidates, cases, strict=True):
        resolution = decided - timedelta(days=rng.randint(15, 80))
        steps.append(
            ChainStepRecord(
                candidate=case,
                order=1,
                kind=StepKind.CELL_RESOLUTION,
                org=cell,
                form="6-KNĐ",
                status=StepStatus.DONE,
                document_date=resolution,
                done_on=resolution,
            )
        )
        steps.append(
            ChainStepRecord(
                candidate=case,
                order=2,
                kind=StepKind.DECISION,
                org=cell.parent or cell,
                form="9-KNĐ",
                status=StepStatus.DONE,
                document_number=f"{case.code}-QĐ",
                document_date=decided,
                done_on=decided,
                received_on=decided,
            )
        )
        held = decided + timedelta(days=rng.randint(5, 40))
        official = held + timedelta(days=365) if held + timedelta(days=365) < date(2026, 10, 1) else None
        memberships.append(
            Membership(person=case.person, cell=cell, admitted_on=decided, joined_cell_on=held, official_on=official)
        )
    ChainStepRecord.objects.bulk_create(steps, batch_size=5000)
    links: dict[int, list[tuple[int, date | None, date | None]]] = defaultdict(list)
    for org_id, parent_id, valid_from, valid_to in OrgParentLink.objects.values_list(
        "org_id", "parent_id", "valid_from", "valid_to"
    ):
        links[org_id].append((parent_id, valid_from, valid_to))
    kinds = dict(PartyOrg.objects.values_list("pk", "kind"))
    decisions = steps[1::2]
    resolutions = steps[0::2]
    snapshots = [
        snapshot_build(
            candidate=case,
            decided_on=decided,
            decision=decision,
            links=links.__getitem__,
            kinds=kinds,
            steps=[
                (1, StepKind.CELL_RESOLUTION, resolution.org_id, StepStatus.DONE, resolution.done_on),
                (2, StepKind.DECISION, decision.org_id, StepStatus.DONE, decision.done_on),
            ],
            certificates=[certificate.issued_on],
        )
        for case, resolution, decision, certificate, (_cell, decided) in zip(
            candidates, resolutions, decisions, certificates, cases, strict=True
        )
    ]
    AdmissionSnapshot.objects.bulk_create(snapshots, batch_size=5000)
    Membership.objects.bulk_create(memberships, batch_size=5000)
    Ceremony.objects.bulk_create(
        [
            Ceremony(candidate=c, held_on=m.joined_cell_on, decision_read_by="Bí thư", membership=m)
            for c, m in zip(candidates, memberships, strict=True)
        ],
        batch_size=5000,
    )
    # The statistics' read model, as the services' saves write it (bulk creation sends no signals): rebuilt from
    # the facts just written, person by person, by the same function.
    stages_rebuild([person.pk for person in people], fresh=True)


# ------------------------------------------------------------------------------------------------------------------
# The rest of the country: the measured province's cases copied into another subtree (PostgreSQL, INSERT … SELECT)
# ------------------------------------------------------------------------------------------------------------------

NATIONAL = "BENCHN"


def _columns(model: type) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]  # type: ignore[attr-defined]


def _copy(model: type, k: int, overrides: dict[str, str], source: str, joins: str = "") -> int:
    """INSERT INTO the model's table a copy of the `source` rows (alias t), columns replaced by `overrides` (SQL
    expressions over t and the joined maps), for copy number k."""
    table = model._meta.db_table  # type: ignore[attr-defined]
    columns = _columns(model)
    select = ", ".join(overrides.get(c, f't."{c}"').replace("{k}", str(k)) for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)  # "order" is a column of the chain steps
    sql = f"INSERT INTO {table} ({names}) SELECT {select} FROM {table} t {joins} WHERE {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def _offset(model: type) -> int:
    """Added to the copied rows' ids: past every id the table holds (the measured rows' ids start at 1 or more)."""
    table = model._meta.db_table  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        return int(cursor.fetchone()[0])


def _country_tree(province: PartyOrg, k: int) -> dict[int, tuple[int, str]]:
    """Province number k of the rest of the country: the measured province's tree (every org, same kinds and
    shape, its dissolved communes left out), bulk-created with its parent links. Returns old id → (new id, path)."""
    code = f"{NATIONAL}{k:02d}"
    existing = PartyOrg.objects.filter(code=code).first()
    orgs = [o for o in PartyOrg.objects.filter(path__startswith=province.path).order_by("path") if o.valid_to is None]
    if existing is not None:  # built by an earlier run: map by code
        twins = {o.code: o for o in PartyOrg.objects.filter(path__startswith=existing.path)}
        return {
            o.pk: (twins[o.code.replace(PREFIX, code, 1)].pk, twins[o.code.replace(PREFIX, code, 1)].path)
            for o in orgs
            if o.code.replace(PREFIX, code, 1) in twins
        }
    next_id = (PartyOrg.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    mapping: dict[int, tuple[int, str]] = {}
    rows, links = [], []
    for org in orgs:  # by path: a parent comes before its children
        new_id = next_id
        next_id += 1
        parent = mapping.get(org.parent_id) if org.parent_id else None
        path = f"{parent[1] if parent else '/'}{new_id}/"
        mapping[org.pk] = (new_id, path)
        rows.append(
            PartyOrg(
                pk=new_id,
                code=org.code.replace(PREFIX, code, 1),
                name=f"{org.name} ({k})",
                kind=org.kind,
                parent_id=parent[0] if parent else None,
                path=path,
                valid_from=org.valid_from,
            )
        )
        if parent:
            links.append(OrgParentLink(org_id=new_id, parent_id=parent[0], valid_from=org.valid_from))
    PartyOrg.objects.bulk_create(rows, batch_size=2000)
    OrgParentLink.objects.bulk_create(links, batch_size=2000)
    with connection.cursor() as cursor:
        table = "admission_partyorg"
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    # The measured province's dissolved communes and their cells land in its first two communes, as in the reform.
    for org in PartyOrg.objects.filter(path__startswith=province.path, valid_to__isnull=False):
        target = org.merged_into_id or org.parent_id
        if target in mapping:
            mapping[org.pk] = mapping[target]
    for cell in PartyOrg.objects.filter(path__startswith=province.path, kind=OrgKind.GRASSROOTS_CELL):
        if cell.pk not in mapping and cell.parent_id in mapping:
            mapping[cell.pk] = mapping[cell.parent_id]
    return mapping


def build_country(province: PartyOrg, copies: int) -> int:
    """`copies` copies of the measured province's cases (people, cases, certificates, chain steps, snapshots,
    memberships, ceremonies), each in a province of its own with the same tree, so that the measured province is
    one of `copies + 1` provinces of a national database, with its share of the cells and of the rows (what the
    planner's estimates rest on). Rows get new ids (offsets per copy), codes and citizen ids; a case's cell, its
    steps' bodies and its snapshot's orgs and path are mapped onto its province's tree."""
    rows = 0
    for k in range(1, copies + 1):
        rows += _copy_province(province, k)
        print(f"  copy {k}/{copies}: {rows} rows so far", flush=True)
    with connection.cursor() as cursor:
        for model in (
            Person,
            Candidate,
            ChainStepRecord,
            AdmissionSnapshot,
            Membership,
            Ceremony,
            AwarenessCertificate,
            StageEvent,
            StepDuration,
        ):
            table = model._meta.db_table  # type: ignore[attr-defined]
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return rows


def _copy_province(province: PartyOrg, k: int) -> int:
    mapping = _country_tree(province, k)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_orgmap")
        cursor.execute("CREATE TEMP TABLE bench_orgmap (old_id bigint PRIMARY KEY, new_id bigint, new_path text)")
        cursor.executemany(
            "INSERT INTO bench_orgmap VALUES (%s, %s, %s)", [(old, new, path) for old, (new, path) in mapping.items()]
        )
    bench_people = "t.full_name LIKE 'Người Thử %%'"
    bench_cases = "t.code LIKE 'KN-B-%%'"
    rows = 0
    models = (
        Person,
        Candidate,
        ChainStepRecord,
        Membership,
        AwarenessCertificate,
        AdmissionSnapshot,
        Ceremony,
        StageEvent,
        StepDuration,
    )
    off = {m: _offset(m) for m in models}
    person = f"t.person_id + {off[Person]}"
    candidate = f"t.candidate_id + {off[Candidate]}"
    with transaction.atomic():
        rows += _copy(
            Person,
            k,
            {
                "id": f"t.id + {off[Person]}",
                "citizen_id": "to_char(100 + {k}, 'FM000') || substr(t.citizen_id, 4)",
                "full_name": "'Người Nước {k} ' || t.id",
                "user_id": "NULL",
            },
            bench_people,
        )
        rows += _copy(
            Candidate,
            k,
            {
                "id": f"t.id + {off[Candidate]}",
                "person_id": person,
                "cell_id": "m.new_id",
                "code": "'KN-N-{k}-' || substr(t.code, 6)",
            },
            bench_cases,
            "JOIN bench_orgmap m ON m.old_id = t.cell_id",
        )
        rows += _copy(
            AwarenessCertificate,
            k,
            {"id": f"t.id + {off[AwarenessCertificate]}", "person_id": person, "number": "t.number || '-{k}'"},
            "p.full_name LIKE 'Người Thử %%'",
            "JOIN admission_person p ON p.id = t.person_id",
        )
        rows += _copy(
            ChainStepRecord,
            k,
            {
                "id": f"t.id + {off[ChainStepRecord]}",
                "candidate_id": candidate,
                "org_id": "m.new_id",
                "document_number": "t.document_number || '-{k}'",
            },
            "c.code LIKE 'KN-B-%%'",
            "JOIN admission_candidate c ON c.id = t.candidate_id JOIN bench_orgmap m ON m.old_id = t.org_id",
        )
        rows += _copy(
            AdmissionSnapshot,
            k,
            {
                "id": f"t.id + {off[AdmissionSnapshot]}",
                "candidate_id": candidate,
                "decision_id": f"t.decision_id + {off[ChainStepRecord]}",
                "cell_id": "m.new_id",
                "path": "m.new_path",
                "grassroots_id": "coalesce(g.new_id, t.grassroots_id)",
                "commune_id": "coalesce(cm.new_id, t.commune_id)",
            },
            "c.code LIKE 'KN-B-%%'",
            "JOIN admission_candidate c ON c.id = t.candidate_id JOIN bench_orgmap m ON m.old_id = t.cell_id "
            "LEFT JOIN bench_orgmap g ON g.old_id = t.grassroots_id "
            "LEFT JOIN bench_orgmap cm ON cm.old_id = t.commune_id",
        )
        rows += _copy(
            Membership,
            k,
            {"id": f"t.id + {off[Membership]}", "person_id": person, "cell_id": "m.new_id"},
            "p.full_name LIKE 'Người Thử %%'",
            "JOIN admission_person p ON p.id = t.person_id JOIN bench_orgmap m ON m.old_id = t.cell_id",
        )
        rows += _copy(
            Ceremony,
            k,
            {
                "id": f"t.id + {off[Ceremony]}",
                "candidate_id": candidate,
                "membership_id": f"t.membership_id + {off[Membership]}",
            },
            "c.code LIKE 'KN-B-%%'",
            "JOIN admission_candidate c ON c.id = t.candidate_id",
        )
        # The read model's rows of the copied facts, mapped like them: what a rebuild of the copies writes (the
        # chain steps' bodies stay those of the copied snapshots' steps, which name the measured province's bodies).
        rows += _copy(
            StageEvent,
            k,
            {
                "id": f"t.id + {off[StageEvent]}",
                "person_id": person,
                "cell_id": "m.new_id",
                "candidate_id": f"t.candidate_id + {off[Candidate]}",
                "membership_id": f"t.membership_id + {off[Membership]}",
                "other_cell_id": "o.new_id",
            },
            "p.full_name LIKE 'Người Thử %%'",
            "JOIN admission_person p ON p.id = t.person_id JOIN bench_orgmap m ON m.old_id = t.cell_id "
            "LEFT JOIN bench_orgmap o ON o.old_id = t.other_cell_id",
        )
        rows += _copy(
            StepDuration,
            k,
            {
                "id": f"t.id + {off[StepDuration]}",
                "person_id": person,
                "candidate_id": candidate,
                "cell_id": "m.new_id",
            },
            "p.full_name LIKE 'Người Thử %%'",
            "JOIN admission_person p ON p.id = t.person_id JOIN bench_orgmap m ON m.old_id = t.cell_id",
        )
    return rows


def clear_country() -> None:
    cases = Candidate.objects.filter(code__startswith="KN-N-")
    people = Person.objects.filter(full_name__startswith="Người Nước ")
    with transaction.atomic():
        for qs in (
            StageEvent.objects.filter(person__in=people),
            StepDuration.objects.filter(person__in=people),
            AdmissionSnapshot.objects.filter(candidate__in=cases),
            Ceremony.objects.filter(candidate__in=cases),
            ChainStepRecord.objects.filter(candidate__in=cases),
            Membership.objects.filter(person__in=people),
            AwarenessCertificate.objects.filter(person__in=people),
            cases,
            people,
        ):
            qs._raw_delete(qs.db)  # type: ignore[attr-defined]


def clear() -> None:
    """Delete a previous run's rows with plain DELETEs, children first: the bench rows have no history and no other
    dependants, and Django's cascading delete would write a history row per deleted object (minutes for 100,000)."""
    cases = Candidate.objects.filter(code__startswith="KN-B-")
    people = Person.objects.filter(full_name__startswith="Người Thử ")
    with transaction.atomic():
        for qs in (
            StageEvent.objects.filter(person__in=people),
            StepDuration.objects.filter(person__in=people),
            AdmissionSnapshot.objects.filter(candidate__in=cases),
            Ceremony.objects.filter(candidate__in=cases),
            ChainStepRecord.objects.filter(candidate__in=cases),
            Membership.objects.filter(person__in=people),
            AwarenessCertificate.objects.filter(person__in=people),
            cases,
            people,
        ):
            qs._raw_delete(qs.db)  # type: ignore[attr-defined]


def timed(label: str, fn, repeat: int) -> None:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    print(f"{label:<58} best {min(times):6.2f} s   median {sorted(times)[len(times) // 2]:6.2f} s   {result}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--national",
        type=int,
        default=0,
        help="Cases of the rest of the country around the measured province (copies of it; PostgreSQL only).",
    )
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    province = PartyOrg.objects.filter(code=PREFIX).first()
    if province is None:
        began = time.perf_counter()
        province, _communes, _cells = build_tree()
        count = PartyOrg.objects.filter(path__startswith=province.path).count()
        print(f"org tree: {count} orgs in {time.perf_counter() - began:.1f} s")
    if Candidate.objects.filter(code__startswith="KN-B-").count() != args.cases:
        clear()
        cells = list(PartyOrg.objects.filter(path__startswith=province.path, kind=OrgKind.GRASSROOTS_CELL))
        began = time.perf_counter()
        generate(cells, args.cases)
        print(f"generated {args.cases} cases in {time.perf_counter() - began:.1f} s")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # As autovacuum leaves a database in use: the read model's counts read their indexes alone once the
                # visibility map is set (with statistics only, the province's full report took 0.44 s, not 0.28).
                cursor.execute("VACUUM ANALYZE")
    copies = -(-args.national // args.cases) if args.national else 0
    if Candidate.objects.filter(code__startswith="KN-N-").count() != copies * args.cases:
        clear_country()
        if copies:
            began = time.perf_counter()
            rows = build_country(province, copies)
            print(f"rest of the country: {copies} copies, {rows} rows in {time.perf_counter() - began:.1f} s")
            with connection.cursor() as cursor:
                # As autovacuum leaves a database in use: statistics, and the visibility map that lets the reports'
                # counts read their (cell, date) indexes alone.
                cursor.execute("VACUUM ANALYZE")
    national = Candidate.objects.count()
    print(f"cases in the database: {national}, of which the measured province: {args.cases}")
    commune = PartyOrg.objects.get(code=f"{PREFIX}.00")
    nine_months = Period(date(2025, 1, 1), date(2025, 9, 30))
    year = Period.year(2025)

    def total(report) -> str:  # type: ignore[no-untyped-def]
        return f"admitted={report.form2[0].current}, last year={report.form2[0].previous}"

    def dash(d) -> str:  # type: ignore[no-untyped-def]
        return f"admitted={d.targets[0].current}, units={len(d.units)}"

    timed(
        "dashboard, province, 9 months 2025",
        lambda: dash(build_dashboard(org=province, period=nine_months)),
        args.repeat,
    )
    timed(
        "full report, province, 9 months 2025",
        lambda: total(build_report(org=province, period=nine_months)),
        args.repeat,
    )
    timed(
        "full report, province, year 2025, as it was",
        lambda: total(build_report(org=province, period=year, basis="then")),
        args.repeat,
    )
    timed("dashboard, merged commune, year 2025", lambda: dash(build_dashboard(org=commune, period=year)), args.repeat)
    timed("full report, merged commune, year 2025", lambda: total(build_report(org=commune, period=year)), args.repeat)


if __name__ == "__main__":
    main()
