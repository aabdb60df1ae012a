"""Benchmark of the PDF forms and the complete dossier (issue 6).

Builds one case in a throw-away SQLite database with the same services the tests use — admitted, then recognised as
an official member, so that all seventeen forms CN-NTVĐ, 1-KNĐ … 16-KNĐ apply — then, warm, renders each form and
the complete dossier N times and prints the median seconds, the peak traced Python memory and the process RSS, and
the ratio of our rendering (data read from the database, numbering, templates, WeasyPrint, scans) to bare WeasyPrint
rendering the same HTML in the same run, with its font configuration reused ("bare") and as a plain
`HTML(string=…).write_pdf()` ("plain", which re-reads the system's fonts every time).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/pdf_bench.py [--runs 7] [--admission-only]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


CPU: list[tuple[float, float]] = []  # (ours, bare) median CPU seconds of the last paired_medians call


def paired_medians(ours, bare, runs: int) -> tuple[float, float]:
    """Median wall-clock seconds of two functions run in turn, so that a change of load on the machine weighs on both
    alike; their median CPU seconds (this process only, what an idle machine would take) go to CPU."""
    wall: tuple[list[float], list[float]] = ([], [])
    cpu: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for index, fn in enumerate((ours, bare)):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            wall[index].append(time.perf_counter() - start)
            cpu[index].append(time.process_time() - start_cpu)
    CPU.append((statistics.median(cpu[0]), statistics.median(cpu[1])))
    return statistics.median(wall[0]), statistics.median(wall[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--admission-only", action="store_true", help="The decided case only (forms CN-NTVĐ … 9-KNĐ).")
    args = parser.parse_args()
    runs = args.runs

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = tempfile.mkdtemp()
    call_command("migrate", verbosity=0)
    import datetime

    import time_machine
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from admission.documents import dossier, render

    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        case = build_case(recognised=not args.admission_only)
    with time_machine.travel(datetime.datetime(2027, 6, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        forms = [p.spec.code for p in render.applicable_forms(case)]
        for code in forms:  # warm up: fonts, templates, numbers given
            render.render_form(case, code)
        dossier.render_dossier(case)
        base_url = str(settings.BASE_DIR)
        shared = FontConfiguration()  # bare WeasyPrint at its best: its font configuration reused as well

        def bare(html: str) -> None:
            HTML(string=html, base_url=base_url).write_pdf(font_config=shared)

        def bare_plain(html: str) -> None:  # what a plain HTML(...).write_pdf() call costs
            HTML(string=html, base_url=base_url).write_pdf()

        print(f"wall-clock seconds (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs); CPU seconds")
        print(f"{'form':<10} {'ours s':>8} {'bare s':>8} {'ratio':>6} {'plain s':>8} {'ours cpu':>9} {'bare cpu':>9}")
        total_cpu = total_bare_cpu = 0.0
        total_ours = total_bare = 0.0
        for code in forms:
            prepared = render.prepare_form(case, code)
            html = render.form_html(case, prepared)
            bare(html)
            ours, alone = paired_medians(
                lambda code=code: render.render_form(case, code), lambda html=html: bare(html), runs
            )
            plain = median_seconds(lambda html=html: bare_plain(html), max(3, runs // 2))
            total_ours, total_bare = total_ours + ours, total_bare + alone
            cpu_ours, cpu_bare = CPU[-1]
            total_cpu, total_bare_cpu = total_cpu + cpu_ours, total_bare_cpu + cpu_bare
            line = f"{code:<10} {ours:8.3f} {alone:8.3f} {ours / alone:6.2f} {plain:8.3f}"
            print(f"{line} {cpu_ours:9.3f} {cpu_bare:9.3f}")
        print(
            f"{'all forms':<10} {total_ours:8.3f} {total_bare:8.3f} {total_ours / total_bare:6.2f} {'':8} "
            f"{total_cpu:9.3f} {total_bare_cpu:9.3f} (CPU ratio {total_cpu / total_bare_cpu:.2f})"
        )

        html = dossier.dossier_html(case, dossier.plan(case))
        whole, whole_bare = paired_medians(lambda: dossier.render_dossier(case), lambda: bare(html), runs)
        whole_cpu, whole_bare_cpu = CPU[-1]
        whole_plain = median_seconds(lambda: bare_plain(html), max(3, runs // 2))
        tracemalloc.start()  # one traced run apart: tracing slows Python down several times
        pdf, pages, _key = dossier.render_dossier(case)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"complete dossier: {whole:.3f} s median of {runs} warm runs, {pages} pages, {len(forms)} forms, "
            f"{len(pdf) / 1024:.0f} KiB"
        )
        print(
            f"bare WeasyPrint on the same HTML: {whole_bare:.3f} s with a reused font configuration "
            f"(ratio {whole / whole_bare:.2f}), {whole_plain:.3f} s as a plain write_pdf() "
            f"(ratio {whole / whole_plain:.2f})"
        )
        print(
            f"CPU seconds of the dossier: {whole_cpu:.3f} ours, {whole_bare_cpu:.3f} bare "
            f"(ratio {whole_cpu / whole_bare_cpu:.2f})"
        )
        print(f"peak traced Python memory of one dossier run: {peak / 1024 / 1024:.1f} MiB; max RSS {rss:.0f} MiB")
        signing(case, forms, runs)


def signing(case, forms: list[str], runs: int) -> None:  # type: ignore[no-untyped-def]
    """Signing's own cost, apart from the rendering above: a test CA and one signer per issuing body, then one
    signature (PAdES with the validation data embedded), one verification, issuing every signed form of the case
    (render + sign + store), and the complete dossier with those signed originals attached."""
    import datetime

    from django.conf import settings

    from admission.documents import dossier, render
    from admission.documents.models import BodySigner
    from admission.documents.services import document_request
    from admission.documents.signing import SIGNED_FORMS
    from admission.documents.signing.issue import sign_rendered
    from admission.documents.signing.verify import verify_pdf
    from demo import signing as pki

    settings.SIGNING_DIR = Path(tempfile.mkdtemp())
    ca = pki.make_ca("CA thử nghiệm", not_before=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    trust = settings.SIGNING_DIR / "trust"
    trust.mkdir()
    (trust / "ca.pem").write_bytes(pki.pem(ca.cert))
    (trust / "ca.crl").write_bytes(pki.crl_of(ca))
    bodies = {step.org for step in case.chain_steps.all()} | {step.org for step in case.probation.steps.all()}
    for org in bodies:
        pki.write_pkcs12(settings.SIGNING_DIR / f"{org.pk}.p12", pki.issue(ca, org.name), ca)
        BodySigner.objects.create(org=org, pkcs12_file=f"{org.pk}.p12")
    rendered = render.render_form(case, "9-KNĐ")
    sign_rendered(case, rendered, required=True)  # warm: keys read, stamp template compiled
    one = median_seconds(lambda: sign_rendered(case, rendered, required=True), runs)
    signed = sign_rendered(case, rendered, required=True)
    assert signed is not None
    check = median_seconds(lambda: verify_pdf(signed.pdf), runs)
    codes = [code for code in forms if code in SIGNED_FORMS]
    start = time.perf_counter()
    for code in codes:
        document_request(candidate=case, form_code=code, by=None)  # the immediate backend renders and signs now
    issued = time.perf_counter() - start
    attached = len([p for p in dossier.plan(case) if p.signed_original])
    whole = median_seconds(lambda: dossier.render_dossier(case), runs)
    print(
        f"signing 9-KNĐ ({signed.level}, ECDSA P-256): {one:.3f} s median of {runs}; verifying it {check:.3f} s; "
        f"issuing {len(codes)} signed forms (render, sign, store) {issued:.2f} s in all"
    )
    print(f"complete dossier with {attached} signed originals attached: {whole:.3f} s median of {runs} warm runs")


def build_case(recognised: bool = True):
    """The case of tests/documents/conftest.py, built with the services: decided (CN-NTVĐ … 9-KNĐ), then, when
    `recognised`, through the ceremony, the recognition dossier and the recognition chain (10–16-KNĐ)."""
    import pytest  # noqa: F401 - conftest imports it

    from admission.party.models.orgs import OrgKind
    from admission.party.models.roles import RoleKind
    from tests.admission.documents import conftest
    from tests.factories import MembershipFactory, UserFactory, give_role, make_org

    province = make_org(OrgKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Quảng Ninh")
    commune = make_org(OrgKind.COMMUNE_COMMITTEE, province, name="Đảng bộ xã Hoành Mô")
    agency = make_org(OrgKind.GRASSROOTS_COMMITTEE, commune, name="Đảng bộ Trường THPT Hoành Mô")
    partial = make_org(OrgKind.PARTIAL_COMMITTEE, agency, name="Đảng bộ bộ phận Khối giáo viên")
    cell = make_org(OrgKind.CELL, partial, name="Chi bộ Tổ Toán")
    approver, agency_officer = UserFactory(username="approver"), UserFactory(username="agency")
    give_role(approver, commune, RoleKind.STANDING_COMMITTEE_MEMBER)
    give_role(agency_officer, agency, RoleKind.COMMITTEE_MEMBER)
    for _ in range(3):
        MembershipFactory(cell=cell)

    class World:
        pass

    world = World()
    world.cell, world.partial, world.agency, world.commune = cell, partial, agency, commune
    world.approver, world.agency_officer = approver, agency_officer
    people = conftest.people.__wrapped__(world)
    case = conftest.dossier_case(world, people[0])
    case = conftest.decided_case.__wrapped__(world, people, case)
    if not recognised:
        return case
    probation = conftest.probation_of(world, people, case)
    conftest.recognition_dossier(probation, people[0])
    case.refresh_from_db()
    return conftest.recognise(world, people, case)


if __name__ == "__main__":
    main()
