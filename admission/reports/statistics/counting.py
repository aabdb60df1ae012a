"""The shared counting: the admissions of a scope and period (from their snapshots), every per-period admission
figure in one aggregate query, the grassroots organisations that admitted, and the read model's events and step
durations of a scope and period (`admission.reports.models`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Value
from django.db.models.functions import ExtractMonth

from admission.decisions.models.snapshots import AdmissionSnapshot
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.reports.models import Stage, StageEvent, StepDuration
from admission.reports.scope import TODAY, Scope
from admission.reports.statistics.classification import (
    CATEGORY_Q,
    CLASSIFICATION,
    FORM2_ROWS,
)
from admission.reports.statistics.periods import Period


def admissions(scope: Scope, period: Period) -> QuerySet[AdmissionSnapshot]:
    """The admissions decided in the period in the report's scope (one snapshot per admitted case)."""
    day = CLASSIFICATION["decided_on"]
    return AdmissionSnapshot.objects.filter(**{f"{day}__gte": period.start, f"{day}__lte": period.end}).filter(
        scope.snapshot_q()
    )


def age_years() -> Any:
    """Whole years on the decision date, in SQL (integer division of the completed months)."""
    return F(CLASSIFICATION["age_months"]) / Value(12)


def admission_counts(scope: Scope, period: Period) -> dict[str, Any]:
    """Every per-period admission figure in one aggregate query: Biểu 2's rows (keys of FORM2_ROWS), the plan
    categories (``cat_<category>``), the months (``m<1..12>``) and the mean age. Computed once per report."""
    key = ("admissions", period)
    if key not in scope.cache:
        aggregates: dict[str, Any] = {"total": Count("pk")}
        for spec in FORM2_ROWS:
            if spec.kind == "count" and spec.q is not None and spec.key != "total":
                aggregates[spec.key] = Count("pk", filter=spec.q)
        for category, q in CATEGORY_Q.items():
            aggregates[f"cat_{category}"] = Count("pk", filter=q) if q else Count("pk")
        for month in range(1, 13):
            aggregates[f"m{month}"] = Count("pk", filter=Q(_month=month))
        aggregates["mean_age"] = Avg(age_years())
        qs = admissions(scope, period).annotate(_month=ExtractMonth(CLASSIFICATION["decided_on"]))
        scope.cache[key] = qs.aggregate(**aggregates)
    return scope.cache[key]  # type: ignore[return-value]


GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)


def grassroots_orgs(scope: Scope, on: date) -> dict[int, str]:
    """The grassroots organisations (committees and grassroots cells) of the report org's subtree existing on `on`."""
    orgs = PartyOrg.objects.filter(kind__in=GRASSROOTS_KINDS, path__startswith=scope.root.path).existing_on(on)
    return dict(orgs.values_list("pk", "kind"))


def admission_places(scope: Scope, period: Period) -> list[tuple[int, str, int | None, int]]:
    """The period's admissions by where they were decided: (cell, its path on the decision date, the grassroots
    organisation above it, count). One grouped query per period, read by the per-unit table and by the grassroots
    organisations that admitted."""
    key = ("places", period)
    if key not in scope.cache:
        grouped = admissions(scope, period).values("cell_id", "path", "grassroots_id").annotate(n=Count("pk"))
        scope.cache[key] = [(row["cell_id"], row["path"], row["grassroots_id"], row["n"]) for row in grouped.order_by()]
    return scope.cache[key]  # type: ignore[return-value]


def grassroots_with_admissions(scope: Scope, period: Period) -> set[int]:
    """The grassroots organisations that admitted in the period: the one above the cell on the decision date (from
    the snapshot), mapped to today's successor for the ``today`` basis."""
    return {scope.map_org(pk) for _cell, _path, pk, _n in admission_places(scope, period) if pk is not None}


def events(scope: Scope, stage: str, period: Period) -> QuerySet[StageEvent]:
    """The read model's events of one stage dated in the period, under the report's cells (for ``then``, the cells
    of the subtree on the event's `scope_on` day): one range read of the (stage, cell, day) index."""
    return StageEvent.objects.filter(stage=stage, day__gte=period.start, day__lte=period.end).filter(
        scope.q(cell_field="cell_id", day_field="scope_on")
    )


def durations(scope: Scope, period: Period) -> QuerySet[StepDuration]:
    """The step durations of the admissions decided in the period in the report's scope: by the admission's cell
    for ``today`` (as `admissions`), through the admissions' snapshots for ``then``."""
    rows = StepDuration.objects.filter(decided_on__gte=period.start, decided_on__lte=period.end)
    if scope.basis == TODAY:
        return rows.filter(scope.q(cell_field="cell_id"))
    return rows.filter(candidate_id__in=admissions(scope, period).values("candidate_id"))


def recognised_count(scope: Scope, period: Period) -> int:
    """New members recognised as official in the period (the official date of an admission's membership),
    counted once per report: the funnel's last stage and the supplementary table both print it."""
    key = ("recognised", period)
    if key not in scope.cache:
        scope.cache[key] = events(scope, Stage.RECOGNISED, period).count()
    return scope.cache[key]  # type: ignore[return-value]
