"""`manage.py history_verify [--log-head] [--expect-head N:HASH ...]`: recompute the history chain, compare it with
the records, exit 1 naming every edited, deleted or inserted entry and every record that no longer matches.

`--log-head` writes the chain head to the log (logger `ketnap.history`) as well: run it daily from cron, so that a
copy of the log kept elsewhere proves what the chain said that day. `--expect-head` checks a head published earlier
(on a dossier's contents page or in that log) against today's chain."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from admission.audit.verify import chain_verify

logger = logging.getLogger("ketnap.history")
HEAD = re.compile(r"^#?(\d+):([0-9a-f]{64})$")


def _head(value: str) -> tuple[int, str]:
    match = HEAD.match(value.strip())
    if match is None:
        raise CommandError(f"--expect-head takes N:HASH (a number and 64 hex digits), not {value!r}")
    return int(match.group(1)), match.group(2)


class Command(BaseCommand):
    help = "Recompute the tamper-evident history chain and check it against the records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--log-head", action="store_true", help="also write the chain head to the log")
        parser.add_argument(
            "--expect-head", action="append", default=[], metavar="N:HASH", help="a head published earlier"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expected = [_head(value) for value in options["expect_head"]]
        report = chain_verify(expected_heads=expected)
        head = report.head
        assert head is not None
        line = f"history head #{head.seq} {head.hash} ({report.entries} entries, {report.records} records checked)"
        if options["log_head"]:
            logger.info("%s: %s", line, "verified" if report.ok else f"{len(report.findings)} problems")
        if report.ok:
            self.stdout.write(f"OK: {line}")
            return
        for finding in report.findings:
            self.stderr.write(str(finding))
        raise CommandError(f"the history does not hold: {len(report.findings)} problems ({line})")
