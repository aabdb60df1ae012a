"""manage.py render_form CASE_CODE FORM_CODE --out FILE: one form of one case, rendered now (no queue)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from admission.documents.render import FormNotApplicable, render_form
from admission.sourcing.models.candidates import Candidate


class Command(BaseCommand):
    help = "Render one form (CN-NTVĐ, 1-KNĐ … 16-KNĐ) of a case to a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case_code")
        parser.add_argument("form_code")
        parser.add_argument("--out", required=True, help="Where to write the PDF.")
        parser.add_argument("--any-state", action="store_true", help="Render even if the case's step is past it.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            candidate = Candidate.objects.select_related("person", "cell", "rule_set").get(code=options["case_code"])
        except Candidate.DoesNotExist as exc:
            raise CommandError(f"No case {options['case_code']}.") from exc
        try:
            rendered = render_form(candidate, options["form_code"], check_state=not options["any_state"])
        except (KeyError, FormNotApplicable) as exc:
            raise CommandError(str(exc)) from exc
        Path(options["out"]).write_bytes(rendered.pdf)
        self.stdout.write(f"{options['out']}: {rendered.prepared.printed_code}, {rendered.pages} page(s)")
