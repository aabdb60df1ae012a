"""Render the first page of every form of the benchmark's case (admitted, then recognised as an official member:
CN-NTVĐ, 1-KNĐ … 16-KNĐ) to docs/forms/<code>.png (pdftoppm -r 60), and the contents page of its complete dossier,
so that a reviewer can look at the forms without running anything.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/form_pngs.py [--pdfs DIR]

With --pdfs, the PDFs themselves are kept in DIR too (to look at every page, at any resolution).
"""

from __future__ import annotations

import datetime
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import pdf_bench  # sets the environment up before Django loads


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--pdfs", help="Also keep the PDFs in this folder.")
    keep = parser.parse_args().pdfs
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = tempfile.mkdtemp()
    call_command("migrate", verbosity=0)
    import time_machine

    from admission.documents import dossier, render

    out = Path(__file__).resolve().parent.parent / "docs" / "forms"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp())
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        case = pdf_bench.build_case()
    with time_machine.travel(datetime.datetime(2027, 6, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        pdfs = {p.printed_code: render.render_form(case, p.spec.code).pdf for p in render.applicable_forms(case)}
        pdfs["dossier-contents"] = dossier.render_dossier(case)[0]
    for code, pdf in pdfs.items():
        source = work / "form.pdf"
        source.write_bytes(pdf)
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            (Path(keep) / f"{code}.pdf").write_bytes(pdf)
        page = "2" if code == "dossier-contents" else "1"
        subprocess.run(
            ["pdftoppm", "-r", "60", "-f", page, "-l", page, "-png", "-singlefile", str(source), str(out / code)],
            check=True,
        )
        print(out / f"{code}.png")


if __name__ == "__main__":
    main()
