"""manage.py render_dossier CASE_CODE --out FILE: the complete dossier of a case, rendered now (no queue)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from admission.documents.dossier import render_dossier
from admission.sourcing.models.candidates import Candidate


class Command(BaseCommand):
    help = "Render the complete dossier of a case (cover, contents, forms and scans) to a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case_code")
        parser.add_argument("--out", required=True, help="Where to write the PDF.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            candidate = Candidate.objects.select_related("person", "cell", "rule_set").get(code=options["case_code"])
        except Candidate.DoesNotExist as exc:
            raise CommandError(f"No case {options['case_code']}.") from exc
        pdf, pages, _key = render_dossier(candidate)
        if pages <= 2:
            raise CommandError(f"Case {candidate.code} has no document to put in a dossier yet.")
        Path(options["out"]).write_bytes(pdf)
        self.stdout.write(f"{options['out']}: {pages} page(s)")
