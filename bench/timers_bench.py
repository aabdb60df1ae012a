"""The timer sweep at national volume: how long `manage.py timers_sweep` takes for N due probation timers (PostgreSQL).

Run (the data is the synthetic country of bench/national.py, built or reused at that scale; its name must contain
"bench"):

    .venv/bin/python bench/timers_bench.py --database-url postgres://postgres@127.0.0.1:5432/bench_national_t \\
        --scale 0.06 --due 10000 [--json]

It takes the N probation timers due soonest and gives their probations real work for today in the steady state's
mix (`make_due`: one in six ends a probation, the others are due a reminder), makes each timer due a minute ago and
runs one sweep in process, timed, with every query counted. The reminders go through the set-based pass
(`workflows.probation_timers`); the ends of probation through the flow (the timer ends, the recognition opens, the
router puts the cell's vote in its queue). The timers are consumed: copy the database from a template for a
like-for-like comparison (`createdb -T bench_timers_base bench_timers_run`). Settings: `config.settings.bench`
(production behaviour on loopback).

The target of issue 15 is 10,000 due timers in at most 60 s; figures of the last run are in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--database-url", required=True)
parser.add_argument("--scale", type=float, required=True, help="as bench/national.py (0.06: about 10,000 probationers)")
parser.add_argument("--due", type=int, default=10_000, help="timers made due before the sweep")
parser.add_argument("--seed", type=int, default=12)
parser.add_argument(
    "--ends-share", type=float, default=1 / 6, help="share of the due timers that end a probation (steady state: 1/6)"
)
parser.add_argument("--json", action="store_true", help="end with one line of JSON")
ARGS = parser.parse_args()
if not 1 <= ARGS.due <= 200_000:
    raise SystemExit("--due must be between 1 and 200,000")
if not 0 <= ARGS.ends_share <= 1:
    raise SystemExit("--ends-share must be between 0 and 1")
if not 0.0005 <= ARGS.scale <= 2:
    raise SystemExit("--scale must be between 0.0005 and 2")
os.environ["DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import national

national.database_name(ARGS.database_url)
national.database_ensure(ARGS.database_url)

from collections import Counter
from io import StringIO
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from admission.probation.models import Probation, ProbationStatus
from workflows.flows import ProbationFlow


def make_due(ids: list[int], now: Any) -> Counter[str]:
    """Give the N probations of these timers real work for today, in the steady state's mix: each probation wakes on
    five reminder days and on its last day, so by default one due timer in six ends a probation (`--ends-share`) and
    the others are reminders, of each lead in turn. Their dates move with it (start = end - 12 months) and each timer is
    due a minute ago."""
    day = timezone.localdate(now)
    timers = list(Task.objects.filter(pk__in=ids).select_related("process"))
    by_case = {int(t.process.artifact_object_id): t for t in timers}
    probations = list(Probation.objects.filter(candidate_id__in=by_case).order_by("pk"))
    mix: Counter[str] = Counter()
    ends_every = max(1, round(1 / ARGS.ends_share)) if ARGS.ends_share > 0 else 0
    for n, probation in enumerate(probations):
        if ends_every and n % ends_every == 0:
            lead, last = 0, min(national.REMINDERS)
            mix["end of probation"] += 1
        else:
            lead = national.REMINDERS[n % len(national.REMINDERS)]
            longer = [d for d in national.REMINDERS if d > lead]
            last = min(longer) if longer else None
            mix[f"reminder {lead} days before"] += 1
        probation.ends_on = day + timedelta(days=lead)
        probation.starts_on = probation.ends_on - relativedelta(months=12)
        probation.last_reminder_days = last
    Probation.objects.bulk_update(probations, ["ends_on", "starts_on", "last_reminder_days"], batch_size=1000)
    Task.objects.filter(pk__in=ids).update(scheduled=now - timedelta(minutes=1))
    return mix


def main() -> None:
    sizes = national.Sizes.at(ARGS.scale)
    record, reused = national.ensure_built(ARGS.database_url, sizes, ARGS.seed)
    national.log(f"{'reusing' if reused else 'built'}: {record['cases']:,} cases, {record['tasks']:,} tasks")
    import config.urls  # noqa: F401  (nodes reverse their URLs once the URLconf is loaded)

    waiting = Task.objects.filter(flow_task=get_task_ref(ProbationFlow.wait), status=STATUS.SCHEDULED)
    ids = list(waiting.order_by("scheduled", "pk").values_list("pk", flat=True)[: ARGS.due])
    if len(ids) < ARGS.due:
        raise SystemExit(f"only {len(ids):,} probation timers are waiting at this scale: raise --scale")
    mix = make_due(ids, timezone.now())
    national.log(f"{len(ids):,} probation timers made due ({dict(mix)}); sweeping")

    out = StringIO()
    kinds: Counter[str] = Counter()

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        kinds[sql.split(" ", 1)[0]] += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        call_command("timers_sweep", stdout=out)
    seconds = time.perf_counter() - started
    queries = sum(kinds.values())
    left = Task.objects.filter(pk__in=ids, status=STATUS.SCHEDULED, scheduled__lte=timezone.now()).count()
    opened = Probation.objects.filter(
        candidate_id__in=Task.objects.filter(pk__in=ids).values("process__artifact_object_id"),
        status=ProbationStatus.RECOGNITION_DUE,
    ).count()
    result = {
        "scale": sizes.scale,
        "due": len(ids),
        "mix": dict(mix),
        "sweep_report": " / ".join(out.getvalue().strip().splitlines()),
        "recognitions_opened": opened,
        "still_due": left,
        "seconds": round(seconds, 1),
        "ms_per_timer": round(1000 * seconds / len(ids), 1),
        "queries": queries,
        "queries_per_timer": round(queries / len(ids), 1),
        "query_kinds": dict(kinds.most_common()),
        "load_average": os.getloadavg(),
        "target_seconds": 60,
    }
    national.log(
        f"{len(ids):,} timers in {seconds:.1f} s ({result['ms_per_timer']} ms and {result['queries_per_timer']} "
        f"queries each); {opened} recognitions opened, {left} still due"
    )
    if ARGS.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
