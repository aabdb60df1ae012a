"""manage.py render_form CASE_CODE FORM_CODE --out FILE [--sign]: one form of one case, rendered now (no queue).
With --sign, a body's resolution or decision (6-, 8-, 9-, 13-, 15-, 16-KNĐ) is signed with the signer configured for
the body that issues it (`BodySigner`; `make run` gives every demo body one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from admission.documents.render import FormNotApplicable, render_form
from admission.documents.signing.issue import sign_rendered
from admission.sourcing.models.candidates import Candidate


class Command(BaseCommand):
    help = "Render one form (CN-NTVĐ, 1-KNĐ … 16-KNĐ) of a case to a PDF file; --sign signs it for its body."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case_code")
        parser.add_argument("form_code")
        parser.add_argument("--out", required=True, help="Where to write the PDF.")
        parser.add_argument("--any-state", action="store_true", help="Render even if the case's step is past it.")
        parser.add_argument("--sign", action="store_true", help="Sign it (PAdES) for the body that issues it.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            candidate = Candidate.objects.select_related("person", "cell", "rule_set").get(code=options["case_code"])
        except Candidate.DoesNotExist as exc:
            raise CommandError(f"No case {options['case_code']}.") from exc
        try:
            rendered = render_form(candidate, options["form_code"], check_state=not options["any_state"])
        except (KeyError, FormNotApplicable) as exc:
            raise CommandError(str(exc)) from exc
        pdf, note = rendered.pdf, ""
        if options["sign"]:
            try:
                signed = sign_rendered(candidate, rendered, required=True)
            except (ValidationError, ImproperlyConfigured) as exc:
                raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
            assert signed is not None
            pdf, note = signed.pdf, f", signed by {signed.signed_by} ({signed.level})"
        Path(options["out"]).write_bytes(pdf)
        self.stdout.write(f"{options['out']}: {rendered.prepared.printed_code}, {rendered.pages} page(s){note}")
