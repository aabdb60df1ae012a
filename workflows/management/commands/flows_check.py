"""`manage.py flows_check [--write]`: before a deployment's migrations, name every node renamed or removed without a
retirement and every stored open task whose node is gone (exit 1); `--write` records the flows' current nodes in
workflows/flow_nodes.json once a change is intended."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from workflows.manifest import MANIFEST, flows_check, manifest_write


class Command(BaseCommand):
    help = "Check the flows' node names against the committed manifest and the stored open tasks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--write", action="store_true", help="Record the current nodes in the manifest.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["write"]:
            manifest_write()
            self.stdout.write(f"Wrote {MANIFEST}")
        result = flows_check()
        for line in result.removed:
            self.stderr.write(f"node gone without a retirement: {line}")
        for line in result.unlisted:
            self.stderr.write(f"node not in the manifest (run flows_check --write if intended): {line}")
        for line in result.stranded:
            self.stderr.write(f"open task of a node that no longer exists: {line}")
        if not result.ok:
            raise CommandError(
                f"{len(result.removed)} node(s) gone, {len(result.unlisted)} unlisted, {len(result.stranded)} task(s)"
                " stranded"
            )
        self.stdout.write("Flows match the manifest; no open task is stranded.")
