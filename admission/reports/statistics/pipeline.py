"""The pipeline: the funnel of the cohort nominated in the period, and the processing time of each step (median
working days, overdue rate per body against the case's rule set).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from admission.party.hierarchy import StepKind
from admission.party.models.orgs import PartyOrg
from admission.reports.models import Stage
from admission.reports.scope import Scope
from admission.reports.stages import CEREMONY, PRE_CHAIN_STEPS
from admission.reports.statistics.counting import (
    admission_counts,
    durations,
    events,
    recognised_count,
)
from admission.reports.statistics.periods import Period
from admission.reports.statistics.results import (
    FunnelStage,
    StepTime,
    ratio,
)

# ------------------------------------------------------------------------------------------------------------------
# The pipeline funnel
# ------------------------------------------------------------------------------------------------------------------


FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("nominated", "Được giới thiệu"),
    ("trained", "Đã học lớp nhận thức về Đảng"),
    ("proposed", "Chi bộ đề nghị kết nạp"),
    ("admitted", "Có quyết định kết nạp"),
    ("official", "Được công nhận chính thức"),
)


def funnel(scope: Scope, period: Period) -> list[FunnelStage]:
    """The cohort nominated in the period and how far it got, plus each stage's events dated in the period.

    "Trained" is dated by the awareness-course certificate (its issue date), not by when someone recorded it: a
    certificate entered late, or a case imported with its history, keeps the date on the certificate. Every count
    reads the statistics' read model (`admission.reports.models.StageEvent`): the period's events of one stage
    under the report's cells, with how far each nominated case got kept on its nomination row, so a province's
    report reads its own rows of the period and nothing of the rest of the country."""
    cohort = events(scope, Stage.NOMINATED, period).aggregate(
        nominated=Count("candidate"),
        trained=Count("candidate", filter=Q(trained=True)),
        proposed=Count("candidate", filter=Q(proposed=True)),
        admitted=Count("candidate", filter=Q(admitted=True)),
        official=Count("candidate", filter=Q(official=True)),
    )
    events_in_period = {
        "nominated": cohort["nominated"],
        # The cases with a certificate issued in the period, counted under their nomination's cell.
        "trained": events(scope, Stage.CERTIFIED, period).aggregate(n=Count("candidate", distinct=True))["n"],
        # Under the cell that resolved; a case sent back and proposed again has two resolutions: one case proposed.
        "proposed": events(scope, Stage.PROPOSED, period).aggregate(n=Count("candidate", distinct=True))["n"],
        "admitted": admission_counts(scope, period)["total"],
        "official": recognised_count(scope, period),
    }
    stages: list[FunnelStage] = []
    previous: int | None = None
    for key, label in FUNNEL_STAGES:
        count = int(cohort[key] or 0)
        stages.append(
            FunnelStage(
                key,
                label,
                count,
                int(events_in_period[key] or 0),
                ratio(count, previous) if previous is not None else None,
            )
        )
        previous = count
    return stages


# ------------------------------------------------------------------------------------------------------------------
# Processing time per step: median working days and overdue rate per body
# ------------------------------------------------------------------------------------------------------------------


def _weighted_median(pairs: Iterable[tuple[int, int]]) -> float | None:
    """The median of values given with their counts (the middle of the sorted list, mean of two when even)."""
    counted = sorted((days, n) for days, n in pairs if n > 0)
    total = sum(n for _days, n in counted)
    if not total:
        return None

    def nth(k: int) -> int:  # the k-th smallest value, 0-based
        seen = 0
        for days, n in counted:
            seen += n
            if k < seen:
                return days
        return counted[-1][0]

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


def _summarise(
    step: str,
    label: str,
    per_body: dict[int | None, list[tuple[int, int, bool | None]]],
    with_deadline: bool,
    body_names: dict[int, str] | None = None,
) -> list[StepTime]:
    """One line per body: the count, the median working days and, for a step with a deadline, how many were late
    (`per_body`: body → (working days, count, late) groups)."""
    out: list[StepTime] = []
    for body, items in per_body.items():
        count = sum(n for _d, n, _l in items)
        overdue = sum(n for _d, n, late in items if late) if with_deadline else None
        out.append(
            StepTime(
                step,
                label,
                (body_names or {}).get(body or 0, "") if body is not None else "",
                count,
                _weighted_median((d, n) for d, n, _l in items),
                overdue,
                ratio(overdue, count) if overdue is not None else None,
            )
        )
    return sorted(out, key=lambda s: (s.body,))


def processing_times(scope: Scope, period: Period) -> list[StepTime]:
    """How long the admissions decided in the period took, step by step: the median working days of each step
    (nomination → sympathiser list → course certificate → cell resolution → each body of the chain → decision →
    ceremony) and, against the case's rule set, how many were late (the decision: N working days from the cell's
    resolution; the ceremony: M working days from the decision's receipt or issuance; a committee's intermediate
    step: the house default for a task).

    One grouped query: each admission's steps are kept in the read model with their length in working days and
    whether they overran (`admission.reports.stages.duration_rows`, written when the facts are), so the report
    reads the groups (step, body, days, late) of its own admissions of the period, a few thousand rows. Dates are
    the ones on the documents (certificate, steps), never the day they were typed in; a step dated before the one
    it follows has no length (it is left out rather than counted as a negative one)."""
    steps: dict[str, dict[int | None, list[tuple[int, int, bool | None]]]] = defaultdict(lambda: defaultdict(list))
    grouped = durations(scope, period).values("step", "body_id", "days", "late").annotate(n=Count("step")).order_by()
    for row in grouped:
        steps[row["step"]][row["body_id"]].append((row["days"], row["n"], row["late"]))
    out: list[StepTime] = []
    out += _summarise("listed", _("Nomination → sympathiser list"), steps.get("listed", {}), False)
    out += _summarise("trained", _("Sympathiser list → course certificate"), steps.get("trained", {}), False)
    out += _summarise("proposed", _("Certificate → cell resolution"), steps.get("proposed", {}), False)
    chain = {kind: rows for kind, rows in steps.items() if kind not in (*PRE_CHAIN_STEPS, CEREMONY)}
    bodies = {body for rows in chain.values() for body in rows if body is not None}
    names = dict(PartyOrg.objects.filter(pk__in=bodies).values_list("pk", "name")) if bodies else {}
    for kind, kind_rows in sorted(chain.items()):
        out += _summarise(kind, str(StepKind(kind).label), kind_rows, True, names)
    out += _summarise(CEREMONY, _("Decision → ceremony"), steps.get(CEREMONY, {}), True)
    return out
