"""What the trust features cost: appending to the history chain, verifying it, and logging a personal-data read.

Run (a database of its own: its chain table is emptied first with TRUNCATE, the one statement the append-only
trigger does not refuse; the database is created and migrated if needed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_history_bench \\
        .venv/bin/python bench/history_bench.py [--entries 20000]

It prints the median time of one append in its own transaction (what a service's write pays: the advisory lock,
reading the head, hashing, one INSERT), the time `history_verify`'s chain pass takes over all the entries, and the
median time of one personal-data read row (the middleware's lookup of the person and one INSERT).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction

from admission.audit.access import subject_for_route
from admission.audit.chain import chain_append
from admission.audit.models import HistoryEntry, PersonalDataRead, ReadKind
from admission.audit.verify import chain_verify
from admission.party.models.people import Person
from admission.party.models.users import User


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PersonalDataRead._meta.db_table}")
        cursor.execute(f"TRUNCATE {HistoryEntry._meta.db_table}" if connection.vendor == "postgresql" else "SELECT 1")
        if connection.vendor != "postgresql":
            cursor.execute(f"DELETE FROM {HistoryEntry._meta.db_table}")

    appends = []
    for i in range(args.entries):
        start = time.perf_counter()
        with transaction.atomic():
            chain_append(kind="bench", record=f"bench.row:{i}", data={"i": i, "note": "Chi bộ thôn Nà Sa"}, actor_id=1)
        appends.append(time.perf_counter() - start)
    start = time.perf_counter()
    report = chain_verify()
    verify = time.perf_counter() - start

    user, _ = User.objects.get_or_create(username="bench-reader")
    person = Person.objects.create(full_name="Người Thử", date_of_birth=date(1995, 5, 17), sex="male")
    reads = []
    for _ in range(2000):
        start = time.perf_counter()
        person_id, _own, case_id = subject_for_route("api/v1/people/<int:pk>/", {"pk": person.pk}) or (0, 0, 0)
        PersonalDataRead.objects.create(
            user=user,
            username="bench-reader",
            person_id=person_id,
            candidate_id=case_id,
            what=ReadKind.PERSON,
            view_name="api-person-detail",
            path=f"/api/v1/people/{person.pk}/",
        )
        reads.append(time.perf_counter() - start)

    print(f"database: {connection.vendor}")
    print(f"append one entry in its own transaction: median {statistics.median(appends) * 1e3:.2f} ms")
    print(f"verify the chain: {report.entries} entries in {verify:.2f} s, {report.entries / verify:,.0f} entries/s")
    print(f"log one personal-data read: median {statistics.median(reads) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
