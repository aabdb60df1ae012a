"""Make the upgrade drill's fixture: the demo database of a release, as `make run` would have left it.

    .venv/bin/python scripts/upgrade_fixture.py --release 49e8d38             # both databases
    .venv/bin/python scripts/upgrade_fixture.py --release 49e8d38 --only sqlite

For the release (any commit of this repository) the script exports its source with `git archive` into a temporary
folder, compiles its Vietnamese messages and runs its demo commands (`migrate`, `seed_demo`, `seed_demo_cases`,
as the Makefile's `run` target does, under `config.settings.dev`) against a fresh database, then writes into
tests/fixtures/upgrade/:

- `demo-sqlite.sqlite3.gz`: the SQLite database file, vacuumed and gzipped;
- `demo-postgresql.sql.gz`: `pg_dump --no-owner --no-privileges` (plain SQL) of a scratch PostgreSQL database
  (`drill_fixture_<random>`, created on the server --postgres-url names and dropped afterwards), gzipped;
- `fixture.json`: the release, the day the demo was made (its dates are relative to that day), when and how.

Files the demo writes (signing keys, generated PDFs) stay in the temporary folder: the drill needs the database
only. The release must run on this checkout's virtual environment (the same pinned requirements). The suite itself
never needs git: tests/admission/test_upgrade_drill.py reads the committed fixture. Regenerate it at each release.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "upgrade"
FILES = {"sqlite": "demo-sqlite.sqlite3.gz", "postgresql": "demo-postgresql.sql.gz"}
DEMO_COMMANDS = (["migrate", "--noinput", "-v", "0"], ["seed_demo"], ["seed_demo_cases"])
TODAY = "from django.utils import timezone; print(timezone.localdate().isoformat())"


def _run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None, stdin: Any = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, stdin=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return str(done.stdout)


def release_export(release: str, into: Path) -> str:
    """The release's full commit id; its source extracted into `into` (no git history is needed afterwards)."""
    commit = _run(["git", "rev-parse", "--verify", f"{release}^{{commit}}"], cwd=ROOT).strip()
    archive = subprocess.Popen(["git", "archive", commit], cwd=ROOT, stdout=subprocess.PIPE)
    _run(["tar", "-x", "-C", str(into)], cwd=ROOT, stdin=archive.stdout)
    if archive.wait() != 0:
        sys.exit(f"git archive {commit} failed")
    return commit


def demo_build(source: Path, database_url: str, python: str) -> str:
    """Run the release's demo commands against `database_url`; the local day they ran on (their dates count from
    it)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(source / "media"),
        "SIGNING_DIR": str(source / ".signing"),
    }
    env.pop("FILE_STORE", None)
    manage = [python, "manage.py"]
    _run([*manage, "compilemessages", "-l", "vi", "--ignore", ".venv/*", "-v", "0"], cwd=source, env=env)
    before = _run([*manage, "shell", "--no-imports", "-c", TODAY], cwd=source, env=env).strip()
    for command in DEMO_COMMANDS:
        _run([*manage, *command], cwd=source, env=env)
    after = _run([*manage, "shell", "--no-imports", "-c", TODAY], cwd=source, env=env).strip()
    if before != after:
        sys.exit(f"The demo ran across midnight ({before} → {after}): its dates are ambiguous; run the script again.")
    return before


def _gzip(data: bytes, out: Path) -> None:
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as packed:
        packed.write(data)


def _facts(path: Path) -> dict[str, object]:
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def sqlite_fixture(source: Path, python: str, out: Path) -> tuple[str, dict[str, object]]:
    db = source / "drill.sqlite3"
    made_on = demo_build(source, f"sqlite:///{db}", python)
    with sqlite3.connect(db) as connection:
        connection.execute("VACUUM")
    connection.close()
    target = out / FILES["sqlite"]
    _gzip(db.read_bytes(), target)
    return made_on, _facts(target)


def _pg_env(url: str) -> tuple[list[str], dict[str, str]]:
    parts = urlsplit(url)
    args = ["--host", parts.hostname or "127.0.0.1", "--port", str(parts.port or 5432)]
    args += ["--username", parts.username or "postgres", "--no-password"]
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return args, env


def postgresql_fixture(source: Path, python: str, out: Path, server_url: str) -> tuple[str, dict[str, object]]:
    import psycopg

    name = f"drill_fixture_{secrets.token_hex(4)}"
    database_url = urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        made_on = demo_build(source, database_url, python)
        args, env = _pg_env(server_url)
        dump = subprocess.run(
            ["pg_dump", *args, "--no-owner", "--no-privileges", "--format=plain", "--dbname", name],
            env=env,
            capture_output=True,
            check=False,
        )
        if dump.returncode != 0:
            sys.exit(f"pg_dump failed: {dump.stderr.decode()[-3000:]}")
        with psycopg.connect(database_url) as connection:
            version = str(connection.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    target = out / FILES["postgresql"]
    _gzip(dump.stdout, target)
    return made_on, {**_facts(target), "server_version": version}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", required=True, help="the commit (or tag) of the previous release")
    parser.add_argument("--only", choices=sorted(FILES), help="make one of the two fixtures (default: both)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("FIXTURE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server and a database to connect to while creating the scratch database",
    )
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"), help="runs the release")
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    meta_path = options.out / "fixture.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    vendors = [options.only] if options.only else sorted(FILES)
    for vendor in vendors:
        with tempfile.TemporaryDirectory(prefix="upgrade-fixture-") as work:
            source = Path(work)
            commit = release_export(options.release, source)
            if vendor == "sqlite":
                made_on, facts = sqlite_fixture(source, options.python, options.out)
            else:
                made_on, facts = postgresql_fixture(source, options.python, options.out, options.postgres_url)
        if meta.get("release") not in (None, commit):
            meta = {}  # a new release: the other database's fixture is stale until it is made again
        meta.update(
            release=commit,
            command="scripts/upgrade_fixture.py --release " + options.release,
            demo_commands=[" ".join(["manage.py", *command]) for command in DEMO_COMMANDS],
        )
        meta.setdefault("fixtures", {})[vendor] = {
            **facts,
            "made_on": made_on,
            "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        print(f"{vendor}: {facts['file']} {facts['bytes']:,} bytes, demo made on {made_on}")
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
