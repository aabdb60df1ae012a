"""The upgrade drill (issue 15): a database with open cases at every step, built by the previous release's demo
commands, migrated to the current code, then every case advanced one step.

The previous release's demo database is committed (tests/fixtures/upgrade/, made by scripts/upgrade_fixture.py: the
release, the day and the command are in its fixture.json), so the drill needs no git history. It is loaded into a
database of its own, never the test database: on PostgreSQL a new `drill_upgrade_<random>` database on the test's
server, loaded with psql and dropped afterwards; on SQLite a file in a temporary folder. Against it, in subprocesses
of the current code, as a deployment runs them (README, "Production processes"): `manage.py flows_check`,
`manage.py migrate`, `flows_check` again; then tests/admission/upgrade_advance.py advances every open human task
one step through its step page as a user of the task's org, makes the probation timers the release left due and runs
`manage.py timers_sweep` (each must fire or move on), and `manage.py history_verify` checks the history.

Runs in `make test` on the suite's database vendor (SQLite locally, PostgreSQL in CI); about half a minute.
"""

from __future__ import annotations

import gzip
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql
from viewflow.workflow import flow

from tests.postgres import connect
from workflows.manifest import FLOWS

ROOT = Path(settings.BASE_DIR)
FIXTURES = ROOT / "tests" / "fixtures" / "upgrade"
FLOW_NAMES = {"SourcingFlow": "sourcing", "AdmissionCaseFlow": "admission", "ProbationFlow": "probation"}

# The human steps where the demo (`seed_demo_cases`) leaves a case waiting: the fixture must hold an open task at
# each of them, so that the drill advances a case from every one.
DEMO_COVERS = {
    "sourcing": {
        "list_sympathiser",
        "assign_mentors",
        "propose_training",
        "approve_attendance",
        "record_result",
        "open_dossier",
    },
    "admission": {"prepare_dossier", "cell_vote", "chain_step", "receive_decision", "ceremony"},
    "probation": {"recognition_vote", "recognition_step", "receive_transfer", "decide_removal", "decide_escalation"},
}
# The human steps where no demo case waits, and why (none today). A step added to a flow must go in one of the two
# lists: teach the demo to leave a case there, or say here why it cannot.
NOT_COVERED: dict[str, dict[str, str]] = {}


@dataclass
class Drill:
    made_on: str
    runs: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)

    def succeeded(self, name: str) -> bool:
        done = self.runs.get(name)
        return done is not None and done.returncode == 0

    def explain(self, name: str) -> str:
        done = self.runs.get(name)
        if done is None:
            return f"{name} did not run: a command before it failed ({', '.join(self.runs)})"
        return f"{name} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def _fixture(vendor: str) -> tuple[Path, str]:
    meta = json.loads((FIXTURES / "fixture.json").read_text(encoding="utf-8"))
    facts = meta["fixtures"].get(vendor)
    assert facts, f"no {vendor} fixture: run scripts/upgrade_fixture.py --release {meta['release'][:7]}"
    return FIXTURES / facts["file"], facts["made_on"]


@contextmanager
def _postgresql_database(dump: Path) -> Iterator[str]:
    """A new database on the test's server, loaded from the plain SQL dump with psql; dropped afterwards."""
    db = connection.settings_dict
    name = f"drill_upgrade_{secrets.token_hex(4)}"
    with connect("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        args = ["psql", "--no-psqlrc", "--quiet", "--no-password", "-v", "ON_ERROR_STOP=1", "--dbname", name]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if db.get(key):
                args += [option, str(db[key])]
        env = {**os.environ, **({"PGPASSWORD": str(db["PASSWORD"])} if db.get("PASSWORD") else {})}
        loaded = subprocess.run(
            args, input=gzip.decompress(dump.read_bytes()), env=env, capture_output=True, check=False, timeout=300
        )
        assert loaded.returncode == 0, loaded.stderr.decode()[-3000:]
        user = quote(str(db.get("USER") or ""), safe="")
        password = f":{quote(str(db['PASSWORD']), safe='')}" if db.get("PASSWORD") else ""
        port = f":{db['PORT']}" if db.get("PORT") else ""
        yield f"postgres://{user}{password}{'@' if user else ''}{db.get('HOST') or ''}{port}/{name}"
    finally:
        with connect("postgres") as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def _sqlite_database(dump: Path, folder: Path) -> Iterator[str]:
    copy = folder / "previous-release.sqlite3"
    copy.write_bytes(gzip.decompress(dump.read_bytes()))
    yield f"sqlite:///{copy}"


# In a deployment's order (README, "Production processes"), then the drill and the history check.
COMMANDS = (
    ("flows_check before migrate", ["manage.py", "flows_check"]),
    ("migrate", ["manage.py", "migrate", "--noinput"]),
    ("flows_check", ["manage.py", "flows_check"]),
    ("advance", ["-m", "tests.admission.upgrade_advance", "--on", "{made_on}"]),
    ("history_verify", ["manage.py", "history_verify"]),
)


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drill]:
    """The whole drill, once for the module; each command stops the ones after it when it fails."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        pytest.fail(f"the upgrade drill has no fixture for {vendor}")
    dump, made_on = _fixture(vendor)
    database = (
        _sqlite_database(dump, tmp_path_factory.mktemp("upgrade")) if vendor == "sqlite" else _postgresql_database(dump)
    )
    drill = Drill(made_on)
    with database as url:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        for name, command in COMMANDS:
            drill.runs[name] = done = subprocess.run(
                [sys.executable, *(part.format(made_on=made_on) for part in command)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=900,
            )
            if done.returncode != 0:
                break
        if "advance" in drill.runs:
            lines = drill.runs["advance"].stdout.splitlines()
            drill.report = next((json.loads(line) for line in reversed(lines) if line.startswith("{")), {})
        yield drill


def _human_nodes() -> dict[str, set[str]]:
    return {
        FLOW_NAMES[f.__name__]: {node.name for node in f.instance.nodes() if isinstance(node, flow.View)} for f in FLOWS
    }


def test_every_human_step_of_the_current_flows_is_either_covered_by_the_demo_or_named_as_not() -> None:
    for name, nodes in _human_nodes().items():
        covered, named = DEMO_COVERS.get(name, set()), set(NOT_COVERED.get(name, {}))
        assert not covered & named, (name, covered & named)
        assert covered | named == nodes, f"{name}: a step is new or gone; put it in DEMO_COVERS or NOT_COVERED"


def test_the_current_code_checks_and_migrates_the_previous_release_database(drill: Drill) -> None:
    for name in ("flows_check before migrate", "migrate", "flows_check"):
        assert drill.succeeded(name), drill.explain(name)


def test_the_previous_release_left_a_case_waiting_at_every_step_the_demo_reaches(drill: Drill) -> None:
    assert drill.report, drill.explain("advance")
    waiting = drill.report.get("open_before", {})
    for name, nodes in DEMO_COVERS.items():
        missing = sorted(node for node in nodes if not waiting.get(name, {}).get(node))
        assert not missing, f"the fixture has no open {name} task at {missing}: {waiting}"
    for name, nodes in NOT_COVERED.items():
        now_covered = sorted(set(nodes) & set(waiting.get(name, {})))
        assert not now_covered, f"the demo now covers {name} {now_covered}: move them to DEMO_COVERS"


def test_every_open_case_advances_one_step_and_its_page_answers(drill: Drill) -> None:
    assert drill.succeeded("advance"), drill.explain("advance")
    report = drill.report
    assert report["failed"] == [], json.dumps(report["failed"], ensure_ascii=False, indent=2)
    opened = sum(count for nodes in report["open_before"].values() for count in nodes.values())
    assert len(report["advanced"]) == opened > 0
    # Each step went through its page (302), then the case page answered 200: upgrade_advance checks both.


def test_every_probation_timer_made_due_fires_or_moves_on(drill: Drill) -> None:
    """The release's probation timers, made due, go through the current `timers_sweep`: a reminder recorded, the
    recognition opened, or (nothing due for that probation today) the timer moved to its next moment; none is still
    due afterwards, and the sweep reports no failure."""
    assert drill.succeeded("advance"), drill.explain("advance")
    timers = drill.report["timers"]
    sweep = timers["sweep"]
    print(f"{timers['made_due']} timer(s) made due: {timers['by_outcome']}\n{sweep['stdout']}")  # nothing_due apart
    assert sweep["returncode"] == 0 and sweep["failures"] == 0, sweep
    assert None not in (sweep["reminders_sent"], sweep["timers_moved_on"], sweep["timers_fired"]), sweep["stdout"]
    assert timers["made_due"] > 0, "the fixture holds no probation timer"
    assert timers["failed"] == [], json.dumps(timers["failed"], ensure_ascii=False, indent=2)
    assert len(timers["outcomes"]) == timers["made_due"]
    assert set(timers["by_outcome"]) <= {"reminder", "recognition_opened", "nothing_due"}, timers["by_outcome"]


def test_the_history_chain_holds_after_the_drill(drill: Drill) -> None:
    assert drill.succeeded("history_verify"), drill.explain("history_verify")
    assert drill.runs["history_verify"].stdout.startswith("OK: history head")
