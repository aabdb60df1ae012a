"""The timer sweep at national volume: how long `manage.py timers_sweep` takes for N due probation timers (PostgreSQL).

Run (the data is the synthetic country of bench/national.py, built or reused at that scale; its name must contain
"bench"):

    .venv/bin/python bench/timers_bench.py --database-url postgres://postgres@127.0.0.1:5432/bench_national_t \\
        --scale 0.06 --due 10000 [--json]

It takes the N probation timers due soonest, moves their moment to a minute ago (as if the sweep had not run for
that long) and runs one sweep in process, timed, with every query counted. Each wake runs the real flow: the timer
ends, the reminder or recognition that is due is done (`ProbationFlow.tick_actions`), the router picks the next node
and a new timer is scheduled. The timers are consumed: a second run takes the next N (rebuild the database for a
like-for-like comparison). Settings: `config.settings.bench` (production behaviour on loopback).

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
parser.add_argument("--json", action="store_true", help="end with one line of JSON")
ARGS = parser.parse_args()
if not 1 <= ARGS.due <= 200_000:
    raise SystemExit("--due must be between 1 and 200,000")
if not 0.0005 <= ARGS.scale <= 2:
    raise SystemExit("--scale must be between 0.0005 and 2")
os.environ["DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import national

national.database_name(ARGS.database_url)
national.database_ensure(ARGS.database_url)

from collections import Counter
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.flows import ProbationFlow


def main() -> None:
    sizes = national.Sizes.at(ARGS.scale)
    record, reused = national.ensure_built(ARGS.database_url, sizes, ARGS.seed)
    national.log(f"{'reusing' if reused else 'built'}: {record['cases']:,} cases, {record['tasks']:,} tasks")
    import config.urls  # noqa: F401  (nodes reverse their URLs once the URLconf is loaded)

    waiting = Task.objects.filter(flow_task=get_task_ref(ProbationFlow.wait), status=STATUS.SCHEDULED)
    ids = list(waiting.order_by("scheduled", "pk").values_list("pk", flat=True)[: ARGS.due])
    if len(ids) < ARGS.due:
        raise SystemExit(f"only {len(ids):,} probation timers are waiting at this scale: raise --scale")
    Task.objects.filter(pk__in=ids).update(scheduled=timezone.now() - timedelta(minutes=1))
    national.log(f"{len(ids):,} probation timers made due; sweeping")

    out = StringIO()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        call_command("timers_sweep", stdout=out)
    seconds = time.perf_counter() - started
    left = Task.objects.filter(pk__in=ids, status=STATUS.SCHEDULED).count()
    kinds = Counter(q["sql"].split(" ", 1)[0] for q in queries.captured_queries)
    result = {
        "scale": sizes.scale,
        "due": len(ids),
        "fired_report": out.getvalue().strip(),
        "still_scheduled": left,
        "seconds": round(seconds, 1),
        "ms_per_timer": round(1000 * seconds / len(ids), 1),
        "queries": len(queries.captured_queries),
        "queries_per_timer": round(len(queries.captured_queries) / len(ids), 1),
        "query_kinds": dict(kinds.most_common()),
        "load_average": os.getloadavg(),
        "target_seconds": 60,
    }
    national.log(
        f"{len(ids):,} timers in {seconds:.1f} s ({result['ms_per_timer']} ms and {result['queries_per_timer']} "
        f"queries each); {left} not fired"
    )
    if ARGS.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
