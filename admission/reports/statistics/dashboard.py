"""The dashboard's figures: admissions against the sourcing-plan targets, per unit of the report org, per month."""

from __future__ import annotations

from collections import defaultdict

from admission.party.models.orgs import PartyOrg
from admission.reports.scope import Scope
from admission.reports.statistics.classification import (
    CATEGORY_Q,
    HIGHLIGHT_LABELS,
)
from admission.reports.statistics.counting import (
    admission_counts,
    admission_places,
)
from admission.reports.statistics.periods import Period
from admission.reports.statistics.results import (
    TargetLine,
    UnitLine,
)
from admission.sourcing.models.plans import SourcingPlan


def plan_for(org: PartyOrg, year: int) -> dict[str, int]:
    plan = SourcingPlan.objects.filter(org=org, year=year).first()
    return dict(plan.targets.values_list("category", "target")) if plan else {}


def target_lines(scope: Scope, period: Period) -> list[TargetLine]:
    now, before = admission_counts(scope, period), admission_counts(scope, period.previous())
    targets = plan_for(scope.root, period.end.year)
    return [
        TargetLine(str(c), HIGHLIGHT_LABELS[c], now[f"cat_{c}"], before[f"cat_{c}"], targets.get(str(c)))
        for c in CATEGORY_Q
    ]


def unit_counts(scope: Scope, period: Period) -> dict[int, int]:
    """Admissions per unit of the report org, from the admissions grouped by cell and path on the decision date."""
    counts: dict[int, int] = defaultdict(int)
    for cell, path, _grassroots, n in admission_places(scope, period):
        branch = scope.branch_of(cell, path)
        if branch is not None:
            counts[branch] += n
    return counts


def unit_lines(scope: Scope, period: Period) -> list[UnitLine]:
    """Admissions per unit of the report org (its direct children), this period and last year, in two queries."""
    now, before = unit_counts(scope, period), unit_counts(scope, period.previous())
    branches = dict(scope.branches())
    missing = (set(now) | set(before)) - set(branches)
    if missing:  # units of the tree as it stood then that today's groups do not name
        branches.update(PartyOrg.objects.filter(pk__in=missing).values_list("pk", "name"))
    lines = [UnitLine(pk, name, now.get(pk, 0), before.get(pk, 0)) for pk, name in branches.items()]
    return sorted(lines, key=lambda line: (-line.current, line.name))


def monthly(scope: Scope, period: Period) -> list[tuple[str, int, int]]:
    now, before = admission_counts(scope, period), admission_counts(scope, period.previous())
    months = range(period.start.month, period.end.month + 1) if period.start.year == period.end.year else range(1, 13)
    return [(f"{m:02d}", now[f"m{m}"], before[f"m{m}"]) for m in months]
