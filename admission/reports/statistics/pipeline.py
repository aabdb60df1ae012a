"""The pipeline: the funnel of the cohort nominated in the period, and the processing time of each step (median
working days, overdue rate per body against the case's rule set).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.party.hierarchy import StepKind
from admission.party.models.orgs import PartyOrg
from admission.reports.scope import Scope
from admission.reports.statistics.counting import (
    admission_counts,
    admissions,
    recognised_count,
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
from admission.sourcing.models.training import AwarenessCertificate

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
    certificate entered late, or a case imported with its history, keeps the date on the certificate. Every query
    starts from the period's rows of one dated, indexed column (nomination, certificate, step, official date) and
    joins the report's cells, so a province's report does not read the rest of the country."""
    certified = AwarenessCertificate.objects.filter(person_id=OuterRef("person_id")).order_by()
    resolution = ChainStepRecord.objects.filter(
        candidate=OuterRef("pk"), kind=StepKind.CELL_RESOLUTION, status=StepStatus.DONE
    ).order_by()
    after_training = (CandidateState.TRAINED, CandidateState.DOSSIER, *after_proposal_states())
    cohort = (
        Candidate.objects.filter(nominated_on__gte=period.start, nominated_on__lte=period.end)
        .filter(scope.q(cell_field="cell_id", day_field="nominated_on"))
        .aggregate(
            nominated=Count("pk"),
            trained=Count("pk", filter=Q(Exists(certified)) | Q(state__in=after_training)),
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
        # The cases with a certificate issued in the period, as a semi-join on the person (a join through the
        # person, then DISTINCT, read every case of the scope and hashed them).
        "trained": Candidate.objects.filter(
            Exists(
                AwarenessCertificate.objects.filter(
                    person_id=OuterRef("person_id"), issued_on__gte=period.start, issued_on__lte=period.end
                )
            )
        )
        .filter(scope.q(cell_field="cell_id", day_field="nominated_on"))
        .count(),
        "proposed": ChainStepRecord.objects.filter(
            kind=StepKind.CELL_RESOLUTION,
            status=StepStatus.DONE,
            done_on__gte=in_period["gte"],
            done_on__lte=in_period["lte"],
        )
        .filter(scope.q(cell_field="org_id", day_field="done_on"))  # a cell resolution's org is the cell
        # A case sent back and proposed again has two resolutions: it is one case proposed.
        .values("candidate_id")
        .distinct()
        .count(),
        "admitted": admission_counts(scope, period)["total"],
        "official": recognised_count(scope, period),
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
        # A step's start after its end is a recording error (a date typed wrong, a step copied from an older
        # attempt): it has no processing time, and it is left out rather than counted as a negative one.
        if row["start"] is None or row["end"] is None or row["end"] < row["start"]:
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
    """How long the admissions decided in the period took, step by step: the median working days of each step
    (nomination → sympathiser list → course certificate → cell resolution → each body of the chain → decision →
    ceremony) and, against the case's rule set, how many were late (the decision: N working days from the cell's
    resolution; the ceremony: M working days from the decision's receipt or issuance; a committee's intermediate
    step: the house default for a task).

    One query: the step dates are kept in each admission's snapshot (`snapshot_build`), so the report reads the
    period's admissions of its subtree (the same rows as Biểu 2) and never the steps or the cases of the rest of
    the country. Dates are the ones on the documents (certificate, steps), never the day they were typed in."""
    cal = working_calendar()
    rules = _deadline_rules()
    rows = list(
        admissions(scope, period)
        .order_by()
        .values_list(
            "candidate_id",
            "decision_id",
            "rule_set_id",
            "nominated_on",
            "listed_on",
            "certified_on",
            "resolution_on",
            "steps",
            "decided_on",
        )
    )
    # The decision's receipt and the ceremony by primary key, for these admissions only (a join would let the
    # planner read the steps and ceremonies of the whole country to hash them).
    received_on = dict(
        ChainStepRecord.objects.filter(pk__anyof=[r[1] for r in rows if r[1]])
        .order_by()
        .values_list("pk", "received_on")
    )
    held_on = dict(
        Ceremony.objects.filter(candidate_id__anyof=[r[0] for r in rows])
        .order_by()
        .values_list("candidate_id", "held_on")
    )
    spans: dict[str, list[dict[str, Any]]] = defaultdict(list)
    chain: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case, decision, rule_set, nominated, listed, certified, resolution, steps, decided in rows:
        received, held = received_on.get(decision), held_on.get(case)
        spans["listed"].append({"start": nominated, "end": listed, "n": 1})
        spans["trained"].append({"start": listed, "end": certified, "n": 1})
        spans["proposed"].append({"start": certified, "end": resolution, "n": 1})
        for step in steps or []:
            chain[step["kind"]].append(
                {
                    "body": step["body"],
                    "rule_set": rule_set,
                    "start": date.fromisoformat(step["start"]),
                    "end": date.fromisoformat(step["end"]),
                    "due_from": date.fromisoformat(step["due_from"]),
                    "n": 1,
                }
            )
        if held is not None:
            rule = rules.get((rule_set, DeadlineStep.CEREMONY))
            from_receipt = rule is not None and rule.starts_from == DeadlineStart.DECISION_RECEIVED
            due_from = received if from_receipt else decided
            spans["ceremony"].append(
                {"rule_set": rule_set, "start": decided, "end": held, "due_from": due_from, "n": 1}
            )
    out: list[StepTime] = []
    out += _summarise("listed", _("Nomination → sympathiser list"), spans["listed"], cal, rules, None)
    out += _summarise("trained", _("Sympathiser list → course certificate"), spans["trained"], cal, rules, None)
    out += _summarise("proposed", _("Certificate → cell resolution"), spans["proposed"], cal, rules, None)
    names = dict(
        PartyOrg.objects.filter(pk__in={r["body"] for steps in chain.values() for r in steps}).values_list("pk", "name")
    )
    for kind, kind_rows in sorted(chain.items()):
        deadline = DeadlineStep.ADMISSION_DECISION if kind == StepKind.DECISION else DeadlineStep.DEFAULT_TASK
        out += _summarise(kind, str(StepKind(kind).label), kind_rows, cal, rules, deadline, names)
    out += _summarise("ceremony", _("Decision → ceremony"), spans["ceremony"], cal, rules, DeadlineStep.CEREMONY)
    return out
