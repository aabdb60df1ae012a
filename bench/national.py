"""The work page, viewflow's stock queue and step completions on a synthetic slice of the country (PostgreSQL).

Run (the database is created if missing; its name must contain "bench"; the data is reused when it was already
built at that scale, and the database is dropped and rebuilt when it holds another scale or an unfinished build):

    .venv/bin/python bench/national.py --database-url postgres://postgres@127.0.0.1:5432/bench_national \\
        --scale 0.2 [--repeat 30] [--json]

Settings: `config.settings.bench` (DEBUG off, production password hashers, background jobs queued in the database
as in production: a request pays for the enqueue, not for the job; set DJANGO_SETTINGS_MODULE to override).

What it builds, at scale S (S=1: the country after the 2025 reform):

* the tree: round(34·S) provinces (at least one), 3,300·S commune committees, 50,000·S cells. Each province has
  12 grassroots committees of provincial agencies (4 cells each: 8-KNĐ, then the province decides); each commune has
  one grassroots committee with 3 cells (8-KNĐ, then the commune decides) and grassroots cells (the commune
  decides). Paths and parent links as `admission.party.services.orgs.org_create` writes them.
* 10^6·S cases with their people, in every state: imported history without a flow (31 %), closed ones (7 %), open
  ones in sourcing, dossier, the approval chain, awaiting the ceremony and recognition (30 %: one open human task
  each), probationers waiting on the probation timer (17 %) and recognised members (15 %); the cases that passed
  their cell vote have their approval-chain rows, admitted ones their membership, ceremony and probation.
* the viewflow processes and tasks of those cases, node by node as the three flows write them (same flow_task
  references, task types, statuses, owner permission `admission.act_for_org` on the acting org's pk, `data` with
  the due date computed from the rule set and the working calendar, and the chain/recognition step for a repeated
  node): about 15 tasks per case, so 1.5·10^7 at S=1, 96 % of them finished (the rest open, scheduled timers
  and cancelled tasks).
* the work page's read model (`WorkItem`) for every open human task, written by one INSERT … SELECT that does what
  the migration `workflows/0004` back-fill and `workflows.worklist.work_item_sync` do; a sample of rows is checked
  against `work_item_sync` itself.
* logins with roles and guardian grants (`act_for_org`, as `role_permissions_sync` writes them): one secretary per
  cell (`bench.bithu.NNNNN`), one standing-committee member per commune (`bench.btv.NNNN`), one committee member
  per grassroots committee (`bench.dangu.NNNNN`), one organisation-board officer per province (`bench.tochuc.NN`),
  and 200 candidates with a login (`bench.ungvien.NNN`, their cases coded `KN-UV-NNNNNN`, lookup PIN 246810).
  Numbers are shuffled over the country, so the first 80 secretaries are in 80 random cells. Every bench login has
  the password `bench-pass-2026` (one hash by the production hasher, Argon2id, computed once). The measured users
  get their roles through the real role service (`role_assign`).

Rows go in with COPY (person, case, process, task, …) while the tables' plain indexes are dropped, then the indexes
are rebuilt, the sequences moved past the ids used, and the tables vacuumed and analysed. Not written: the
`previous` links between tasks, history rows (simple-history, django-fsm-log), votes and meetings of past cases,
course enrollments (nothing measured reads them).

What it measures (in process, Django test client, warm: two unmeasured requests first, then --repeat timed ones;
the query count from one more request under CaptureQueriesContext). Each user's session is written directly, as a
sign-in leaves it, and verified by the user's authenticator when their role needs the second factor
(settings.TWO_FACTOR_ROLES): bench logins holding such a role get a confirmed TOTP authenticator whose secret is
derived from the login name (`totp_key`), so bench/load.py can sign them in over HTTP.

* the work page (/app/admission/home/) of the commune standing committee, the provincial organisation board and
  the cell secretary that have the most open steps in the data (their row counts are printed);
* viewflow's stock queue for the same commune committee: the flow app's queue page of the admission flow
  (/app/admissioncase/queue/, 25 rows a page, as the user opens it), the sourcing and probation queue pages, and
  the bare queryset `Task.objects.user_queue(user).filter(status=NEW)` over all flows (count + first 25 rows);
* step completion through the API (`POST /api/v1/candidates/<id>/steps/<step>/`): a cell vote and the commune's
  decision (chain step, 9-KNĐ) on cases walked to that step through the real services and flows just before
  (`demo.dossier.fill_dossier`, `workflows.services.run_step`), one case per completion; plus the background
  notification scan each completion queues (`notifications.tasks.scan`), timed on its own.

Figures from this machine (2 shared cores, another test suite running; the load average is given because it moves
them). Scale 1 (57,042 orgs, 10^6 cases, 15.2 million tasks, 301,313 open steps) built in 1,061 s (about 18 min;
scale 0.1 in 130 s):

    .venv/bin/python bench/national.py --database-url postgres://postgres@127.0.0.1:5432/bench_national_h16_s1 \\
        --scale 1 --repeat 20 --skip-stock-queue --json

                                          before (load 5-6, n=10)           after (load 3.5-4.3, n=20)
    work page, commune standing committee p50 2,067 ms  p95 2,468 ms  22 q   p50 271 ms  p95 520 ms    26 queries
    work page, cell secretary             p50 1,948 ms  p95 2,246 ms  19 q   p50 203 ms  p95 264 ms    23 queries
    work page, provincial org board       p50 3,176 ms  p95 3,543 ms  23 q   p50 766 ms  p95 1,114 ms  27 queries
    API cell vote (step completion)                                          p50 351 ms  p95 482 ms    156 queries
    API commune decision (chain step)                                        p50 333 ms  p95 422 ms    149 queries
    viewflow's stock queue, all flows     p50 4,737 ms  p95 5,532 ms  9 q (same code before and after)
    the same for AdmissionCaseFlow alone  p50 42.7 s (its per-flow filter scans the task table)

"Before" is the work page reading `org_id IN (roles) OR org_id IN (delegations)` as two subqueries: PostgreSQL
guessed that most open steps match and hashed the whole task table (15 million rows) to join them; the acting
orgs are now read first and passed as a list (`workflows.worklist.acting_orgs_q`). A step completion's 149–156
queries are mostly the step's own reads and writes: the case (13–17 SELECTs), history entries (10–11 reads, 5–6
writes), the chain steps (7–13), savepoints (9 pairs), roles (6–7), document-validity rules (9 in a cell vote),
the viewflow process and tasks (5 + 4 reads, 4–5 updates) and the work-page rows (3 reads, 3–5 deletes).
Scale 0.1, before (load 4.8–5.1, n=30): commune committee p50 1,367 ms, cell secretary p50 882 ms; cell vote p50
422 ms (156 queries), chain step p50 336 ms (149 queries).

Measured again after the request memory and the step's batched writes (2026-12-07; README "Measured" has the table
for S = 0.02, 0.2 and 1): at S = 1, load 2.6, with the statistics' read model of issue 16 in each step, the work
pages p50 39–77 ms, p95 42–87 ms, 13–15 queries; a cell vote p50 93 ms, p95 102 ms, 102 queries; a commune's
decision p50 80 ms, p95 104 ms, 100 queries. The same data and load before this round: 152 and 140 queries, p95 175
and 96 ms.

Measured again on 2026-12-07 on a slower host (an Argon2id hash 26-28 ms instead of 17 ms), fresh S = 1 build,
load 1.0: work pages p50 62-90 ms, p95 77-126 ms, 15-17 queries; a cell vote p50 143 ms, p95 224 ms, 84 queries;
a commune's decision p50 96 ms, p95 124 ms, 74 queries. The same host with the code before that round: 192 / 219 ms
(102 queries) and 138 / 190 ms (100 queries). The step API's cases live in a commune of their own
(`Measured.step_commune`): earlier runs walked them into the measured commune and lengthened its work page.

With --json the last line printed is one JSON object (scale, cases, tasks, work_page_p95_ms, work_page_queries,
stock_queue_p95_ms, step_api_p95_ms, step_api_queries and the per-user and per-step detail).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
PASSWORD = "bench-pass-2026"
PIN = "246810"
PAGE = 25


def database_name(url: str) -> str:
    """The database of a loopback PostgreSQL URL whose name says it is a benchmark's; anything else is refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("--database-url must be a postgres:// URL")
    if (parts.hostname or "") not in LOOPBACK_HOSTS and not (parts.hostname or "").startswith("127."):
        raise SystemExit(f"refusing a database that is not on this machine: {parts.hostname}")
    name = parts.path.lstrip("/")
    if name == "test" or "bench" not in name:
        raise SystemExit(f"refusing database {name!r}: its name must contain 'bench' (it may be dropped and rebuilt)")
    return name


def admin_connect(url: str) -> Any:
    """A connection to the server's `postgres` database, to create or drop the benchmark's database."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


def database_ensure(url: str, *, drop: bool = False) -> None:
    name = database_name(url)
    with admin_connect(url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        if exists and drop:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            conn.execute(f'DROP DATABASE "{name}"')
            exists = False
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


ARGS: argparse.Namespace | None = None
if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, required=True, help="1 = 3,300 communes, 50,000 cells, 10^6 cases")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page and completions per step")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--skip-stock-queue",
        action="store_true",
        help="leave out viewflow's stock queue (its per-flow scans take minutes at scale 1)",
    )
    ARGS = parser.parse_args()
    if not 0.0005 <= ARGS.scale <= 2:
        raise SystemExit("--scale must be between 0.0005 and 2")
    if not 1 <= ARGS.repeat <= 500:
        raise SystemExit("--repeat must be between 1 and 500")
    database_name(ARGS.database_url)
    os.environ["DATABASE_URL"] = ARGS.database_url
    database_ensure(ARGS.database_url)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django

django.setup()

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext
from guardian.models import UserObjectPermission
from viewflow.workflow.fields import get_flow_ref
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.party.hierarchy import Purpose, approval_chain
from admission.party.models.orgs import OrgKind, OrgParentLink, PartyOrg
from admission.party.models.people import Membership, Person
from admission.party.models.roles import Role, RoleKind
from admission.probation.models import Probation, ProbationStatus, RecognitionStep
from admission.rules.calendar import working_calendar
from admission.rules.models.rulesets import DeadlineStep, RuleSet
from admission.rules.reference.citizen_id import CITIZEN_ID_PROVINCES
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCourse, Enrollment, EnrollmentState
from portal.models import LookupPin
from portal.pins import pin_hash
from workflows.flows import AdmissionCaseFlow, ProbationFlow, SourcingFlow
from workflows.models import WorkItem

User = get_user_model()
D0 = date(2000, 1, 1)
ROLE_FROM = date(2024, 1, 1)
AGENCIES_PER_PROVINCE = 12
CELLS_PER_AGENCY = 4
COMMUNE_SCHOOL_CELLS = 3
CANDIDATE_LOGINS = 200
META = "bench_national_meta"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ------------------------------------------------------------------------------------------------------------------
# Sizes and the record of a build
# ------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    scale: float
    provinces: int
    communes: int
    cells: int
    cases: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        provinces = max(1, round(34 * scale))
        communes = max(provinces, round(3300 * scale))
        cells = max(round(50_000 * scale), provinces * AGENCIES_PER_PROVINCE * CELLS_PER_AGENCY + communes * 6)
        return cls(scale, provinces, communes, cells, max(1000, round(1_000_000 * scale)))


def meta_get(key: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [META])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT value FROM {META} WHERE key = %s", [key])
        row = cursor.fetchone()
    if row is None:
        return None
    return json.loads(row[0]) if isinstance(row[0], str) else row[0]


def meta_set(key: str, value: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META} (key text PRIMARY KEY, value jsonb NOT NULL)")
        cursor.execute(
            f"INSERT INTO {META} (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [key, json.dumps(value)],
        )


# ------------------------------------------------------------------------------------------------------------------
# Bulk loading helpers: reserved ids, COPY, indexes dropped during the load
# ------------------------------------------------------------------------------------------------------------------


def table(model: Any) -> str:
    return str(model._meta.db_table)


def column(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).column)


def reserve_ids(model: Any, n: int) -> int:
    """Take n ids from the table's sequence (nobody else writes during a build); returns the first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table(model), model._meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = int(cursor.fetchone()[0])
        if n > 1:
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
    return first


NULL = "\\N"


def copy_rows(model: Any, fields: list[str], rows: Iterable[str]) -> int:
    """COPY text lines (tab-separated, already escaped, ending in a newline) into the model's table."""
    columns = ", ".join(f'"{column(model, name)}"' for name in fields)
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table(model)} ({columns}) FROM STDIN") as copy:
        buffer: list[str] = []
        size = 0
        for line in rows:
            buffer.append(line)
            size += len(line)
            count += 1
            if size > 4_000_000:
                copy.write("".join(buffer))
                buffer, size = [], 0
        if buffer:
            copy.write("".join(buffer))
    return count


PLAIN_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = %s AND NOT x.indisprimary AND NOT x.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""


@contextmanager
def indexes_dropped(models: list[Any]) -> Iterator[None]:
    """Drop the plain (non-unique, non-constraint) indexes of the tables for the load, then build them again."""
    saved: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(PLAIN_INDEXES, [table(model)])
            saved += cursor.fetchall()
        for name, _definition in saved:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        for _name, definition in saved:
            cursor.execute(definition)
    log(f"rebuilt {len(saved)} indexes in {time.perf_counter() - began:.0f} s")


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def val(value: Any) -> str:
    if value is None or value == NULL:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    return esc(str(value))


def line(*values: Any) -> str:
    return "\t".join(val(v) for v in values) + "\n"


# ------------------------------------------------------------------------------------------------------------------
# The tree
# ------------------------------------------------------------------------------------------------------------------


@dataclass
class Tree:
    provinces: list[int] = field(default_factory=list)
    communes: list[int] = field(default_factory=list)
    committees: list[int] = field(default_factory=list)  # grassroots committees (communes' and provinces')
    cells: list[int] = field(default_factory=list)
    # per cell: (variant, approver, organiser, chain bodies after the cell, province, commune or 0)
    cell_info: dict[int, tuple[int, int, int, tuple[int, ...], int, int]] = field(default_factory=dict)
    path: dict[int, str] = field(default_factory=dict)


V_VILLAGE, V_SCHOOL, V_AGENCY = 1, 2, 3  # grassroots cell of a commune; cell of a commune's / a province's committee


def build_tree(sizes: Sizes, rng: random.Random) -> Tree:
    tree = Tree()
    orgs: list[PartyOrg] = []
    links: list[OrgParentLink] = []
    n_orgs = sizes.provinces * (1 + AGENCIES_PER_PROVINCE) + sizes.communes * 2 + sizes.cells
    next_id = reserve_ids(PartyOrg, n_orgs)
    founded = gettext("Founded")

    def add(code: str, name: str, kind: str, parent: int | None) -> int:
        nonlocal next_id
        pk, next_id = next_id, next_id + 1
        path = f"{tree.path[parent] if parent else '/'}{pk}/"
        tree.path[pk] = path
        orgs.append(PartyOrg(pk=pk, code=code, name=name, kind=kind, parent_id=parent, path=path, valid_from=D0))
        if parent:
            links.append(OrgParentLink(org_id=pk, parent_id=parent, valid_from=D0, reason=founded))
        return pk

    agency_cells = sizes.provinces * AGENCIES_PER_PROVINCE * CELLS_PER_AGENCY
    per_commune, extra = divmod(sizes.cells - agency_cells, sizes.communes)
    commune_no = 0
    for p in range(sizes.provinces):
        province = add(f"BT{p:02d}", f"Đảng bộ tỉnh Thử Nghiệm {p + 1:02d}", OrgKind.PROVINCE_COMMITTEE, None)
        tree.provinces.append(province)
        for a in range(AGENCIES_PER_PROVINCE):
            agency = add(
                f"BT{p:02d}.CQ{a:02d}",
                f"Đảng bộ Sở {a + 1:02d} tỉnh {p + 1:02d}",
                OrgKind.GRASSROOTS_COMMITTEE,
                province,
            )
            tree.committees.append(agency)
            for k in range(CELLS_PER_AGENCY):
                cell = add(f"BT{p:02d}.CQ{a:02d}.{k}", f"Chi bộ Phòng {k + 1} Sở {a + 1:02d}", OrgKind.CELL, agency)
                tree.cells.append(cell)
                tree.cell_info[cell] = (V_AGENCY, agency, province, (agency, province), province, 0)
        communes_here = sizes.communes // sizes.provinces + (1 if p < sizes.communes % sizes.provinces else 0)
        for c in range(communes_here):
            commune = add(
                f"BT{p:02d}.X{c:03d}", f"Đảng bộ xã Thử {p + 1:02d}-{c + 1:03d}", OrgKind.COMMUNE_COMMITTEE, province
            )
            tree.communes.append(commune)
            school = add(
                f"BT{p:02d}.X{c:03d}.TH",
                f"Đảng bộ Trường THPT xã {p + 1:02d}-{c + 1:03d}",
                OrgKind.GRASSROOTS_COMMITTEE,
                commune,
            )
            tree.committees.append(school)
            cells_here = per_commune + (1 if commune_no < extra else 0)
            commune_no += 1
            for k in range(cells_here):
                if k < COMMUNE_SCHOOL_CELLS:
                    cell = add(
                        f"BT{p:02d}.X{c:03d}.TH{k}", f"Chi bộ Tổ {k + 1} Trường xã {c + 1:03d}", OrgKind.CELL, school
                    )
                    tree.cell_info[cell] = (V_SCHOOL, school, commune, (school, commune), province, commune)
                else:
                    cell = add(
                        f"BT{p:02d}.X{c:03d}.{k:02d}",
                        f"Chi bộ thôn {k + 1:02d} xã {c + 1:03d}",
                        OrgKind.GRASSROOTS_CELL,
                        commune,
                    )
                    tree.cell_info[cell] = (V_VILLAGE, commune, commune, (commune,), province, commune)
                tree.cells.append(cell)
    PartyOrg.objects.bulk_create(orgs, batch_size=5000)
    OrgParentLink.objects.bulk_create(links, batch_size=5000)
    return tree


# ------------------------------------------------------------------------------------------------------------------
# Logins, roles and guardian grants
# ------------------------------------------------------------------------------------------------------------------


def password_hash() -> str:
    """One hash by the production hasher (the first of PASSWORD_HASHERS) for every bench login: logging in costs what
    it costs in production."""
    hasher = get_hasher()
    return hasher.encode(PASSWORD, "benchsalt2026xyz")


def act_for_org_ids() -> tuple[int, int]:
    ct = ContentType.objects.get_for_model(PartyOrg)
    perm = Permission.objects.get(content_type=ct, codename="act_for_org")
    return ct.pk, perm.pk


def build_logins(tree: Tree, rng: random.Random) -> dict[int, int]:
    """One acting login per org (shuffled numbering), its role and its grant. Returns org id → user id."""
    hashed = password_hash()
    now = timezone.now()
    plan: list[tuple[str, int, str]] = []
    for prefix, orgs, kind, width in (
        ("bench.bithu", tree.cells, RoleKind.CELL_SECRETARY, 5),
        ("bench.btv", tree.communes, RoleKind.STANDING_COMMITTEE_MEMBER, 4),
        ("bench.dangu", tree.committees, RoleKind.COMMITTEE_MEMBER, 5),
        ("bench.tochuc", tree.provinces, RoleKind.ORG_BOARD_OFFICER, 2),
    ):
        order = list(orgs)
        rng.shuffle(order)
        plan += [(f"{prefix}.{n + 1:0{width}d}", org, kind) for n, org in enumerate(order)]
    users = User.objects.bulk_create(
        [User(username=name, password=hashed, date_joined=now, is_active=True) for name, _org, _kind in plan],
        batch_size=5000,
    )
    Role.objects.bulk_create(
        [
            Role(user_id=user.pk, org_id=org, kind=kind, starts_on=ROLE_FROM)
            for user, (_name, org, kind) in zip(users, plan, strict=True)
        ],
        batch_size=5000,
    )
    ct, perm = act_for_org_ids()
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(user_id=user.pk, permission_id=perm, content_type_id=ct, object_pk=str(org))
            for user, (_name, org, _kind) in zip(users, plan, strict=True)
        ],
        batch_size=5000,
    )
    return {org: user.pk for user, (_name, org, _kind) in zip(users, plan, strict=True)}


# ------------------------------------------------------------------------------------------------------------------
# Cases, their domain rows and their flows
# ------------------------------------------------------------------------------------------------------------------

# (scenario, share of the cases). Open ones end on one open human task; "probationary" on the probation's timer.
SCENARIOS = (
    ("imported_official", 0.26),  # imported from the paper era: no flow, an official member
    ("imported_closed", 0.05),  # imported, closed (withdrawn or not admitted)
    ("withdrawn", 0.05),  # withdrawn during sourcing: the open task cancelled with the process
    ("vote_failed", 0.01),  # the cell's vote did not reach the threshold
    ("refused", 0.01),  # a body of the chain refused
    ("sourcing_open", 0.14),
    ("dossier_open", 0.07),
    ("proposed_open", 0.035),
    ("admitted_open", 0.025),
    ("probationary", 0.17),
    ("recognition_open", 0.03),
    ("official", 0.15),  # recognised through the three flows
)
OPEN_SCENARIOS = {"sourcing_open", "dossier_open", "proposed_open", "admitted_open", "recognition_open"}
LOGIN_SCENARIOS = ("sourcing_open", "dossier_open", "proposed_open", "admitted_open", "probationary")
SOURCING_HUMAN = ("list_sympathiser", "assign_mentors", "propose_training", "approve_attendance", "record_result")
SOURCING_OPEN_STATE = {
    "list_sympathiser": CandidateState.NOMINATED,
    "assign_mentors": CandidateState.SYMPATHISER,
    "propose_training": CandidateState.SYMPATHISER,
    "approve_attendance": CandidateState.SYMPATHISER,
    "record_result": CandidateState.IN_TRAINING,
    "open_dossier": CandidateState.TRAINED,
}
REMINDERS = (90, 60, 30, 15, 7)  # every seeded rule set's probation_reminder_days
WAKES = (*(365 - d for d in REMINDERS), 365)  # days after the ceremony the probation timer fires
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Nông")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Thị Thu")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam")
START = datetime(2021, 8, 2, tzinfo=UTC)  # the first seeded rule set (24-QĐ/TW) is in force from 30/07/2021
DAY = 86400
VN = 7 * 3600


def _sourcing(course: bool) -> list[tuple[int, str, int]]:
    middle = ["approve_attendance", "after_decision", "record_result", "after_result"] if course else []
    names = ["start", "list_sympathiser", "assign_mentors", "propose_training", "after_proposal", *middle]
    return [(0, n, 0) for n in [*names, "open_dossier", "end"]]


def _admission(chain: int) -> list[tuple[int, str, int]]:
    nodes = [(1, n, 0) for n in ("start", "prepare_dossier", "cell_vote", "after_cell_vote")]
    for k in range(1, chain + 1):
        nodes += [(1, "chain_step", k), (1, "after_chain_step", k)]
    return nodes + [(1, n, 0) for n in ("after_decision", "receive_decision", "ceremony", "end")]


def _probation(wakes: int, recognition: int) -> list[tuple[int, str, int]]:
    """The probation flow: start, route, the timer, one (tick, route, timer) per reminder; after the last wake the
    recognition vote and the recognition chain, each followed by the router."""
    nodes = [(2, "start", 0), (2, "route", 0), (2, "wait", 1)]
    for w in range(1, min(wakes, len(WAKES) - 1) + 1):
        nodes += [(2, "tick", w), (2, "route", 0), (2, "wait", w + 1)]
    if wakes >= len(WAKES):
        nodes += [(2, "tick", len(WAKES)), (2, "route", 0), (2, "recognition_vote", 0), (2, "route", 0)]
        for k in range(1, recognition + 1):
            nodes += [(2, "recognition_step", k), (2, "route", 0)]
        nodes.append((2, "end", 0))
    return nodes


class Days:
    """Date and timestamp text for epoch seconds, with the per-day parts cached."""

    def __init__(self) -> None:
        self.iso: dict[int, str] = {}
        self.dates: dict[int, date] = {}

    def day(self, epoch: float) -> int:  # the local (Hà Nội) day number
        return int(epoch + VN) // DAY

    def date(self, epoch: float) -> date:
        d = self.day(epoch)
        found = self.dates.get(d)
        if found is None:
            found = self.dates[d] = date(1970, 1, 1) + timedelta(days=d)
        return found

    def ts(self, epoch: float | None) -> str:
        if epoch is None:
            return NULL
        e = int(epoch)
        d, s = divmod(e, DAY)
        text = self.iso.get(d)
        if text is None:
            text = self.iso[d] = (date(1970, 1, 1) + timedelta(days=d)).isoformat()
        return f"{text} {s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}+00"


class Writer:
    """One TSV file per table, COPYed once the simulation is done."""

    def __init__(self, folder: Path, model: Any, fields: list[str]) -> None:
        self.model, self.fields = model, fields
        self.path = folder / f"{table(model)}.tsv"
        self.handle = self.path.open("w", encoding="utf-8", buffering=4 << 20)
        self.count = 0

    def row(self, *values: Any) -> None:
        self.handle.write("\t".join(val(v) for v in values) + "\n")
        self.count += 1

    def raw(self, text: str) -> None:
        self.handle.write(text)
        self.count += 1

    def load(self) -> int:
        self.handle.close()

        def lines() -> Iterator[str]:
            with self.path.open(encoding="utf-8") as handle:
                while chunk := handle.read(4 << 20):
                    yield chunk

        columns = ", ".join(f'"{column(self.model, name)}"' for name in self.fields)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table(self.model)} ({columns}) FROM STDIN") as cp,
        ):
            for chunk in lines():
                cp.write(chunk)
        self.path.unlink()
        return self.count


class Ids:
    """Ids taken from a table's sequence as they are used; `close` moves the sequence past the last one."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.next = reserve_ids(model, 1)

    def take(self) -> int:
        pk = self.next
        self.next += 1
        return pk

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table(self.model), self.model._meta.pk.column])
            cursor.execute("SELECT setval(%s, %s)", [cursor.fetchone()[0], max(self.next - 1, 1)])


HUMAN_DAYS = {
    "list_sympathiser": (3, 20),
    "assign_mentors": (1, 7),
    "propose_training": (3, 30),
    "approve_attendance": (2, 14),
    "record_result": (7, 40),
    "open_dossier": (1, 10),
    "prepare_dossier": (20, 70),
    "cell_vote": (3, 20),
    "chain_step": (5, 40),
    "receive_decision": (1, 7),
    "ceremony": (5, 25),
    "recognition_vote": (3, 25),
    "recognition_step": (5, 40),
}
DUE_STEP = {
    "chain_step": DeadlineStep.ADMISSION_DECISION,
    "ceremony": DeadlineStep.CEREMONY,
    "recognition_vote": DeadlineStep.RECOGNITION_CELL,
    "recognition_step": DeadlineStep.RECOGNITION_DECISION,
}
TASK_FIELDS = [
    "id",
    "flow_task",
    "flow_task_type",
    "status",
    "created",
    "started",
    "finished",
    "token",
    "owner_permission",
    "owner",
    "process",
    "owner_permission_content_type",
    "owner_permission_obj_pk",
    "assigned",
    "data",
    "scheduled",
]


@dataclass
class Counts:
    cases: int = 0
    tasks: int = 0
    open_tasks: int = 0
    processes: int = 0
    by_scenario: dict[str, int] = field(default_factory=dict)


class Country:
    """Writes every case: person, case, its domain rows, its processes (file) and its tasks (streamed COPY)."""

    FLOWS = (SourcingFlow, AdmissionCaseFlow, ProbationFlow)

    def __init__(self, tree: Tree, acting: dict[int, int], rng: random.Random, folder: Path) -> None:
        self.tree, self.acting, self.rng = tree, acting, rng
        self.now = time.time()
        self.days = Days()
        self.calendar = working_calendar()
        self.org_ct, _perm = act_for_org_ids()
        self.case_ct = ContentType.objects.get_for_model(Candidate).pk
        self.flow_refs = [get_flow_ref(flow) for flow in self.FLOWS]
        self.node_prefix: dict[tuple[int, str], str] = {}
        self.node_type: dict[tuple[int, str], str] = {}
        for f, flow in enumerate(self.FLOWS):
            for node in flow.instance.nodes():
                self.node_prefix[(f, node.name)] = f"{self.flow_refs[f]}.{node.name}\t{node.task_type}\t"
                self.node_type[(f, node.name)] = node.task_type
        self.rule_sets = sorted(RuleSet.objects.exclude(status="draft"), key=lambda r: r.effective_from)
        self.rules = {
            (rs.pk, step): (rs.deadline(step).working_days, rs.count_from)
            for rs in self.rule_sets
            for step in (DeadlineStep.DEFAULT_TASK, *DUE_STEP.values())
        }
        self.due_cache: dict[tuple[int, str, date], str] = {}
        self.chains = self._chain_templates()
        self.codes: dict[int, int] = {}
        self.counts = Counts()
        provinces = [code for code in CITIZEN_ID_PROVINCES if code != "001"]  # 001: people made by the services
        self.id_provinces = provinces
        w = Writer
        self.people = w(
            folder,
            Person,
            [
                "id",
                "citizen_id",
                "full_name",
                "date_of_birth",
                "sex",
                "ethnicity",
                "religion",
                "education",
                "professional_level",
                "occupation",
                "employer_sector",
                "workplace",
                "hometown",
                "residence",
                "phone",
                "email",
                "youth_union_member",
                "trade_union_member",
                "user",
            ],
        )
        self.cases = w(
            folder,
            Candidate,
            [
                "id",
                "code",
                "attempt",
                "state",
                "opened_on",
                "closed_on",
                "closing_reason",
                "nominated_by",
                "nominating_body",
                "nominated_on",
                "nomination_note",
                "sympathiser_meeting_on",
                "sympathiser_note",
                "education_exception",
                "is_readmission",
                "cell",
                "person",
                "rule_set",
                "decision_extension_reason",
                "political_review",
            ],
        )
        self.members = w(
            folder,
            Membership,
            ["id", "person", "cell", "admitted_on", "official_on", "joined_cell_on", "party_card_no"],
        )
        self.ceremonies = w(
            folder,
            Ceremony,
            [
                "id",
                "candidate",
                "held_on",
                "place",
                "decision_read_by",
                "attendees",
                "late_consent_ref",
                "membership",
                "recorded_by",
            ],
        )
        self.probations = w(
            folder,
            Probation,
            [
                "id",
                "candidate",
                "ceremony",
                "membership",
                "starts_on",
                "months",
                "ends_on",
                "status",
                "recognition_opened_on",
                "last_reminder_days",
                "decision_extension_reason",
                "closed_on",
            ],
        )
        step_fields = [
            "id",
            "order",
            "kind",
            "org",
            "form",
            "vote_body",
            "deciding_body",
            "status",
            "document_number",
            "document_date",
            "note",
            "done_on",
            "done_by",
        ]
        self.chain_rows = w(folder, ChainStepRecord, ["candidate", "received_on", *step_fields])
        self.recognition_rows = w(folder, RecognitionStep, ["probation", "round", "late_reason", *step_fields])
        self.processes = w(
            folder,
            Process,
            [
                "id",
                "flow_class",
                "status",
                "created",
                "finished",
                "data",
                "artifact_content_type",
                "artifact_object_id",
            ],
        )
        self.pins = w(folder, LookupPin, ["candidate", "pin_hash", "issued_at", "issued_by"])
        self.enrollments = w(
            folder,
            Enrollment,
            ["course", "candidate", "approving_org", "state", "proposed_on", "decided_on", "result_on", "result_note"],
        )
        self.courses = self._courses()
        self.ids = {
            model: Ids(model)
            for model in (
                Person,
                Candidate,
                Membership,
                Ceremony,
                Probation,
                ChainStepRecord,
                RecognitionStep,
                Process,
                Task,
            )
        }

    def _courses(self) -> dict[int, int]:
        """One running awareness course per organiser (commune or province): open course steps point at it."""
        today = timezone.localdate()
        organisers = sorted({info[2] for info in self.tree.cell_info.values()})
        courses = AwarenessCourse.objects.bulk_create(
            [
                AwarenessCourse(
                    name=f"Lớp bồi dưỡng nhận thức về Đảng {today.year} ({org})",
                    organiser_id=org,
                    issuer_name="Trung tâm Chính trị",
                    starts_on=today - timedelta(days=30),
                    ends_on=today + timedelta(days=30),
                    capacity=120,
                )
                for org in organisers
            ]
        )
        return {course.organiser_id: course.pk for course in courses}

    def _chain_templates(self) -> dict[tuple[int, str], list[tuple[str, str, str, str]]]:
        """(kind, form, vote body, deciding body) of each step, from the real hierarchy rules, per cell variant."""
        templates = {}
        samples = {}
        for cell, info in self.tree.cell_info.items():
            samples.setdefault(info[0], cell)
        day = timezone.localdate()
        for variant, cell_id in samples.items():
            cell = PartyOrg.objects.get(pk=cell_id)
            for purpose in (Purpose.ADMISSION, Purpose.RECOGNITION):
                steps = approval_chain(cell, day, purpose=purpose)
                bodies = [s.org.pk for s in steps[1:]]
                assert bodies == list(self.tree.cell_info[cell_id][3]), (variant, bodies)
                templates[(variant, purpose)] = [
                    (str(s.kind), s.form, s.vote_body or "", s.deciding_body or "") for s in steps
                ]
        return templates

    # -- small helpers ------------------------------------------------------------------------------------------

    def rule_set(self, day: date) -> RuleSet:
        found = self.rule_sets[0]
        for rs in self.rule_sets:
            if rs.effective_from <= day:
                found = rs
        return found

    def due(self, rs: RuleSet, step: str, start: date) -> str:
        key = (rs.pk, step, start)
        text = self.due_cache.get(key)
        if text is None:
            days, count_from = self.rules[(rs.pk, step)]
            text = self.due_cache[key] = self.calendar.add_working_days(start, days, count_from=count_from).isoformat()
        return text

    def code(self, year: int) -> str:
        n = self.codes.get(year, 0) + 1
        self.codes[year] = n
        return f"KN-{year}-{n:06d}"

    def person(self, i: int, born_before: date, user_id: int | None) -> int:
        rng = self.rng
        pk = self.ids[Person].take()
        sex = "female" if rng.random() < 0.42 else "male"
        age = min(18 + int(rng.expovariate(1 / 7)), 60)
        dob = date(born_before.year - age, rng.randint(1, 12), rng.randint(1, 28))
        digit = (dob.year // 100 - 19) * 2 + (1 if sex == "female" else 0)
        province = self.id_provinces[(i // 1_000_000) % len(self.id_provinces)]
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        self.people.row(
            pk,
            f"{province}{digit}{dob.year % 100:02d}{i % 1_000_000:06d}",
            name,
            dob,
            sex,
            "01" if rng.random() < 0.89 else rng.choice(("02", "03", "09", "15")),
            "none",
            "upper_secondary",
            rng.choice(("none", "intermediate", "college", "university")),
            rng.choice(("agriculture", "enterprise_worker", "public_service_employee", "other")),
            rng.choice(("village", "state_agency", "public_service_unit", "private_enterprise")),
            "",
            "",
            "",
            "",
            "",
            rng.random() < 0.7,
            rng.random() < 0.3,
            user_id,
        )
        return pk

    # -- one case -----------------------------------------------------------------------------------------------

    def imported(self, i: int, scenario: str, cell: int) -> None:
        rng = self.rng
        opened = date(2016, 1, 1) + timedelta(days=rng.randint(0, 2000))
        pid = self.person(i, opened, None)
        cid = self.ids[Candidate].take()
        official = scenario == "imported_official"
        state = (
            CandidateState.OFFICIAL if official else rng.choice((CandidateState.WITHDRAWN, CandidateState.NOT_ADMITTED))
        )
        closed = opened + timedelta(days=rng.randint(400, 800) if official else rng.randint(60, 300))
        self.cases.row(
            cid,
            self.code(opened.year),
            1,
            state,
            opened,
            closed,
            "" if official else "Nhập từ hồ sơ giấy",
            "cell",
            "",
            opened,
            "",
            opened + timedelta(days=20),
            "",
            "none",
            False,
            cell,
            pid,
            self.rule_sets[0].pk,
            "",
            False,
        )
        if official:
            admitted = closed - timedelta(days=380)
            self.members.row(
                self.ids[Membership].take(),
                pid,
                cell,
                admitted,
                admitted + relativedelta(months=12),
                admitted + timedelta(days=15),
                "",
            )

    def nodes_for(self, scenario: str, variant: int) -> tuple[list[tuple[int, str, int]], int | None, float | None]:
        """The nodes the case went through, the index of its open human task, and (probationers) the days since
        the ceremony."""
        rng = self.rng
        chain = len(self.tree_chain(variant))
        recognition = chain
        src = _sourcing(rng.random() < 0.6)
        adm = _admission(chain)
        human = [i for i, (_f, n, _k) in enumerate(src) if self.node_type[(0, n)] == "HUMAN"]
        if scenario == "withdrawn":
            cut = rng.choice(human[:-1])
            return src[: cut + 1], None, None
        if scenario == "sourcing_open":
            cut = rng.choice(human)
            return src[: cut + 1], cut, None
        if scenario == "dossier_open":
            cut = rng.choice((1, 2))
            return src + adm[: cut + 1], len(src) + cut, None
        if scenario == "vote_failed":
            return src + adm[:4] + [(1, "end", 0)], None, None
        positions = [i for i, (_f, n, _k) in enumerate(adm) if n == "chain_step"]
        if scenario == "proposed_open":
            cut = rng.choice(positions)
            return src + adm[: cut + 1], len(src) + cut, None
        if scenario == "refused":
            cut = rng.choice(positions)
            return src + adm[: cut + 2] + [(1, "end", 0)], None, None
        if scenario == "admitted_open":
            cut = len(adm) - 3 if rng.random() < 0.4 else len(adm) - 2  # receive_decision, or the ceremony
            return src + adm[: cut + 1], len(src) + cut, None
        if scenario == "probationary":
            since = rng.uniform(0.5, 364.5)
            wakes = sum(1 for d in WAKES[:-1] if d <= since)
            return src + adm + _probation(wakes, recognition), None, since
        full = _probation(len(WAKES), recognition)
        if scenario == "recognition_open":
            positions = [i for i, (_f, n, _k) in enumerate(full) if n in ("recognition_vote", "recognition_step")]
            cut = rng.choice(positions)
            return src + adm + full[: cut + 1], len(src) + len(adm) + cut, None
        return src + adm + full, None, None

    def tree_chain(self, variant: int) -> list[tuple[str, str, str, str]]:
        return self.chains[(variant, Purpose.ADMISSION)][1:]

    def case(self, i: int, scenario: str, login: tuple[int, str] | None) -> None:
        rng = self.rng
        cell = self.tree.cells[rng.randrange(len(self.tree.cells))]
        self.counts.cases += 1
        self.counts.by_scenario[scenario] = self.counts.by_scenario.get(scenario, 0) + 1
        if scenario.startswith("imported"):
            self.imported(i, scenario, cell)
            return
        variant, approver, organiser, bodies, _province, _commune = self.tree.cell_info[cell]
        nodes, open_at, since = self.nodes_for(scenario, variant)
        # Relative times: each human step takes days, gateways a moment, the probation timer fires on its dates.
        created: list[float] = []
        finished: list[float] = []
        t = 0.0
        ceremony_end = 0.0
        for f, n, k in nodes:
            kind = self.node_type[(f, n)]
            created.append(t)
            if kind == "HUMAN":
                lo, hi = HUMAN_DAYS.get(n, (2, 10))
                t += rng.uniform(lo, hi) * DAY
            elif kind == "TIMER":
                t = max(t + 1, ceremony_end + WAKES[k - 1] * DAY)
            else:
                t += rng.uniform(0.02, 1.5)
            finished.append(t)
            if n == "ceremony":
                ceremony_end = t
            t += 0.01
        if open_at is not None:
            mean = 20 if nodes[open_at][1] in ("chain_step", "recognition_step") else 9
            anchor = self.now - min(120.0, rng.expovariate(1 / mean)) * DAY - created[open_at]
            nodes, created, finished = nodes[: open_at + 1], created[: open_at + 1], finished[: open_at + 1]
        elif since is not None:
            anchor = self.now - since * DAY - ceremony_end
        else:
            latest = self.now - finished[-1] - DAY
            anchor = rng.uniform(START.timestamp(), max(START.timestamp(), latest))
        created = [anchor + c for c in created]
        finished = [anchor + x for x in finished]
        self.write_case(
            i, scenario, login, cell, variant, approver, organiser, bodies, nodes, created, finished, open_at
        )

    def write_case(
        self,
        i: int,
        scenario: str,
        login: tuple[int, str] | None,
        cell: int,
        variant: int,
        approver: int,
        organiser: int,
        bodies: tuple[int, ...],
        nodes: list[tuple[int, str, int]],
        created: list[float],
        finished: list[float],
        open_at: int | None,
    ) -> None:
        days = self.days
        opened = days.date(created[0])
        rs = self.rule_set(opened)
        when = {}  # node (name, k) → index of its last occurrence
        for idx, (_f, n, k) in enumerate(nodes):
            when[(n, k)] = idx

        def done_on(n: str, k: int = 0) -> date | None:
            idx = when.get((n, k))
            if idx is None or idx == open_at or (scenario == "withdrawn" and idx == len(nodes) - 1):
                return None
            return days.date(finished[idx])

        user_id, code = login if login else (None, self.code(opened.year))
        pid = self.person(i, opened, user_id)
        cid = self.ids[Candidate].take()
        # The case's state and closing, from where its flows stand.
        state, closed, reason = CandidateState.DOSSIER, None, ""
        if scenario == "withdrawn":
            state, closed, reason = CandidateState.WITHDRAWN, days.date(finished[-1]), "Quần chúng xin rút"
        elif scenario == "sourcing_open":
            state = SOURCING_OPEN_STATE[nodes[-1][1]]
        elif scenario in ("vote_failed", "refused"):
            state, closed, reason = CandidateState.NOT_ADMITTED, days.date(finished[-1]), "Không đủ số phiếu tán thành"
        elif scenario == "proposed_open":
            state = CandidateState.PROPOSED
        elif scenario == "admitted_open":
            state = CandidateState.ADMITTED
        elif scenario in ("probationary", "recognition_open"):
            state = CandidateState.PROBATIONARY
        elif scenario == "official":
            state, closed = CandidateState.OFFICIAL, days.date(finished[-1])
        self.cases.row(
            cid,
            code,
            1,
            state,
            opened,
            closed,
            reason,
            "cell",
            "",
            opened,
            "",
            done_on("list_sympathiser"),
            "",
            "none",
            False,
            cell,
            pid,
            rs.pk,
            "",
            False,
        )
        if login:
            self.pins.row(cid, pin_hash(cid, PIN), self.days.ts(self.now), None)
        # The approval chain's rows once the cell's vote passed; the step of an open chain task is pending.
        chain_ids: dict[int, int] = {}
        resolution = done_on("cell_vote")
        if resolution and scenario != "vote_failed":
            template = self.chains[(variant, Purpose.ADMISSION)]
            for order, (kind, form, vote_body, deciding) in enumerate(template, start=1):
                org = cell if order == 1 else bodies[order - 2]
                on = resolution if order == 1 else done_on("chain_step", order - 1)
                status = StepStatus.DONE if on else StepStatus.PENDING
                if scenario == "refused" and order > 1 and when.get(("chain_step", order - 1)) == len(nodes) - 3:
                    status = StepStatus.REFUSED
                number = f"{cid % 997 + 1}-{'QĐ' if kind == 'decision' else 'NQ'}/ĐU" if on and order > 1 else ""
                pk = self.ids[ChainStepRecord].take()
                chain_ids[order - 1] = pk
                received = done_on("receive_decision") if kind == "decision" else None
                self.chain_rows.row(
                    cid,
                    received,
                    pk,
                    order,
                    kind,
                    org,
                    form,
                    vote_body,
                    deciding,
                    status,
                    number,
                    on,
                    "",
                    on,
                    self.acting.get(org) if on else None,
                )
        # Membership, ceremony and probation once the ceremony is held.
        probation_id = None
        ceremony = done_on("ceremony")
        recognition: dict[int, int] = {}
        if ceremony:
            decision = done_on("chain_step", len(bodies)) or ceremony
            ends = ceremony + relativedelta(months=12)
            official = scenario == "official"
            mid = self.ids[Membership].take()
            self.members.row(mid, pid, cell, decision, ends if official else None, ceremony, "")
            ceremony_id = self.ids[Ceremony].take()
            self.ceremonies.row(ceremony_id, cid, ceremony, "", "Bí thư chi bộ", "", "", mid, self.acting.get(cell))
            probation_id = self.ids[Probation].take()
            wakes = sum(1 for _f, n, _k in nodes if n == "tick")
            status = ProbationStatus.RUNNING
            opened_recognition = None
            if wakes >= len(WAKES):
                opened_recognition = ends
                status = ProbationStatus.RECOGNISED if official else ProbationStatus.RECOGNITION_DUE
            last = REMINDERS[min(wakes, len(REMINDERS)) - 1] if wakes else None
            self.probations.row(
                probation_id,
                cid,
                ceremony_id,
                mid,
                ceremony,
                12,
                ends,
                status,
                opened_recognition,
                last,
                "",
                closed if official else None,
            )
            cell_vote = done_on("recognition_vote")
            if cell_vote:
                template = self.chains[(variant, Purpose.RECOGNITION)]
                for order, (kind, form, vote_body, deciding) in enumerate(template, start=1):
                    org = cell if order == 1 else bodies[order - 2]
                    on = cell_vote if order == 1 else done_on("recognition_step", order - 1)
                    pk = self.ids[RecognitionStep].take()
                    recognition[order - 1] = pk
                    self.recognition_rows.row(
                        probation_id,
                        1,
                        "",
                        pk,
                        order,
                        kind,
                        org,
                        form,
                        vote_body,
                        deciding,
                        StepStatus.DONE if on else StepStatus.PENDING,
                        "",
                        on,
                        "",
                        on,
                        self.acting.get(org) if on else None,
                    )
        if open_at is not None and nodes[open_at][1] in ("approve_attendance", "record_result"):
            approved = nodes[open_at][1] == "record_result"
            self.enrollments.row(
                self.courses[organiser],
                cid,
                approver,
                EnrollmentState.APPROVED if approved else EnrollmentState.PROPOSED,
                done_on("propose_training"),
                done_on("approve_attendance") if approved else None,
                None,
                "",
            )
        self.write_flows(
            cid,
            scenario,
            nodes,
            created,
            finished,
            open_at,
            cell,
            approver,
            organiser,
            bodies,
            rs,
            chain_ids,
            recognition,
            resolution,
            ceremony,
        )

    def write_flows(
        self,
        cid: int,
        scenario: str,
        nodes: list[tuple[int, str, int]],
        created: list[float],
        finished: list[float],
        open_at: int | None,
        cell: int,
        approver: int,
        organiser: int,
        bodies: tuple[int, ...],
        rs: RuleSet,
        chain_ids: dict[int, int],
        recognition: dict[int, int],
        resolution: date | None,
        ceremony: date | None,
    ) -> None:
        rng, days, ts = self.rng, self.days, self.days.ts
        process_of: dict[int, int] = {}
        spans: dict[int, list[int]] = {}
        for idx, (f, _n, _k) in enumerate(nodes):
            spans.setdefault(f, []).append(idx)
        for f, idxs in spans.items():
            pk = self.ids[Process].take()
            process_of[f] = pk
            last = idxs[-1]
            ended = nodes[last][1] == "end"
            if scenario == "withdrawn":
                status, end = PROCESS.CANCELED, finished[last]
            elif ended:
                status, end = PROCESS.DONE, finished[last]
            else:
                status, end = PROCESS.NEW, None
            self.processes.row(pk, self.flow_refs[f], status, ts(created[idxs[0]]), ts(end), "{}", self.case_ct, cid)
            self.counts.processes += 1
        probation_end = ceremony + relativedelta(months=12) if ceremony else None
        recognition_vote_on = None
        out = []
        task_ids = self.ids[Task]
        for idx, (f, n, k) in enumerate(nodes):
            tid = task_ids.next
            task_ids.next += 1
            kind = self.node_type[(f, n)]
            c = created[idx]
            status, started, fin, scheduled = STATUS.DONE, None, finished[idx], None
            if kind == "HUMAN":
                if n in ("chain_step", "recognition_step"):
                    org = bodies[k - 1]
                elif n == "approve_attendance":
                    org = approver
                elif n == "record_result":
                    org = organiser
                else:
                    org = cell
                step = DUE_STEP.get(n, DeadlineStep.DEFAULT_TASK)
                start = days.date(c)
                if n == "chain_step" and resolution:
                    start = resolution
                elif n == "ceremony":
                    received = [i for i, (_f, m, _k) in enumerate(nodes) if m == "receive_decision"]
                    start = days.date(finished[received[0]]) if received else start
                elif n == "recognition_vote" and probation_end:
                    start = probation_end
                elif n == "recognition_step" and recognition_vote_on:
                    start = recognition_vote_on
                data = f'{{"due_on": "{self.due(rs, step, start)}"'
                if n == "chain_step":
                    data += f', "chain_step": {chain_ids.get(k, "null")}'
                elif n == "recognition_step":
                    data += f', "recognition_step": {recognition.get(k, "null")}'
                data += "}"
                owner: int | None = self.acting.get(org)
                assigned = None
                if idx == open_at:
                    fin = None
                    roll = rng.random()
                    if roll < 0.85:
                        status, owner = STATUS.NEW, None
                    else:
                        status = STATUS.ASSIGNED if roll < 0.95 else STATUS.STARTED
                        assigned = c + rng.uniform(600, 2 * DAY)
                        started = assigned if status == STATUS.STARTED else None
                    self.counts.open_tasks += 1
                elif scenario == "withdrawn" and idx == len(nodes) - 1:
                    status, owner = STATUS.CANCELED, None
                else:
                    started = fin - rng.uniform(300, 7200)
                    assigned = started
                if n == "recognition_vote" and fin is not None:
                    recognition_vote_on = days.date(fin)
                out.append(
                    f"{tid}\t{self.node_prefix[(f, n)]}{status}\t{ts(c)}\t{ts(started)}\t{ts(fin)}\tstart\t"
                    f"admission.act_for_org\t{val(owner)}\t{process_of[f]}\t{self.org_ct}\t{org}\t"
                    f"{ts(assigned)}\t{data}\t{NULL}\n"
                )
                continue
            if kind == "TIMER":
                scheduled = fin
                if idx == len(nodes) - 1 and scenario == "probationary":
                    status, fin = STATUS.SCHEDULED, None
            elif kind in ("START", "END"):
                started = c
            out.append(
                f"{tid}\t{self.node_prefix[(f, n)]}{status}\t{ts(c)}\t{ts(started)}\t{ts(fin)}\tstart\t"
                f"{NULL}\t{NULL}\t{process_of[f]}\t{NULL}\t{NULL}\t{NULL}\t{{}}\t{ts(scheduled)}\n"
            )
        self.counts.tasks += len(out)
        self.task_buffer.extend(out)
        if len(self.task_buffer) > 20000:
            self.task_copy.write("".join(self.task_buffer))
            self.task_buffer.clear()

    # -- the whole country --------------------------------------------------------------------------------------

    def generate(self, n: int, logins: list[int]) -> Counts:
        shares = [share for _name, share in SCENARIOS]
        names = [name for name, _share in SCENARIOS]
        plan = self.rng.choices(range(len(names)), weights=shares, k=n)
        eligible = [i for i, s in enumerate(plan) if names[s] in LOGIN_SCENARIOS]
        chosen = sorted(self.rng.sample(eligible, min(len(logins), len(eligible))))
        login_of = {i: (logins[j], f"KN-UV-{j + 1:06d}") for j, i in enumerate(chosen)}
        columns = ", ".join(f'"{column(Task, name)}"' for name in TASK_FIELDS)
        self.task_buffer: list[str] = []
        began = time.perf_counter()
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table(Task)} ({columns}) FROM STDIN") as cp:
            self.task_copy = cp
            for i, s in enumerate(plan):
                self.case(i, names[s], login_of.get(i))
                if i and i % 100_000 == 0:
                    log(f"  {i:,} cases, {self.counts.tasks:,} tasks ({time.perf_counter() - began:.0f} s)")
            if self.task_buffer:
                cp.write("".join(self.task_buffer))
        log(f"  tasks streamed: {self.counts.tasks:,} in {time.perf_counter() - began:.0f} s; loading the other tables")
        for writer in (
            self.people,
            self.cases,
            self.members,
            self.ceremonies,
            self.probations,
            self.chain_rows,
            self.recognition_rows,
            self.processes,
            self.pins,
            self.enrollments,
        ):
            began = time.perf_counter()
            count = writer.load()
            log(f"  {table(writer.model)}: {count:,} rows in {time.perf_counter() - began:.0f} s")
        for ids in self.ids.values():
            ids.close()
        return self.counts


# ------------------------------------------------------------------------------------------------------------------
# The build
# ------------------------------------------------------------------------------------------------------------------

LOADED = [Person, Candidate, Membership, Ceremony, Probation, ChainStepRecord, RecognitionStep, Process, Task, WorkItem]
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def work_items_fill() -> int:
    """One row per open human task owned through an org, as `work_item_sync` and the 0004 back-fill write it."""
    case_ct = ContentType.objects.get_for_model(Candidate).pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table(WorkItem)} (task_id, candidate_id, org_id, cell_path, flow, node, due_on, created)
            SELECT t.id, c.id, t.owner_permission_obj_pk::bigint, o.path,
                   substring(t.flow_task from '\\.([A-Za-z0-9_]+)\\.[A-Za-z0-9_]+$'),
                   substring(t.flow_task from '([A-Za-z0-9_]+)$'),
                   (t.data ->> 'due_on')::date, t.created
            FROM {table(Task)} t
            JOIN {table(Process)} p ON p.id = t.process_id
            JOIN {table(Candidate)} c ON c.id = p.artifact_object_id
            JOIN {table(PartyOrg)} o ON o.id = c.cell_id
            WHERE t.status = ANY(%s) AND t.flow_task_type = 'HUMAN' AND t.owner_permission_obj_pk IS NOT NULL
              AND p.artifact_content_type_id = %s
            """,
            [list(OPEN), case_ct],
        )
        return int(cursor.rowcount)


INTEGRITY = (
    (
        "task → process",
        f"SELECT count(*) FROM {table(Task)} t LEFT JOIN {table(Process)} p ON p.id = t.process_id WHERE p.id IS NULL",
    ),
    (
        "process → case",
        f"SELECT count(*) FROM {table(Process)} p LEFT JOIN {table(Candidate)} c "
        "ON c.id = p.artifact_object_id WHERE c.id IS NULL",
    ),
    (
        "case → person",
        f"SELECT count(*) FROM {table(Candidate)} c LEFT JOIN {table(Person)} p ON p.id = c.person_id "
        "WHERE p.id IS NULL",
    ),
    (
        "chain step → case",
        f"SELECT count(*) FROM {table(ChainStepRecord)} s LEFT JOIN {table(Candidate)} c "
        "ON c.id = s.candidate_id WHERE c.id IS NULL",
    ),
    (
        "probation → ceremony",
        f"SELECT count(*) FROM {table(Probation)} p LEFT JOIN {table(Ceremony)} c "
        "ON c.id = p.ceremony_id WHERE c.id IS NULL",
    ),
    (
        "open task without work item",
        f"SELECT count(*) FROM {table(Task)} t LEFT JOIN {table(WorkItem)} w "
        "ON w.task_id = t.id WHERE t.status IN ('NEW', 'ASSIGNED', 'STARTED') AND t.flow_task_type = 'HUMAN' "
        "AND w.task_id IS NULL",
    ),
    (
        "open cases with two open tasks",
        f"SELECT count(*) FROM (SELECT candidate_id FROM {table(WorkItem)} "
        "GROUP BY candidate_id HAVING count(*) > 1) x",
    ),
)


def integrity_check() -> None:
    with connection.cursor() as cursor:
        for label, sql in INTEGRITY:
            cursor.execute(sql)
            bad = cursor.fetchone()[0]
            if bad:
                raise SystemExit(f"integrity check failed: {label}: {bad}")


def work_items_check(n: int = 60) -> int:
    """Re-run the product's own `work_item_sync` on a sample of open tasks (rolled back): the rows must not move."""
    from workflows.worklist import work_item_sync

    fields = ("candidate_id", "org_id", "cell_path", "flow", "node", "due_on", "created")
    sample = list(WorkItem.objects.order_by("?").values_list("task_id", *fields)[:n])
    for task_id, *before in sample:
        with transaction.atomic():
            work_item_sync(Task.objects.get(pk=task_id))
            after = list(WorkItem.objects.filter(task_id=task_id).values_list(*fields).get())
            transaction.set_rollback(True)
        if after != before:
            raise SystemExit(f"work item of task {task_id} differs from work_item_sync: {before} != {after}")
    return len(sample)


def candidate_logins() -> list[int]:
    hashed = password_hash()
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(username=f"bench.ungvien.{n + 1:03d}", password=hashed, date_joined=now, is_active=True)
            for n in range(CANDIDATE_LOGINS)
        ]
    )
    return [user.pk for user in users]


def build(sizes: Sizes, seed: int) -> dict[str, Any]:
    began = time.perf_counter()
    meta_set("build", {"scale": sizes.scale, "complete": False})
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # foreign keys are checked once, below
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET work_mem = '256MB'")  # the work items are one join over every task
    tree = build_tree(sizes, rng)
    log(f"tree: {len(tree.path):,} orgs ({time.perf_counter() - began:.0f} s)")
    acting = build_logins(tree, rng)
    logins = candidate_logins()
    log(f"logins, roles and grants: {len(acting) + len(logins):,} ({time.perf_counter() - began:.0f} s)")
    folder = Path(tempfile.mkdtemp(prefix="bench_national_"))
    try:
        with indexes_dropped(LOADED):
            counts = Country(tree, acting, rng, folder).generate(sizes.cases, logins)
            with connection.cursor() as cursor:
                for model in (Task, Process, Candidate, PartyOrg):
                    cursor.execute(f"ANALYZE {table(model)}")  # a plan made for empty tables would crawl
            items = work_items_fill()
            log(f"work items: {items:,} ({time.perf_counter() - began:.0f} s)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = origin")
    integrity_check()
    vacuum_began = time.perf_counter()
    with connection.cursor() as cursor:
        for model in [*LOADED, PartyOrg, OrgParentLink, User, Role, UserObjectPermission, LookupPin]:
            cursor.execute(f"VACUUM (ANALYZE) {table(model)}")
    log(f"vacuum analyze: {time.perf_counter() - vacuum_began:.0f} s")
    checked = work_items_check()
    seconds = round(time.perf_counter() - began, 1)
    record = {
        "scale": sizes.scale,
        "complete": True,
        "seconds": seconds,
        "provinces": sizes.provinces,
        "communes": sizes.communes,
        "cells": sizes.cells,
        "orgs": len(tree.path),
        "cases": counts.cases,
        "processes": counts.processes,
        "tasks": counts.tasks,
        "open_tasks": counts.open_tasks,
        "work_items": items,
        "logins": len(acting) + len(logins),
        "by_scenario": counts.by_scenario,
        "work_items_checked_against_work_item_sync": checked,
        "built_at": timezone.now().isoformat(),
    }
    meta_set("build", record)
    log(f"built in {seconds:.0f} s: {counts.cases:,} cases, {counts.tasks:,} tasks, {items:,} open steps")
    return record


def migrations_pending() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def ensure_built(url: str, sizes: Sizes, seed: int) -> tuple[dict[str, Any], bool]:
    """Reuse a complete build at this scale whose schema is current; otherwise build afresh. A build made before
    new migrations is rebuilt rather than migrated: their data migrations (back-fills) are not what is measured."""
    record = meta_get("build")
    pending = migrations_pending()
    if record and record.get("complete") and record.get("scale") == sizes.scale and not pending:
        return record, True
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [table(Candidate)])
        has_cases = cursor.fetchone()[0] is not None and Candidate.objects.exists()
    if record is not None or has_cases:
        why = "an unfinished build" if not record or not record.get("complete") else f"scale {record.get('scale')}"
        if record and record.get("complete") and record.get("scale") == sizes.scale:
            why = f"a build older than migrations {', '.join(pending)}"
        log(f"the database holds {why}: dropping and rebuilding it")
        connections.close_all()
        database_ensure(url, drop=True)
    call_command("migrate", verbosity=0)
    return build(sizes, seed), False


# ------------------------------------------------------------------------------------------------------------------
# The measured users (real role service) and the cases for the step API (real services and flows)
# ------------------------------------------------------------------------------------------------------------------


def busiest(kinds: tuple[str, ...]) -> PartyOrg:
    """The org of these kinds with the most open steps in the data."""
    from django.db.models import Count

    row = (
        WorkItem.objects.filter(org__kind__in=kinds)
        .values("org_id")
        .annotate(n=Count("task_id"))
        .order_by("-n", "org_id")
        .first()
    )
    if row is None:
        raise SystemExit(f"no open step belongs to an org of kind {kinds}")
    return PartyOrg.objects.get(pk=row["org_id"])


def login(username: str, org: PartyOrg, kind: str) -> Any:
    """A login with one role at `org`, given through the real role service (which writes the guardian grant)."""
    from admission.party.services.roles import role_assign

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, password=password_hash(), date_joined=timezone.now())
    if not Role.objects.filter(user=user, org=org, kind=kind).exists():
        role_assign(user=user, org=org, kind=kind, starts_on=ROLE_FROM)
    return user


@dataclass
class Measured:
    commune: PartyOrg
    province: PartyOrg
    cell: PartyOrg
    committee: Any
    board: Any
    secretary: Any
    # The commune whose new cells hold the cases the step API completes, and its standing committee: not the
    # measured commune, so that repeated runs do not lengthen the measured committee's work page.
    step_commune: PartyOrg
    step_committee: Any


def measured_users() -> Measured:
    saved = meta_get("measured") or {}
    if saved:
        commune, province, cell = (PartyOrg.objects.get(pk=saved[k]) for k in ("commune", "province", "cell"))
    else:
        commune = busiest((OrgKind.COMMUNE_COMMITTEE,))
        province = busiest((OrgKind.PROVINCE_COMMITTEE,))
        cell = busiest(OrgKind.cell_kinds())
    step_commune = PartyOrg.objects.filter(pk=saved.get("step_commune")).first() or (
        PartyOrg.objects.filter(kind=OrgKind.COMMUNE_COMMITTEE, path__startswith=province.path)
        .exclude(pk=commune.pk)
        .order_by("pk")
        .first()
        or commune
    )
    meta_set(
        "measured", {"commune": commune.pk, "province": province.pk, "cell": cell.pk, "step_commune": step_commune.pk}
    )
    return Measured(
        commune,
        province,
        cell,
        login("bench.m.btv", commune, RoleKind.STANDING_COMMITTEE_MEMBER),
        login("bench.m.tochuc", province, RoleKind.ORG_BOARD_OFFICER),
        login("bench.m.bithu", cell, RoleKind.CELL_SECRETARY),
        step_commune,
        login("bench.s.btv", step_commune, RoleKind.STANDING_COMMITTEE_MEMBER),
    )


TOTP_SALT = b"bench-totp-2026"


def totp_key(username: str) -> str:
    """The authenticator secret of a bench login (20 bytes, hex), derived from its name: bench/load.py computes the
    same codes with the standard library."""
    return hmac.new(TOTP_SALT, username.encode(), hashlib.sha1).hexdigest()


def second_factors() -> int:
    """A confirmed authenticator (django-otp TOTP) for every bench login whose role needs the second factor
    (settings.TWO_FACTOR_ROLES), as if each had set one up; returns how many were added."""
    from django.conf import settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    kinds = tuple(getattr(settings, "TWO_FACTOR_ROLES", ()))
    if not kinds:
        return 0
    users = (
        User.objects.filter(username__startswith="bench.", roles__kind__in=kinds)
        .exclude(pk__in=TOTPDevice.objects.values("user_id"))
        .distinct()
    )
    devices = [TOTPDevice(user=u, name="bench", confirmed=True, key=totp_key(u.username)) for u in users]
    TOTPDevice.objects.bulk_create(devices, batch_size=5000)
    return len(devices)


def session_login(client: Client, user: Any) -> None:
    """A signed-in session for the test client, verified by the user's authenticator when they have one (what a
    sign-in and its second factor leave behind), written directly: the sign-in itself is not what is measured."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def weekday_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def step_cases(commune: PartyOrg, count: int, *, voted: bool) -> list[tuple[Candidate, Any]]:
    """`count` cases, each in its own new grassroots cell of `commune` (seven official members, a secretary with
    that one role), walked through the real services and flows to the cell's vote (or, `voted`, past it to the
    commune's decision), as the demo does. Returns (case, the cell's secretary)."""
    from admission.party.services.orgs import org_create
    from admission.party.services.people import person_get_or_create
    from demo.dossier import fill_dossier
    from workflows import services
    from workflows.steps import STEPS

    run_no = int(meta_get("step_runs") or 0) + 1
    meta_set("step_runs", run_no)
    today = timezone.localdate()
    resolution = weekday_before(today - timedelta(days=3))
    start = resolution - timedelta(days=100)
    serial = int(meta_get("step_serial") or 0)
    cases = []

    def run(case: Candidate, node: str, data: dict[str, Any]) -> None:
        case = Candidate.objects.get(pk=case.pk)
        services.run_step(
            candidate=case, node_name=node, user=secretary, action=lambda: STEPS[node].action(case, secretary, data)
        )

    secretary: Any = None

    def person(name: str, born: date) -> Person:
        nonlocal serial
        serial += 1
        return person_get_or_create(
            citizen_id=f"001{(born.year // 100 - 19) * 2}{born.year % 100:02d}{serial:06d}",
            full_name=name,
            date_of_birth=born,
            sex="male",
            youth_union_member=True,
        )[0]

    for k in range(count):
        cell = org_create(
            code=f"BSTEP.{run_no}.{'V' if voted else 'D'}{k:03d}",
            name=f"Chi bộ thôn Đo {run_no}-{k + 1}",
            kind=OrgKind.GRASSROOTS_CELL,
            parent=commune,
            valid_from=D0,
        )
        secretary = login(f"bench.step.{run_no}.{'v' if voted else 'd'}{k:03d}", cell, RoleKind.CELL_SECRETARY)
        for m in range(7):
            member = person(f"Đảng Viên Đo {m + 1}", date(1975 + m, 3, 1))
            Membership.objects.create(
                person=member,
                cell=cell,
                admitted_on=date(2009, 1, 1),
                official_on=date(2010, 1, 1),
                joined_cell_on=date(2009, 1, 1),
            )
        with transaction.atomic():
            case = services.case_nominate(
                person=person(f"Quần Chúng Đo {k + 1}", date(1999, 5, 5)),
                cell=cell,
                nominated_by="youth_union",
                nominated_on=start - timedelta(days=60),
                by=secretary,
            )
            listed = start - timedelta(days=50)
            run(case, "list_sympathiser", {"meeting_on": listed})
            mentors = list(Membership.objects.filter(cell=cell).official_on(listed)[:1])
            run(case, "assign_mentors", {"members": mentors, "assigned_on": listed + timedelta(days=1)})
            certificate = {
                "certificate_number": f"{case.pk}/GCN-TTCT",
                "certificate_issued_on": start - timedelta(days=20),
                "certificate_issuer": "Trung tâm Chính trị",
            }
            run(case, "propose_training", certificate)
            run(case, "open_dossier", {"confirm": True})
            fill_dossier(Candidate.objects.get(pk=case.pk), by=secretary, start=start)
            run(case, "prepare_dossier", {"confirm": True})
            if voted:
                present = list(Membership.objects.filter(cell=cell).active_on(resolution))
                vote = {"held_on": resolution, "present": present, "votes_for": len(present), "votes_against": 0}
                run(case, "cell_vote", vote)
        cases.append((Candidate.objects.get(pk=case.pk), secretary))
    meta_set("step_serial", serial)
    return cases


# ------------------------------------------------------------------------------------------------------------------
# Measurements
# ------------------------------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))]


def summary(times: list[float]) -> dict[str, Any]:
    if not times:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "max_ms": None}
    ms = [t * 1000 for t in times]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(pct(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
    }


def slowest(captured: list[dict[str, str]], n: int = 3) -> list[dict[str, Any]]:
    ranked = sorted(captured, key=lambda q: float(q.get("time") or 0), reverse=True)[:n]
    return [{"ms": round(float(q.get("time") or 0) * 1000, 1), "sql": q["sql"]} for q in ranked]


def breakdown(captured: list[dict[str, str]]) -> dict[str, int]:
    """How many statements of each kind on each table (the first table named), most frequent first."""
    import re
    from collections import Counter

    counts: Counter[str] = Counter()
    for query in captured:
        sql = query["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper() if sql else "?"
        found = re.search(r'(?:FROM|INTO|UPDATE)\s+"?([A-Za-z0-9_]+)"?', sql, re.IGNORECASE)
        counts[f"{verb} {found.group(1) if found else ''}".strip()] += 1
    return dict(counts.most_common())


def shorten(result: dict[str, Any]) -> dict[str, Any]:
    """EXPLAIN the slowest query of a measurement, then keep only the start of each query's text."""
    queries = result.get("slowest_queries") or []
    if queries and queries[0]["sql"].lstrip().upper().startswith("SELECT"):  # never EXPLAIN ANALYZE a write
        result["explain_slowest"] = explain(queries[0]["sql"])
    for query in queries:
        query["sql"] = query["sql"][:500]
    return result


def explain(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [row[0] for row in cursor.fetchall()]


@contextmanager
def counted() -> Iterator[CaptureQueriesContext]:
    """CaptureQueriesContext on an emptied query log: the log keeps 9,000 queries, and a capture that starts on a
    full log sees none of its own."""
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        yield queries


def measure_get(user: Any, url: str, repeat: int, budget: float = 180.0) -> dict[str, Any]:
    """GET `url` as `user`: two warm-up requests, `repeat` timed ones (within `budget` seconds), one counted."""
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    session_login(client, user)
    for _ in range(2):
        response = client.get(url)
        if response.status_code != 200:
            log(f"GET {url} as {user.username}: {response.status_code}")
            return {"url": url, **summary([]), "status": response.status_code, "error": response.content[:300]}
    times = []
    deadline = time.perf_counter() + budget
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        if response.status_code != 200 or time.perf_counter() > deadline:
            break
    with counted() as queries:
        response = client.get(url)
    result = {"url": url, **summary(times), "queries": len(queries.captured_queries), "bytes": len(response.content)}
    result["slowest_queries"] = slowest(queries.captured_queries)
    return result


def measure_call(fn: Callable[[], Any], repeat: int, budget: float = 180.0) -> dict[str, Any]:
    fn()
    times = []
    deadline = time.perf_counter() + budget
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
        if time.perf_counter() > deadline:
            break
    with counted() as queries:
        result = fn()
    return {
        **summary(times),
        "queries": len(queries.captured_queries),
        "result": result,
        "slowest_queries": slowest(queries.captured_queries),
    }


def work_pages(m: Measured, repeat: int) -> dict[str, Any]:
    from workflows import worklist

    out = {}
    for label, user, org in (
        ("commune_standing_committee", m.committee, m.commune),
        ("province_organisation_board", m.board, m.province),
        ("cell_secretary", m.secretary, m.cell),
    ):
        rows = worklist.work_counts(worklist.work_items_for_user(user=user)).total
        above = len(worklist.waiting_above_for_user(user=user))
        result = measure_get(user, "/app/admission/home/", repeat)
        result.update(user=user.username, org=org.name, org_id=org.pk, rows=rows, waiting_above=above)
        shorten(result)
        out[label] = result
        if not result["n"]:
            continue
        log(
            f"work page, {label}: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['queries']} queries, "
            f"{rows} rows + {above} waiting above"
        )
        out[label] = result
    return out


ALL_FLOWS = "all flows"


def stock_queue(m: Measured, repeat: int) -> dict[str, Any]:
    """viewflow's queue for the commune committee: what its queue page (FlowQueueListView) evaluates, the tasks of
    `Task.objects.user_queue(user)` still NEW, newest first, counted and the first page of 25 read with their
    process; for all flows together and per flow. The queue pages themselves when this user may open them."""
    out: dict[str, Any] = {}

    def queue_of(flow: Any) -> Callable[[], int]:
        def evaluate() -> int:
            user = User.objects.get(pk=m.committee.pk)  # a fresh user, as in a request: the grants are read again
            queue = Task.objects.user_queue(user, flow_class=flow).filter(status=STATUS.NEW).order_by("-created")
            total = queue.count()
            list(queue.select_related("process")[:PAGE])
            return total

        return evaluate

    for label, flow in (
        (ALL_FLOWS, None),
        *((f.__name__, f) for f in (AdmissionCaseFlow, SourcingFlow, ProbationFlow)),
    ):
        # One flow's queue scans the whole task table when the committee has fewer than a page of NEW tasks in it
        # (see the EXPLAIN in the result): seconds to a minute each at the larger scales, so a shorter budget.
        result = measure_call(queue_of(flow), repeat, budget=180.0 if flow is None else 60.0)
        shorten(result)
        log(
            f"user_queue(user{', ' + label if flow else ''}).filter(status=NEW): count + first {PAGE}: "
            f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['queries']} queries, "
            f"{result['result']} tasks"
        )
        out[label] = result
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    session_login(client, m.committee)
    for flow in (AdmissionCaseFlow, SourcingFlow, ProbationFlow):
        url = flow.instance.reverse("queue")
        status = client.get(url).status_code
        if status == 200:
            result = shorten(measure_get(m.committee, url, repeat))
            log(f"queue page {url}: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['queries']} q")
        else:
            result = {"url": url, "status": status}
            log(f"queue page {url}: {status} for this user (the engine's pages are not for committees)")
        out[url] = result
    return out


def steps_api(m: Measured, repeat: int) -> dict[str, Any]:
    """Complete a cell vote and the commune's decision through the API, each on a case prepared for it."""
    from admission.decisions.services.decisions import next_step
    from notifications.tasks import scan

    began = time.perf_counter()
    vote_cases = step_cases(m.step_commune, repeat + 1, voted=False)
    chain_cases = [(case, m.step_committee) for case, _secretary in step_cases(m.step_commune, repeat + 1, voted=True)]
    prepared = len(vote_cases) + len(chain_cases)
    log(f"prepared {prepared} cases through the real flows ({time.perf_counter() - began:.0f} s)")
    today = timezone.localdate()
    resolution = weekday_before(today - timedelta(days=3))
    out: dict[str, Any] = {}
    for step, cases in (("cell_vote", vote_cases), ("chain_step", chain_cases)):
        times, counts, failures = [], [], 0
        last: list[dict[str, str]] = []
        first_failure = ""
        client, current = Client(HTTP_ACCEPT_LANGUAGE="vi"), None
        for n, (case, user) in enumerate(cases):
            if user != current:
                session_login(client, user)
                current = user
            if step == "cell_vote":
                members = list(
                    Membership.objects.filter(cell=case.cell).active_on(resolution).values_list("pk", flat=True)
                )
                payload: dict[str, Any] = {
                    "held_on": resolution.isoformat(),
                    "present": members,
                    "votes_for": len(members),
                    "votes_against": 0,
                }
            else:
                pending = next_step(case)
                assert pending is not None
                payload = {
                    "step": pending.pk,
                    "outcome": "approve",
                    "on": today.isoformat(),
                    "note": "",
                    "document_number": f"{case.pk}-QĐ/ĐU",
                }
            url = f"/api/v1/candidates/{case.pk}/steps/{step}/"
            with counted() as queries:
                started = time.perf_counter()
                response = client.post(url, payload, content_type="application/json")
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                failures += 1
                first_failure = first_failure or f"{response.status_code} {response.content[:300]!r}"
                if failures <= 3:
                    log(f"  {step} on case {case.pk}: {response.status_code} {response.content[:300]!r}")
                continue
            if n == 0:
                continue  # the first completion warms the code paths
            times.append(elapsed)
            counts.append(len(queries.captured_queries))
            last = queries.captured_queries
        result = {
            **summary(times),
            "queries_median": int(statistics.median(counts)) if counts else None,
            "queries_max": max(counts) if counts else None,
            "failures": failures,
            "first_failure": first_failure,
            "slowest_queries": [{**q, "sql": q["sql"][:500]} for q in slowest(last)],
            "statements": breakdown(last),
        }
        scans, scan_queries = [], []
        for case, _user in cases[1:]:
            with counted() as queries:
                started = time.perf_counter()
                scan.call(case.pk)
                scans.append(time.perf_counter() - started)
            scan_queries.append(len(queries.captured_queries))
        result["background_scan"] = {**summary(scans), "queries_median": int(statistics.median(scan_queries))}
        if not times:
            log(f"API {step}: no completion succeeded ({failures} failures): {first_failure}")
            out[step] = result
            continue
        log(
            f"API {step}: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['queries_median']} queries "
            f"(max {result['queries_max']}), {failures} failures; its background scan p95 "
            f"{result['background_scan']['p95_ms']} ms"
        )
        out[step] = result
    return out


def worst(values: Iterable[Any]) -> Any:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def product_state() -> dict[str, Any]:
    """Which code was measured: the commit and how many files differ from it (read-only git commands)."""
    import subprocess

    root = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    return {
        "head": git("rev-parse", "--short", "HEAD").strip(),
        "changed_files": len(git("status", "--porcelain").splitlines()),
    }


def main() -> None:
    assert ARGS is not None
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 403 of a queue page is a result, not noise
    sizes = Sizes.at(ARGS.scale)
    log(f"database {connection.settings_dict['NAME']}, scale {sizes.scale}: {sizes}")
    record, reused = ensure_built(ARGS.database_url, sizes, ARGS.seed)
    if reused:
        log(f"reusing the data built in {record['seconds']} s: {record['cases']:,} cases, {record['tasks']:,} tasks")
    import config.urls  # noqa: F401  (nodes reverse their URLs once the URLconf is loaded)

    measured = measured_users()
    log(f"authenticators added for bench logins that need a second factor: {second_factors()}")
    pages = work_pages(measured, ARGS.repeat)
    queue = {} if ARGS.skip_stock_queue else stock_queue(measured, ARGS.repeat)
    steps = steps_api(measured, ARGS.repeat)
    stock = queue.get(ALL_FLOWS) or {"p95_ms": None, "queries": None}
    result = {
        "scale": sizes.scale,
        "database": connection.settings_dict["NAME"],
        "reused": reused,
        "build_seconds": record["seconds"],
        "cases": record["cases"],
        "tasks": record["tasks"],
        "open_tasks": record["open_tasks"],
        "processes": record["processes"],
        "orgs": record["orgs"],
        "work_page_p95_ms": worst(p.get("p95_ms") for p in pages.values()),
        "work_page_queries": worst(p.get("queries") for p in pages.values()),
        "stock_queue_p95_ms": stock["p95_ms"],
        "stock_queue_queries": stock["queries"],
        "stock_queue_measured": "Task.objects.user_queue(user).filter(status=NEW).order_by('-created'): count() and "
        "the first 25 with their process (what viewflow's queue page evaluates), all three flows",
        "step_api_p95_ms": worst(s.get("p95_ms") for s in steps.values()),
        "step_api_queries": worst(s.get("queries_max") for s in steps.values()),
        "load_average": os.getloadavg(),
        "product": product_state(),
        "measured_at": timezone.now().isoformat(timespec="seconds"),
        "work_pages": pages,
        "stock_queue": queue,
        "steps": steps,
        "build": record,
    }
    if ARGS.json:
        print(json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
