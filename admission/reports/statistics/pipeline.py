"""The pipeline: the funnel of the cohort nominated in the period, and the processing time of each step (median
working days, overdue rate per body against the case's rule set).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.party.hierarchy import StepKind
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.reports.scope import Scope
from admission.reports.statistics.counting import (
    admission_counts,
)
from admission.reports.statistics.periods import Period
from admission.reports.statistics.results import (
    FunnelStage,
    StepTime,
    ratio,
)
from admission.rules.calendar import WorkingCalendar, working_calendar
from admission.rules.models.rulesets import DeadlineRule, DeadlineStart, DeadlineStep
from admission.sourcing.models.candidates import Candidate, CandidateState

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


def _candidate_ct() -> ContentType:
    return ContentType.objects.get_for_model(Candidate)


def funnel(scope: Scope, period: Period) -> list[FunnelStage]:
    """The cohort nominated in the period and how far it got, plus each stage's events dated in the period."""
    ct = _candidate_ct()
    trained_log = StateLog.objects.filter(
        content_type=ct, object_id=OuterRef("pk"), state=CandidateState.TRAINED
    ).order_by()
    resolution = ChainStepRecord.objects.filter(
        candidate=OuterRef("pk"), kind=StepKind.CELL_RESOLUTION, status=StepStatus.DONE
    ).order_by()
    after_training = (CandidateState.TRAINED, CandidateState.DOSSIER, *after_proposal_states())
    cohort = (
        Candidate.objects.filter(nominated_on__gte=period.start, nominated_on__lte=period.end)
        .filter(scope.q(cell_field="cell_id", day_field="nominated_on"))
        .aggregate(
            nominated=Count("pk"),
            trained=Count("pk", filter=Q(Exists(trained_log)) | Q(state__in=after_training)),
            proposed=Count("pk", filter=Q(Exists(resolution)) | Q(state__in=after_proposal_states())),
            admitted=Count(
                "pk",
                filter=Q(admission_snapshot__isnull=False)
                | Q(state__in=(CandidateState.ADMITTED, CandidateState.PROBATIONARY)),
            ),
            official=Count("pk", filter=Q(ceremony__membership__official_on__isnull=False)),
        )
    )
    in_period = {"gte": period.start, "lte": period.end}
    events = {
        "nominated": cohort["nominated"],
        "trained": StateLog.objects.filter(content_type=ct, state=CandidateState.TRAINED)
        .annotate(day=TruncDate("timestamp"))
        .filter(day__gte=period.start, day__lte=period.end)
        .filter(
            object_id__in=Candidate.objects.filter(scope.q(cell_field="cell_id", day_field="nominated_on")).values("pk")
        )
        .values("object_id")
        .distinct()
        .count(),
        "proposed": ChainStepRecord.objects.filter(
            kind=StepKind.CELL_RESOLUTION,
            status=StepStatus.DONE,
            done_on__gte=in_period["gte"],
            done_on__lte=in_period["lte"],
        )
        .filter(scope.q(cell_field="candidate__cell_id", day_field="done_on"))
        .count(),
        "admitted": admission_counts(scope, period)["total"],
        "official": Membership.objects.filter(
            admission_ceremony__isnull=False, official_on__gte=period.start, official_on__lte=period.end
        )
        .filter(scope.q(cell_field="cell_id", day_field="official_on"))
        .count(),
    }
    stages: list[FunnelStage] = []
    previous: int | None = None
    for key, label in FUNNEL_STAGES:
        count = int(cohort[key] or 0)
        stages.append(
            FunnelStage(key, label, count, int(events[key]), ratio(count, previous) if previous is not None else None)
        )
        previous = count
    return stages


def after_proposal_states() -> tuple[str, ...]:
    return (CandidateState.PROPOSED, CandidateState.ADMITTED, CandidateState.PROBATIONARY)


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


def _deadline_rules() -> dict[tuple[int, str], DeadlineRule]:
    return {(r.rule_set_id, r.step): r for r in DeadlineRule.objects.select_related("rule_set")}


def _due(
    rules: dict[tuple[int, str], DeadlineRule], cal: WorkingCalendar, rule_set_id: int, step: str, start: date
) -> date | None:
    rule = rules.get((rule_set_id, step)) or rules.get((rule_set_id, DeadlineStep.DEFAULT_TASK))
    if rule is None:
        return None
    return cal.add_working_days(start, rule.working_days, count_from=rule.rule_set.count_from)


def _summarise(
    step: str,
    label: str,
    rows: Iterable[Any],
    cal: WorkingCalendar,
    rules: dict[tuple[int, str], DeadlineRule],
    deadline_step: str | None,
    body_names: dict[int, str] | None = None,
) -> list[StepTime]:
    """Rows are distinct (body, rule set, start, deadline start, end) groups with their count `n`."""
    per_body: dict[int | None, list[tuple[int, int, bool | None]]] = defaultdict(list)
    spans: dict[tuple[date, date], int] = {}  # the same dates recur across bodies and rule sets
    dues: dict[tuple[int, date], date | None] = {}
    for row in rows:
        if row["start"] is None or row["end"] is None:
            continue
        span = (row["start"], row["end"])
        if span not in spans:
            spans[span] = cal.working_days_between(*span)
        days = spans[span]
        late: bool | None = None
        if deadline_step is not None and row.get("due_from") is not None:
            key = (row["rule_set"], row["due_from"])
            if key not in dues:
                dues[key] = _due(rules, cal, row["rule_set"], deadline_step, row["due_from"])
            due = dues[key]
            late = due is not None and row["end"] > due
        per_body[row.get("body")].append((days, row["n"], late))
    out: list[StepTime] = []
    for body, items in per_body.items():
        count = sum(n for _d, n, _l in items)
        overdue = sum(n for _d, n, late in items if late) if deadline_step else None
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
    """Steps finished in the period: working days from the previous step (median) and how many were late against
    the case's rule set (the decision: N working days from the cell's resolution; the ceremony: M working days
    from the decision's receipt or issuance; a committee's intermediate step: the house default for a task)."""
    cal = working_calendar()
    rules = _deadline_rules()
    ct = _candidate_ct()
    out: list[StepTime] = []
    cases = Candidate.objects.filter(scope.q(cell_field="cell_id", day_field="nominated_on"))

    listed = (
        cases.filter(sympathiser_meeting_on__gte=period.start, sympathiser_meeting_on__lte=period.end)
        .values(start=F("nominated_on"), end=F("sympathiser_meeting_on"))
        .annotate(n=Count("pk"))
    )
    out += _summarise("listed", _("Nomination → sympathiser list"), listed, cal, rules, None)

    trained_on = Subquery(
        StateLog.objects.filter(content_type=ct, object_id=OuterRef("pk"), state=CandidateState.TRAINED)
        .annotate(day=TruncDate("timestamp"))
        .order_by("timestamp")
        .values("day")[:1]
    )
    trained = (
        cases.annotate(trained_on=trained_on)
        .filter(trained_on__gte=period.start, trained_on__lte=period.end)
        .values(start=F("sympathiser_meeting_on"), end=F("trained_on"))
        .annotate(n=Count("pk"))
    )
    out += _summarise("trained", _("Sympathiser list → course certificate"), trained, cal, rules, None)

    steps = ChainStepRecord.objects.filter(
        status=StepStatus.DONE, done_on__gte=period.start, done_on__lte=period.end
    ).filter(scope.q(cell_field="candidate__cell_id", day_field="done_on"))
    resolution_before = Subquery(
        ChainStepRecord.objects.filter(
            candidate=OuterRef("candidate"),
            kind=StepKind.CELL_RESOLUTION,
            status=StepStatus.DONE,
            order__lte=OuterRef("order"),
        )
        .order_by("-order")
        .values("done_on")[:1]
    )
    proposed = (
        steps.filter(kind=StepKind.CELL_RESOLUTION)
        .annotate(
            trained_on=Subquery(
                StateLog.objects.filter(
                    content_type=ct, object_id=OuterRef("candidate_id"), state=CandidateState.TRAINED
                )
                .annotate(day=TruncDate("timestamp"))
                .order_by("timestamp")
                .values("day")[:1]
            )
        )
        .values(start=F("trained_on"), end=F("done_on"))
        .annotate(n=Count("pk"))
    )
    out += _summarise("proposed", _("Certificate → cell resolution"), proposed, cal, rules, None)

    # `.order_by()` on the subqueries: the default ordering of the steps joins the case to sort by its date.
    previous_done = Subquery(
        ChainStepRecord.objects.filter(candidate=OuterRef("candidate"), order=OuterRef("order") - 1)
        .order_by()
        .values("done_on")[:1]
    )
    chain = (
        steps.exclude(kind=StepKind.CELL_RESOLUTION)
        .annotate(prev=previous_done, resolution_on=resolution_before)
        .values(
            "kind",
            body=F("org_id"),
            rule_set=F("candidate__rule_set_id"),
            start=F("prev"),
            end=F("done_on"),
            due_from=Case(When(kind=StepKind.DECISION, then=F("resolution_on")), default=F("prev")),
        )
        .annotate(n=Count("pk"))
    )
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in chain:
        by_kind[row["kind"]].append(dict(row))
    names = dict(
        PartyOrg.objects.filter(pk__in={r["body"] for rows in by_kind.values() for r in rows}).values_list("pk", "name")
    )
    for kind, rows in sorted(by_kind.items()):
        deadline = DeadlineStep.ADMISSION_DECISION if kind == StepKind.DECISION else DeadlineStep.DEFAULT_TASK
        out += _summarise(kind, str(StepKind(kind).label), rows, cal, rules, deadline, names)

    # The decision's date and receipt come with the case's admission snapshot (a join, not a subquery per row).
    ceremonies = (
        Ceremony.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
        .filter(scope.q(cell_field="candidate__cell_id", day_field="held_on"))
        .values(
            rule_set=F("candidate__rule_set_id"),
            start=F("candidate__admission_snapshot__decided_on"),
            end=F("held_on"),
            received_on=F("candidate__admission_snapshot__decision__received_on"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    ceremony_rows: list[dict[str, Any]] = []
    for ceremony_row in ceremonies:
        crow: dict[str, Any] = dict(ceremony_row)
        rule = rules.get((crow["rule_set"], DeadlineStep.CEREMONY))
        from_receipt = rule is not None and rule.starts_from == DeadlineStart.DECISION_RECEIVED
        ceremony_rows.append({**crow, "due_from": crow["received_on"] if from_receipt else crow["start"]})
    out += _summarise("ceremony", _("Decision → ceremony"), ceremony_rows, cal, rules, DeadlineStep.CEREMONY)
    return out
