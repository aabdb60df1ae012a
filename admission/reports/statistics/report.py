"""The entry points: the dashboard and the full report, their queries in one transaction; and how the exports
print numbers and the header.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from admission.party.models.orgs import PartyOrg
from admission.reports.scope import TODAY, build_scope
from admission.reports.statistics.btctw import (
    form1_lines,
    form2_lines,
    form2_org_lines,
    form2b_lines,
    supplementary_lines,
)
from admission.reports.statistics.dashboard import monthly, target_lines, unit_lines
from admission.reports.statistics.periods import Period
from admission.reports.statistics.pipeline import funnel, processing_times
from admission.reports.statistics.results import (
    AdmissionReport,
    Dashboard,
)


@contextmanager
def _reporting() -> Iterator[None]:
    """The report's queries in one transaction; on PostgreSQL without JIT compilation for them. The planner's
    estimates of the grouped and correlated queries pass `jit_above_cost` at province scale, and compiling then
    took 0.3–0.8 s per query for queries that run in 50–150 ms (bench/reports_bench.py, EXPLAIN ANALYZE)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL random_page_cost = 1.1")
        yield


def build_dashboard(*, org: PartyOrg, period: Period, basis: str = TODAY) -> Dashboard:
    """What the dashboard shows: targets, units, months, the funnel (a handful of aggregate queries)."""
    with _reporting():
        return _dashboard(org=org, period=period, basis=basis)


def _dashboard(*, org: PartyOrg, period: Period, basis: str) -> Dashboard:
    scope = build_scope(org, basis=basis)
    return Dashboard(
        org=org,
        period=period,
        previous_period=period.previous(),
        basis=scope.basis,
        targets=target_lines(scope, period),
        units=unit_lines(scope, period),
        monthly=monthly(scope, period),
        funnel=funnel(scope, period),
    )


def build_report(*, org: PartyOrg, period: Period, basis: str = TODAY) -> AdmissionReport:
    """The full report: the dashboard plus Biểu 2, 2B, 1, the supplementary table and the processing times."""
    with _reporting():
        return _report(org=org, period=period, basis=basis)


def _report(*, org: PartyOrg, period: Period, basis: str) -> AdmissionReport:
    scope = build_scope(org, basis=basis)
    ethnic, religion = form2b_lines(scope, period)
    return AdmissionReport(
        org=org,
        period=period,
        previous_period=period.previous(),
        basis=scope.basis,
        targets=target_lines(scope, period),
        units=unit_lines(scope, period),
        monthly=monthly(scope, period),
        funnel=funnel(scope, period),
        form2=form2_lines(scope, period),
        form2_orgs=form2_org_lines(scope, period),
        form2b_ethnicity=ethnic,
        form2b_religion=religion,
        form1=form1_lines(scope, period),
        supplementary=supplementary_lines(scope, period),
        processing=processing_times(scope, period),
    )


def vn_number(value: float | None, places: int = 2) -> str:
    """Vietnamese number style: comma decimal ("100,00"); empty for None."""
    if value is None:
        return ""
    if isinstance(value, int) or places == 0:
        return f"{round(value):,}".replace(",", ".")
    text = f"{value:,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def report_header(org: PartyOrg) -> tuple[str, str]:
    """The left header block: the org's superior over the org itself, in capitals (demo-and-reports.md A.1)."""
    upper = org.parent.name.upper() if org.parent else ""
    return upper, org.name.upper()
