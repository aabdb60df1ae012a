"""Several hosts, tried (issue 15): two web hosts, two workers and two timer loops on one PostgreSQL, one host killed.

Each "host" is a set of processes on this machine that share nothing but the database: its own empty MEDIA_ROOT
under a temporary folder, FILE_STORE=database (scans and PDFs are rows of PostgreSQL), sessions and the job queue in
the database. Run (the database is dropped and rebuilt; its name must contain "bench"; loopback only):

    .venv/bin/python bench/hosts.py --database-url postgres://postgres@127.0.0.1:5432/bench_hosts \\
        [--duration 60] [--clients 4] [--json] [--keep-database]

What it does:

1. Prepares the database: drop, create, `migrate`, `seed_demo`, `seed_demo_cases` (DJANGO_SETTINGS_MODULE=
   config.settings.bench: DEBUG off, loopback hosts; FILE_STORE=database; the signing keys of seed_demo go to a
   temporary SIGNING_DIR that both hosts read, as each production host is given the same secrets). The demo's
   probation timers (`ProbationFlow.wait`, scheduled) are moved to a minute ago so that the timer loops have work,
   real work: every other probation ends today (fired through the flow), the others are due a reminder (sent by the
   set-based pass, the timer moved on).
2. Starts, per host (A and B), each in its own process group: `gunicorn config.wsgi -w 2 -b 127.0.0.1:PORT`, one
   `manage.py db_worker --worker-id host-X-N` and a timer loop (`manage.py shell -c`: `timers_sweep` every 3 s and
   `documents_retry_stale` every 10 s, in one long-lived process instead of a cron line per run, which would cost a
   Django start-up each time on a small machine). Short job leases: DOCUMENTS_HEARTBEAT_SECONDS=5,
   DOCUMENTS_LEASE_SECONDS=15, DOCUMENTS_QUEUED_SECONDS=30. The jobs queued by the seed (notification scans, the
   signed papers) are worked off before the clock starts (unmeasured, at most 240 s).
3. Drives --clients threads (standard-library HTTP client, no keep-alive; psycopg only for the SQL checks), each
   logged in as the cell secretary `bithu.nasa` (demo12345, no second factor) through the login form with its CSRF
   token, on host A or B in turn; the session is checked on the other host (sessions are rows of the database, so one
   login serves both). Each client loops like a load balancer that alternates: POST
   /api/v1/candidates/<id>/documents/ {"form": …} on one host (a (case, form) pair drawn from the forms that apply to
   the cases of his cell, complete dossier "HS" left out), polls /api/v1/candidates/<id>/documents/<doc>/ on the
   OTHER host until done or failed, downloads …/<doc>/file/ from the other host and again from the first, and checks
   both start with %PDF, are identical and match the checksum the API reports. A refused or reset connection (a
   killed host) is retried on the other host and counted as "retried after kill", not as an error.
4. At half the run, kills host A's gunicorn (master and workers: SIGKILL to its process group) and, as soon as one
   is seen running a document job (at most 15 s later), that worker (SIGKILL, its process group), and restarts both
   5 s later (systemd Restart=always; the restarted worker gets a new --worker-id).
5. After --duration, waits for the retry loop to recover (until no document is queued or running, at most the
   lease plus the queued limit plus two retry sweeps), stops everything and checks through SQL:
   * no generated document left queued or running;
   * no (case, form, input hash) with two DONE copies (one request made twice);
   * no django-tasks-db job left RUNNING or READY, none FAILED but the killed worker's own (django-tasks-db never
     takes such a row back; re-queuing the document closes it as failed, "the worker died", and the run reports how
     many it closed);
   * every timer made due fired or moved on exactly once: each is DONE or waits for a later moment, none has two
     successors, no probation process has two open timers or two open human tasks, no notification is doubled;
   * no notification twice (same user and key);
   * no HTTP 5xx and no client error; both hosts gave the same bytes.
   and reports requests made, requests retried after the kill, errors, documents made, p50/p95 of the time from the
   request to the second download, timers fired. Exits 1 if any check fails. The database is dropped at the end
   unless --keep-database; the processes' logs are printed when a check fails (and kept with --keep-database).

Last run on this machine (2 shared cores, another test run beside it, load 2.0-3.8; 60 s, 4 clients): 1,941
requests, 104 retried on the other host after the kill, 0 errors, no 5xx; 544 round trips, p50 262 ms, p95 1,248 ms;
99 documents made, one of them (the killed worker's) made again by the lease; the killed worker's job row closed as
failed ("the worker died"), 161 jobs successful; of 4 due timers, 2 probations ended (fired through the flow) and 2
reminders sent (timers moved on), each once; all checks passed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
USERNAME, PASSWORD = "bithu.nasa", "demo12345"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
TIMEOUT = 30.0
POLL_EVERY = 0.5
DOCUMENT_WAIT = 150.0  # a document not done by then counts as an error
LEASES = {"DOCUMENTS_HEARTBEAT_SECONDS": "5", "DOCUMENTS_LEASE_SECONDS": "15", "DOCUMENTS_QUEUED_SECONDS": "30"}
SWEEP_EVERY, RETRY_EVERY = 3, 10
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Failures of a connection to a host that is down (or was killed mid-answer): a load balancer tries the other host.
HOST_DOWN = (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError)

TIMER_LOOP = f"""
import time
from django.core.management import call_command
from django.db import close_old_connections
last_retry = 0.0
while True:
    close_old_connections()
    try:
        call_command("timers_sweep")
        if time.monotonic() - last_retry >= {RETRY_EVERY}:
            last_retry = time.monotonic()
            call_command("documents_retry_stale")
    except Exception as exc:
        print("timer loop:", type(exc).__name__, exc, flush=True)
    time.sleep({SWEEP_EVERY})
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------------------------
# The database
# ------------------------------------------------------------------------------------------------------------------


def database_name(url: str) -> str:
    """The database of a loopback PostgreSQL URL whose name says it is a benchmark's; anything else is refused."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("--database-url must be a postgres:// URL")
    host = parts.hostname or ""
    if host not in LOOPBACK_HOSTS and not host.startswith("127."):
        raise SystemExit(f"refusing a database that is not on this machine: {host!r}")
    name = parts.path.lstrip("/")
    if name == "test" or "bench" not in name:
        raise SystemExit(f"refusing database {name!r}: its name must contain 'bench' (it is dropped and rebuilt)")
    return name


def connect(url: str, dbname: str | None = None) -> Any:
    import psycopg  # the project's PostgreSQL driver (requirements.txt)

    parts = urllib.parse.urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=dbname or parts.path.lstrip("/"),
        autocommit=True,
    )


def database_drop(url: str, *, create: bool) -> None:
    name = database_name(url)
    with connect(url, "postgres") as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


# ------------------------------------------------------------------------------------------------------------------
# The hosts' processes
# ------------------------------------------------------------------------------------------------------------------


@dataclass
class Host:
    name: str
    port: int
    env: dict[str, str]
    logs: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    starts: int = 0  # of the worker: each start gets its own worker id

    @property
    def worker_id(self) -> str:
        return f"host-{self.name}-{self.starts}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, role: str) -> list[str]:
        if role == "web":
            return [GUNICORN, "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{self.port}", "--timeout", "60"]
        if role == "worker":
            return [PYTHON, "manage.py", "db_worker", "--worker-id", self.worker_id, "--interval", "0.5"]
        return [PYTHON, "manage.py", "shell", "-c", TIMER_LOOP]

    def start(self, role: str) -> None:
        if role == "worker":
            self.starts += 1
        out = open(self.logs / f"{self.name}-{role}.log", "ab")  # noqa: SIM115  (the child keeps it)
        self.procs[role] = subprocess.Popen(
            self.command(role), cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self, role: str) -> None:
        """SIGKILL to the process group: gunicorn's master and its workers, or the worker and its children."""
        proc = self.procs.get(role)
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self, role: str) -> None:
        proc = self.procs.get(role)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill(role)


def wait_listening(port: int, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {seconds:.0f} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------------------------------------------------------
# The clients: a load balancer's view of two hosts
# ------------------------------------------------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    retried: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    cycles: list[float] = field(default_factory=list)
    documents: set[int] = field(default_factory=set)
    login_serves_both: list[bool] = field(default_factory=list)

    def error(self, kind: str, detail: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            if len(self.samples) < 20:
                self.samples.append(f"{kind}: {detail}"[:400])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    """One secretary's browser-less session over both hosts (cookies are per address, not per port: one jar)."""

    def __init__(self, hosts: list[Host], stats: Stats) -> None:
        self.hosts, self.stats = hosts, stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def csrf_cookie(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def once(self, host: Host, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Any:
        req = urllib.request.Request(host.base + path, data=body, headers=headers, method=method)
        try:
            with self.opener.open(req, timeout=TIMEOUT) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def call(self, first: Host, method: str, path: str, *, data: Any = None, form: bool = False) -> Any:
        """(status, headers, body, host that answered): `first`, or the other host when `first` is down."""
        headers = {"Accept-Language": "vi", "Accept": "application/json, application/pdf, text/html"}
        body = None
        if data is not None:
            if form:
                body = urllib.parse.urlencode(data).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                body = json.dumps(data).encode()
                headers["Content-Type"] = "application/json"
            headers["X-CSRFToken"] = self.csrf_cookie()
        order = [first, *(h for h in self.hosts if h is not first)]
        deadline = time.time() + 60
        attempt = 0
        while True:
            host = order[attempt % len(order)]
            with self.stats.lock:
                self.stats.requests += 1
            try:
                status, answer_headers, content = self.once(host, method, path, body, headers)
            except (urllib.error.URLError, *HOST_DOWN) as exc:
                reason = getattr(exc, "reason", exc)
                if not isinstance(reason, HOST_DOWN) and not isinstance(exc, HOST_DOWN):
                    raise
                with self.stats.lock:
                    self.stats.retried += 1
                attempt += 1
                if time.time() > deadline:
                    raise
                if attempt % len(order) == 0:
                    time.sleep(0.5)  # every host refused: wait a moment
                continue
            with self.stats.lock:
                self.stats.statuses[status] += 1
            if status >= 500:
                self.stats.error("http_5xx", f"{method} {host.name}{path} -> {status}: {content[:300]!r}")
            return status, answer_headers, content, host

    def login(self, host: Host) -> bool:
        status, _h, page, _host = self.call(host, "GET", "/accounts/login/")
        token = CSRF.search(page.decode("utf-8", "replace"))
        if status != 200 or token is None:
            self.stats.error("login", f"login page {status}, token {bool(token)}")
            return False
        data = {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        status, headers, _b, _host = self.call(host, "POST", "/accounts/login/", data=data, form=True)
        location = headers.get("Location", "")
        if status not in (301, 302, 303) or "/accounts/login/" in location:
            self.stats.error("login", f"login refused: {status} {location}")
            return False
        return True

    def get_json(self, host: Host, path: str) -> Any:
        status, _h, body, _host = self.call(host, "GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} -> {status}: {body[:200]!r}")
        return json.loads(body)


def other(hosts: list[Host], host: Host) -> Host:
    return next(h for h in hosts if h is not host)


def document_cycle(client: Client, first: Host, case: int, form_code: str) -> None:
    """Ask on `first`, poll and download on the other host, download again on `first`; compare."""
    stats, hosts = client.stats, client.hosts
    second = other(hosts, first)
    began = time.perf_counter()
    base = f"/api/v1/candidates/{case}/documents/"
    status, _h, body, _host = client.call(first, "POST", base, data={"form": form_code})
    if status != 202:
        stats.error("request", f"POST case {case} {form_code} -> {status}: {body[:300]!r}")
        return
    document = json.loads(body)
    doc_id = document["id"]
    deadline = time.time() + DOCUMENT_WAIT
    while document["status"] in ("queued", "running"):
        if time.time() > deadline:
            stats.error("document_timeout", f"document {doc_id} ({case}, {form_code}) still {document['status']}")
            return
        time.sleep(POLL_EVERY)
        status, _h, body, _host = client.call(second, "GET", f"{base}{doc_id}/")
        if status != 200:
            stats.error("poll", f"GET document {doc_id} -> {status}: {body[:200]!r}")
            return
        document = json.loads(body)
    if document["status"] != "done":
        stats.error("document_failed", f"document {doc_id} ({case}, {form_code}): {document['error'][:300]}")
        return
    copies = []
    for host in (second, first):
        status, _h, content, answered = client.call(host, "GET", f"{base}{doc_id}/file/")
        if status != 200:
            stats.error("download", f"GET file {doc_id} on {answered.name} -> {status}: {content[:200]!r}")
            return
        copies.append(content)
    elapsed = time.perf_counter() - began
    if not copies[0].startswith(b"%PDF"):
        stats.error("not_pdf", f"document {doc_id} starts with {copies[0][:20]!r}")
    elif copies[0] != copies[1]:
        stats.error("hosts_differ", f"document {doc_id}: {len(copies[0])} vs {len(copies[1])} bytes")
    elif document["checksum"] and hashlib.sha256(copies[0]).hexdigest() != document["checksum"]:
        stats.error("checksum", f"document {doc_id}: the bytes do not match the checksum the API reports")
    else:
        with stats.lock:
            stats.cycles.append(elapsed)
            stats.documents.add(doc_id)


def client_loop(client: Client, index: int, pairs: list[tuple[int, str]], stop: float, seed: int) -> None:
    rng = random.Random(seed)
    hosts = client.hosts
    home = hosts[index % 2]
    if not client.login(home):
        return
    status, _h, _b, answered = client.call(other(hosts, home), "GET", "/api/v1/me/roles/")
    with client.stats.lock:
        client.stats.login_serves_both.append(status == 200 and answered is not home)
    n = 0
    while time.time() < stop:
        case, form_code = rng.choice(pairs)
        try:
            document_cycle(client, hosts[(index + n) % 2], case, form_code)
        except Exception as exc:  # every failure of a cycle is an error of the run
            client.stats.error("exception", f"{type(exc).__name__}: {exc}")
            time.sleep(1)
        n += 1


def work_list(client: Client, host: Host) -> list[tuple[int, str]]:
    """The (case, form) pairs the secretary may ask for: the forms that apply to each case of his cell."""
    cases = client.get_json(host, "/api/v1/candidates/?limit=200")["results"]
    pairs = []
    for case in cases:
        rows = client.get_json(host, f"/api/v1/candidates/{case['id']}/documents/?limit=200")["results"]
        pairs += [(case["id"], row["code"]) for row in rows if row["code"] != "HS"]
    return pairs


# ------------------------------------------------------------------------------------------------------------------
# The checks
# ------------------------------------------------------------------------------------------------------------------


def scalar(conn: Any, sql: str, params: Any = None) -> Any:
    return conn.execute(sql, params).fetchone()[0]


def rows(conn: Any, sql: str, params: Any = None) -> list[Any]:
    return conn.execute(sql, params).fetchall()


def make_timers_due(conn: Any) -> list[int]:
    """Every waiting probation timer due a minute ago, with real work: every other probation ends today (the flow
    opens the recognition), the others are due their 30-day reminder (the set-based pass sends it)."""
    due = [
        r[0]
        for r in rows(
            conn,
            "UPDATE viewflow_task SET scheduled = now() - interval '1 minute' "
            "WHERE flow_task = 'workflows/flows.ProbationFlow.wait' AND status = 'SCHEDULED' RETURNING id",
        )
    ]
    conn.execute(
        "WITH today AS (SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS d), "
        "waiting AS (SELECT p.id, row_number() OVER (ORDER BY p.id) AS n FROM admission_probation p "
        "JOIN viewflow_process pr ON pr.artifact_object_id::bigint = p.candidate_id "
        "JOIN viewflow_task t ON t.process_id = pr.id WHERE t.id = ANY(%s)) "
        "UPDATE admission_probation p SET "
        "ends_on = today.d + CASE WHEN w.n %% 2 = 0 THEN 0 ELSE 30 END, "
        "starts_on = today.d + CASE WHEN w.n %% 2 = 0 THEN 0 ELSE 30 END - interval '12 months', "
        "last_reminder_days = CASE WHEN w.n %% 2 = 0 THEN 7 ELSE 60 END FROM waiting w, today WHERE p.id = w.id",
        (due,),
    )
    return due


def jobs_pending(conn: Any) -> int:
    return scalar(conn, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')")


def jobs_ready(conn: Any) -> int:
    return scalar(conn, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")


def documents_active(conn: Any) -> int:
    return scalar(conn, "SELECT count(*) FROM documents_generateddocument WHERE status IN ('queued', 'running')")


def checks(conn: Any, due: list[int], run_started: float, killed: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(figures, failed checks with their evidence)."""
    failed: dict[str, Any] = {}
    active = rows(conn, "SELECT id, status, attempts FROM documents_generateddocument WHERE status IN "
                        "('queued', 'running') ORDER BY id")  # fmt: skip
    if active:
        failed["documents_left_queued_or_running"] = active
    duplicates = rows(
        conn,
        "SELECT candidate_id, form_code, input_hash, array_agg(id ORDER BY id) FROM documents_generateddocument "
        "WHERE status = 'done' GROUP BY 1, 2, 3 HAVING count(*) > 1",
    )
    if duplicates:
        failed["documents_done_twice"] = duplicates
    jobs = dict(rows(conn, "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY 1"))
    stuck = rows(
        conn,
        "SELECT id, task_path, args_kwargs, worker_ids, started_at FROM django_tasks_database_dbtaskresult "
        "WHERE status IN ('RUNNING', 'READY') ORDER BY enqueued_at",
    )
    if stuck:
        # A job row the killed worker held would stay RUNNING (django-tasks-db never takes it back): re-queuing the
        # document closes it as failed (admission.documents.services.close_dead_jobs); one left is listed apart.
        orphans = [r for r in stuck if killed in (r[3] or [])]
        failed["jobs_left_running_or_ready"] = {
            "of_the_killed_worker": [[str(c) for c in r] for r in orphans],
            "others": [[str(c) for c in r] for r in stuck if r not in orphans],
        }
    # The killed worker's job, closed by the lease as "the worker died", is the one failure expected.
    closed = rows(
        conn,
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED' "
        "AND exception_class_path = 'admission.documents.generation.WorkerDied'",
    )[0][0]
    job_failures = rows(
        conn,
        "SELECT task_path, exception_class_path, count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE status = 'FAILED' AND exception_class_path <> 'admission.documents.generation.WorkerDied' GROUP BY 1, 2",
    )
    if job_failures:
        failed["jobs_failed"] = job_failures
    # A timer made due whose probation has nothing to do today is moved on to its next moment by the reminder pass
    # (workflows.probation_timers): still scheduled, but later; one that had work fired through the flow (done).
    fired = dict(
        rows(
            conn,
            "SELECT CASE WHEN status = 'SCHEDULED' AND scheduled > now() THEN 'MOVED_ON' ELSE status END, count(*) "
            "FROM viewflow_task WHERE id = ANY(%s) GROUP BY 1",
            (due,),
        )
    )
    if due and fired.get("DONE", 0) + fired.get("MOVED_ON", 0) != len(due):
        failed["timers_not_fired"] = fired
    twice = rows(
        conn,
        "SELECT from_task_id, count(*) FROM viewflow_task_previous WHERE from_task_id = ANY(%s) "
        "GROUP BY 1 HAVING count(*) > 1",
        (due,),
    )
    if twice:
        failed["timers_fired_twice"] = twice
    doubled = rows(
        conn,
        "SELECT t.process_id, t.status = 'SCHEDULED' AS timer, count(*) FROM viewflow_task t "
        "JOIN viewflow_process p ON p.id = t.process_id WHERE p.flow_class LIKE '%%ProbationFlow' "
        "AND t.status IN ('SCHEDULED', 'NEW', 'ASSIGNED', 'STARTED') GROUP BY 1, 2 HAVING count(*) > 1",
    )
    if doubled:
        failed["probation_processes_with_two_open_tasks"] = doubled
    notified_twice = rows(
        conn, "SELECT user_id, key, count(*) FROM notifications_notification GROUP BY 1, 2 HAVING count(*) > 1"
    )
    if notified_twice:
        failed["notifications_twice"] = notified_twice
    made = scalar(
        conn,
        "SELECT count(*) FROM documents_generateddocument WHERE status = 'done' AND created_at >= to_timestamp(%s)",
        (run_started,),
    )
    requeued = scalar(
        conn,
        "SELECT count(*) FROM documents_generateddocument WHERE attempts > 1 AND created_at >= to_timestamp(%s)",
        (run_started,),
    )
    figures = {
        "documents_made": made,
        "documents_made_in_more_than_one_attempt": requeued,
        "documents_failed": scalar(
            conn,
            "SELECT count(*) FROM documents_generateddocument WHERE status = 'failed' "
            "AND created_at >= to_timestamp(%s)",
            (run_started,),
        ),
        "jobs": jobs,
        "jobs_of_dead_workers_closed": closed,
        "timers_made_due": len(due),
        "timers_fired": fired.get("DONE", 0),
        "timers_moved_on": fired.get("MOVED_ON", 0),
        "notifications": scalar(conn, "SELECT count(*) FROM notifications_notification"),
    }
    return figures, failed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))]


# ------------------------------------------------------------------------------------------------------------------
# The run
# ------------------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    parser.add_argument("--keep-database", action="store_true", help="leave the database (and the logs) behind")
    args = parser.parse_args()
    database_name(args.database_url)
    if not 20 <= args.duration <= 900 or not 1 <= args.clients <= 16:
        raise SystemExit("bounds: 20 ≤ --duration ≤ 900, 1 ≤ --clients ≤ 16")

    tmp = Path(tempfile.mkdtemp(prefix="bench-hosts-"))
    (tmp / "logs").mkdir()
    common = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "FILE_STORE": "database",
        "SIGNING_DIR": str(tmp / "signing"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **LEASES,
    }
    hosts = []
    for name in ("a", "b"):
        media = tmp / f"host-{name}" / "media"
        media.mkdir(parents=True)
        hosts.append(Host(name, free_port(), {**common, "MEDIA_ROOT": str(media)}, tmp / "logs"))
    ok = False
    try:
        ok = run(args, hosts, common, tmp)
    finally:
        for host in hosts:
            for role in list(host.procs):
                host.stop(role)
        if not ok or args.keep_database:
            for path in sorted((tmp / "logs").glob("*.log")):
                tail = path.read_text(errors="replace")[-2500:]
                if tail.strip() and not ok:
                    print(f"--- {path.name} (end) ---\n{tail}", file=sys.stderr)
        if args.keep_database:
            log(f"kept: database {database_name(args.database_url)}, logs in {tmp / 'logs'}")
        else:
            database_drop(args.database_url, create=False)
            shutil.rmtree(tmp, ignore_errors=True)
            log(f"database {database_name(args.database_url)} dropped")
    return 0 if ok else 1


def run(args: argparse.Namespace, hosts: list[Host], common: dict[str, str], tmp: Path) -> bool:
    began = time.time()
    log("preparing the database: drop, create, migrate, seed_demo, seed_demo_cases")
    database_drop(args.database_url, create=True)
    prep_env = {**common, "MEDIA_ROOT": str(tmp / "seed-media")}
    manage(prep_env, "migrate", "-v", "0")
    manage(prep_env, "seed_demo")
    manage(prep_env, "seed_demo_cases")
    conn = connect(args.database_url)
    due = make_timers_due(conn)
    log(f"prepared in {time.time() - began:.0f} s; {len(due)} probation timer(s) made due")

    for host in hosts:
        for role in ("web", "worker", "timers"):
            host.start(role)
    for host in hosts:
        wait_listening(host.port)
    drain = time.time()
    backlog = jobs_pending(conn)
    while jobs_pending(conn) and time.time() - drain < 240:
        time.sleep(2)
    log(f"hosts up; the seed's {backlog} queued job(s) worked off in {time.time() - drain:.0f} s "
        f"({jobs_pending(conn)} left)")  # fmt: skip

    stats = Stats()
    probe = Client(hosts, stats)
    if not probe.login(hosts[0]):
        log("the secretary cannot log in: " + "; ".join(stats.samples))
        return False
    pairs = work_list(probe, hosts[1])
    if not pairs:
        log("no form applies to the secretary's cases")
        return False
    log(f"{len(pairs)} (case, form) pairs over {len({c for c, _f in pairs})} cases; "
        f"{args.clients} clients for {args.duration:.0f} s")  # fmt: skip

    run_started = time.time()
    stop = run_started + args.duration
    threads = []
    for i in range(args.clients):
        thread = threading.Thread(
            target=client_loop, args=(Client(hosts, stats), i, pairs, stop, args.seed + i), daemon=True
        )
        threads.append(thread)
        thread.start()

    # Mid-way: host A's web server and one worker die (SIGKILL), and come back 5 s later.
    time.sleep(max(0.0, run_started + args.duration / 2 - time.time()))
    # The worker to kill is one running a document job (looked for during at most 15 s), so that its job is lost
    # midway and must come back through the lease and the retry loop.
    look = time.time()
    busy: list[str] = []
    while not busy and time.time() - look < 15:
        found = rows(conn, "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' "
                           "AND task_path LIKE '%%generate_document'")  # fmt: skip
        busy = [ids[-1] for (ids,) in found if ids]
        if not busy:
            time.sleep(0.05)
    victim = next((h for h in hosts if h.worker_id in busy), hosts[0])
    killed_at = time.time()
    hosts[0].kill("web")
    victim.kill("worker")
    killed_worker = victim.worker_id
    state = "running a document job" if killed_worker in busy else "idle: no document job seen running in 15 s"
    log(f"killed host a's gunicorn and host {victim.name}'s worker {killed_worker} ({state})")
    time.sleep(5)
    hosts[0].start("web")
    victim.start("worker")
    wait_listening(hosts[0].port)
    log(f"restarted after {time.time() - killed_at:.1f} s")

    for thread in threads:
        thread.join(timeout=max(0.0, stop + DOCUMENT_WAIT + 60 - time.time()))
    load_seconds = time.time() - run_started

    # The retry loop's turn: a job its worker lost is dead after the lease (running) or the queued limit.
    recover = time.time()
    limit = int(LEASES["DOCUMENTS_LEASE_SECONDS"]) + int(LEASES["DOCUMENTS_QUEUED_SECONDS"]) + 2 * RETRY_EVERY
    while (documents_active(conn) or jobs_ready(conn)) and time.time() - recover < limit:
        time.sleep(1)
    time.sleep(SWEEP_EVERY + 1)  # one more sweep of each timer loop
    recovered = time.time() - recover
    figures, failed = checks(conn, due, run_started, killed_worker)
    figures["killed_worker"] = killed_worker
    figures["killed_worker_was_running_a_document_job"] = killed_worker in busy
    conn.close()

    with stats.lock:
        cycles = [t * 1000 for t in stats.cycles]
        errors = dict(stats.errors)
        five = sum(n for s, n in stats.statuses.items() if s >= 500)
    if five:
        failed["http_5xx"] = five
    if errors:
        failed["client_errors"] = errors
    if not all(stats.login_serves_both) or not stats.login_serves_both:
        failed["session_not_shared"] = stats.login_serves_both
    if not cycles:
        failed["no_document_round_trip"] = True
    result = {
        "duration_s": round(load_seconds, 1),
        "clients": args.clients,
        "pairs": len(pairs),
        "requests": stats.requests,
        "retried_after_kill": stats.retried,
        "errors": sum(errors.values()),
        "http_statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "round_trips": len(cycles),
        "documents_seen": len(stats.documents),
        "request_to_download_p50_ms": round(statistics.median(cycles), 1) if cycles else None,
        "request_to_download_p95_ms": round(pct(cycles, 0.95), 1) if cycles else None,
        "one_login_serves_both_hosts": bool(stats.login_serves_both) and all(stats.login_serves_both),
        "recovery_wait_s": round(recovered, 1),
        **figures,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "failed_checks": {k: str(v)[:1000] for k, v in failed.items()},
        "error_samples": stats.samples,
    }
    print(
        f"{result['duration_s']} s, {args.clients} clients over 2 web hosts: {result['requests']} requests, "
        f"{result['retried_after_kill']} retried on the other host after the kill, {result['errors']} errors, "
        f"statuses {result['http_statuses']}"
    )
    print(
        f"{result['round_trips']} request→poll→download round trips ({result['documents_seen']} documents), "
        f"p50 {result['request_to_download_p50_ms']} ms, p95 {result['request_to_download_p95_ms']} ms; "
        f"{figures['documents_made']} documents made in the run "
        f"({figures['documents_made_in_more_than_one_attempt']} after a retry, {figures['documents_failed']} failed)"
    )
    print(
        f"timers: {figures['timers_fired']} of {figures['timers_made_due']} fired, "
        f"{figures['timers_moved_on']} moved on; jobs {figures['jobs']}; "
        f"notifications {figures['notifications']}; recovery wait {result['recovery_wait_s']} s; "
        f"load {result['load_average']}"
    )
    print("checks: " + ("all passed" if not failed else "FAILED " + json.dumps(result["failed_checks"], default=str)))
    for sample in stats.samples:
        print(f"  error: {sample}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    return not failed


if __name__ == "__main__":
    sys.exit(main())
