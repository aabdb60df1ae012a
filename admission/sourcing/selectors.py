"""Reads of candidate cases, plans and courses: querysets already scoped to the user's units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django_fsm_log.models import StateLog

from admission.core.request_cache import per_request, request_knows, request_note, request_remember
from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.rules import reference
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.plans import PlanCategory, SourcingPlan
from admission.sourcing.models.training import AwarenessCourse


def _units_q(user: Any, *, one_case: bool = False) -> Q:
    """Cases the user sees through their units: cells in their scope, and probationers moving into one of them
    (the receiving cell sees the case it must receive). For a list, the orgs and the moving cases are read first as
    lists of ids; for a condition on one case (`one_case`), both are conditions on its joined rows."""
    from admission.probation.models import ProbationTransfer, TransferStatus

    if permissions.sees_everything(user):
        return Q()
    if one_case:
        # One case: the conditions on its joined cell's path and on its pending transfer cost nothing on one row.
        moving = ProbationTransfer.objects.filter(permissions.scope_q(user, field="to_cell__path"))
        moving_ids = moving.filter(status=TransferStatus.PENDING).values("probation__candidate_id")
        return permissions.scope_q(user, field="cell__path") | Q(pk__in=moving_ids)
    # The orgs and the moving cases are read first, as id lists: the condition is then on the case's own columns
    # (two index scans, OR-ed), where a LIKE on the joined org's path OR a subquery made PostgreSQL read every case
    # of the country (11 s for a cell secretary's list at national volume).
    orgs = per_request(
        ("scope_orgs", user.pk, permissions.today()),
        lambda: list(PartyOrg.objects.filter(permissions.scope_q(user, field="path")).values_list("pk", flat=True)),
    )
    moving_in = ProbationTransfer.objects.filter(status=TransferStatus.PENDING, to_cell_id__in=orgs).values_list(
        "probation__candidate_id", flat=True
    )
    return Q(cell_id__in=orgs) | Q(pk__in=list(moving_in))


def candidate_list_for_user(*, user: Any) -> QuerySet[Candidate]:
    """Cases the user sees through their units, plus the user's own cases as a candidate."""
    cases = Candidate.objects.select_related("person", "cell", "rule_set")
    if permissions.sees_everything(user):  # an empty Q OR-ed with another is that other: no OR here
        return cases.all()
    own: list[int] = []
    if getattr(user, "is_authenticated", False):
        own = list(Candidate.objects.filter(person__user=user).values_list("pk", flat=True))
    return cases.filter(_units_q(user) | Q(pk__in=own))


def candidate_seen_by_unit(*, user: Any, candidate: Candidate) -> bool:
    """True when the user sees the case through their units, not only as the candidate themself: the cell's
    internal notes (review notes) are for the party units, not for the person they are about."""
    return per_request(
        ("seen_by_unit", user.pk, candidate.pk),
        lambda: Candidate.objects.filter(_units_q(user), pk=candidate.pk).exists(),
    )


def candidate_get_for_unit(*, user: Any, pk: int | str) -> Candidate:
    """A case seen through the user's units: 404 for everyone else, the candidate themself included (the pages and
    endpoints that name helpers, approvers and votes; the candidate reads their case at /ho-so-cua-toi/)."""
    try:
        return Candidate.objects.filter(_units_q(user)).select_related("person", "cell", "rule_set").get(pk=pk)
    except (Candidate.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def candidate_get_for_user(*, user: Any, pk: int | str) -> Candidate:
    """One case the user sees (through their units or as its candidate), else 404, in one query: the case's own key
    first, then the scope's conditions on that one row (its cell's path, and the own-case and moving-in conditions
    as subqueries, which on a single row cost nothing, where the list reads the orgs and moving cases first as id
    lists)."""
    try:
        query = _units_q(user, one_case=True)
        if getattr(user, "is_authenticated", False) and not permissions.sees_everything(user):
            query |= Q(person__user=user)
        candidate = Candidate.objects.filter(query).select_related("person", "cell", "rule_set").get(pk=pk)
    except (Candidate.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    request_note(("in_scope", user.pk, candidate.pk))
    request_remember(("case_subject", candidate.pk), (candidate.person_id, candidate.person.user_id))
    return candidate


def candidate_in_scope(*, user: Any, pk: int) -> bool:
    """Whether the user sees the case (through their units or as its candidate); a case already found in their scope
    in this request is not looked up again (`admission.core.request_cache`)."""
    if request_knows(("in_scope", user.pk, pk)):
        return True
    return candidate_list_for_user(user=user).filter(pk=pk).exists()


# Category filters of the sourcing plans, on Candidate rows (domain.md §7). Read from the person's current record;
# reports that must stay true over time (issue: reports) snapshot these at the decision date.
PLAN_CATEGORY_Q: dict[str, Q] = {
    PlanCategory.TOTAL: Q(),
    PlanCategory.PRIVATE_ENTERPRISE: Q(person__employer_sector__in=sorted(reference.OUTSIDE_STATE_SECTORS)),
    PlanCategory.VILLAGE: Q(person__employer_sector="village"),
    PlanCategory.PUPIL_STUDENT: Q(person__occupation__in=["pupil", "university_student"]),
    PlanCategory.WOMEN: Q(person__sex="female"),
    PlanCategory.ETHNIC_MINORITY: ~Q(person__ethnicity=reference.KINH),
    PlanCategory.YOUTH_UNION: Q(person__youth_union_member=True),
    PlanCategory.RELIGIOUS: ~Q(person__religion=reference.NO_RELIGION),
}

PLAN_STAGES = ("nominated", "sympathiser", "trained")


@dataclass(frozen=True)
class PlanProgressRow:
    category: str
    label: str
    target: int | None
    nominated: int
    sympathiser: int
    trained: int

    @property
    def percent(self) -> int | None:
        """Trained people as a whole percentage of the target; None without a target."""
        return round(self.trained * 100 / self.target) if self.target else None


def plan_progress(*, plan: SourcingPlan) -> list[PlanProgressRow]:
    """Progress of a plan, counted in one aggregate query over the cases of the org's subtree in the plan's year.

    People, not cases, are counted (someone nominated twice in a year counts once). nominated: cases opened in
    the year; sympathiser: listed by a cell meeting in the year; trained: cases whose person received a course
    certificate in the year.
    """
    cases = Candidate.objects.filter(cell__path__startswith=plan.org.path)
    year = plan.year
    stage_q = {
        "nominated": Q(nominated_on__year=year),
        "sympathiser": Q(sympathiser_meeting_on__year=year),
        "trained": Q(person__certificates__issued_on__year=year),
    }
    aggregates = {
        f"{category}__{stage}": Count("person", filter=category_q & stage_q[stage], distinct=True)
        for category, category_q in PLAN_CATEGORY_Q.items()
        for stage in PLAN_STAGES
    }
    counts = cases.aggregate(**aggregates)
    targets = dict(plan.targets.values_list("category", "target"))
    return [
        PlanProgressRow(
            category=category,
            label=str(PlanCategory(category).label),
            target=targets.get(category),
            nominated=counts[f"{category}__nominated"],
            sympathiser=counts[f"{category}__sympathiser"],
            trained=counts[f"{category}__trained"],
        )
        for category in PLAN_CATEGORY_Q
    ]


def plan_list_for_user(*, user: Any) -> QuerySet[SourcingPlan]:
    return SourcingPlan.objects.filter(permissions.scope_q(user, field="org__path")).select_related("org")


def course_list_for_user(*, user: Any) -> QuerySet[AwarenessCourse]:
    """Courses organised in the user's scope or by an org above it (a cell sees its commune's courses)."""
    units = permissions.user_unit_paths(user)
    above: set[int] = set()
    for org in PartyOrg.objects.filter(path__in=units):
        above.update(org.ancestor_ids())
    return AwarenessCourse.objects.filter(
        permissions.scope_q(user, field="organiser__path") | Q(organiser_id__in=above)
    ).select_related("organiser")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    by: str
    transition: str
    source_state: str | None
    source_label: str
    state: str
    label: str
    description: str


def candidate_timeline(*, candidate: Candidate) -> list[TimelineEntry]:
    """The case's state changes as django-fsm-log recorded them, oldest first (a read; shared with the API)."""
    labels = dict(CandidateState.choices)
    logs = StateLog.objects.for_(candidate).select_related("by").order_by("timestamp", "pk")
    return [
        TimelineEntry(
            at=log.timestamp,
            by=(log.by.get_full_name() or log.by.get_username()) if log.by else "",
            transition=log.transition,
            source_state=log.source_state,
            source_label=str(labels.get(log.source_state or "", log.source_state or "")),
            state=log.state,
            label=str(labels.get(log.state, log.state)),
            description=log.description or "",
        )
        for log in logs
    ]
