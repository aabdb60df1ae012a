"""Reads: querysets already scoped to the user's units, with the joins their pages need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django_fsm_log.models import StateLog

from admission import permissions, reference, rules
from admission.models import (
    AwarenessCourse,
    Candidate,
    CandidateState,
    ExemptionKind,
    MemberExemption,
    Membership,
    PartyOrg,
    Person,
    PlanCategory,
    Role,
    SourcingPlan,
)


def org_list_for_user(*, user: Any, include_dissolved: bool = True) -> QuerySet[PartyOrg]:
    orgs = permissions.orgs_in_scope(user).select_related("parent", "merged_into")
    if not include_dissolved:
        orgs = orgs.filter(valid_to__isnull=True)
    return orgs


def org_get_for_user(*, user: Any, pk: int | str) -> PartyOrg:
    return permissions.get_org_or_404(user, pk)


def member_list_for_user(*, user: Any, on: date | None = None) -> QuerySet[Membership]:
    day = on or permissions.today()
    return (
        Membership.objects.filter(permissions.scope_q(user, field="cell__path"))
        .active_on(day)
        .select_related("person", "cell")
    )


def person_list_for_user(*, user: Any) -> QuerySet[Person]:
    """People the user may see: members (past or present) of cells in scope, and the user's own record."""
    in_scope = Membership.objects.filter(permissions.scope_q(user, field="cell__path"), person=OuterRef("pk"))
    own = Q(user=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return Person.objects.filter(Exists(in_scope) | own)


def person_get_for_user(*, user: Any, pk: int | str) -> Person:
    try:
        return person_list_for_user(user=user).get(pk=pk)
    except (Person.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def role_list_for_user(*, user: Any, on: date | None = None) -> QuerySet[Role]:
    return permissions.active_roles(user, on=on)


@dataclass(frozen=True)
class VotingRoster:
    """Who counts in a cell vote on a day (domain.md §3 row 7; 294-QĐ/TW §9.3.2)."""

    official: int
    probationary: int
    temporarily_transferred: int
    exempted: int

    def denominator(self, *, exempted_present: int = 0) -> int:
        """Official members, less those temporarily transferred away and the exempted members who stayed away."""
        return rules.cell_vote_denominator(
            official=self.official,
            temporarily_transferred=self.temporarily_transferred,
            exempted=self.exempted,
            exempted_present=exempted_present,
        )


def voting_roster(*, cell: PartyOrg, on: date) -> VotingRoster:
    members = Membership.objects.filter(cell=cell).active_on(on)
    official = members.official_on(on)
    covering = MemberExemption.objects.filter(membership__in=official, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=on)
    )
    return VotingRoster(
        official=official.count(),
        probationary=members.exclude(pk__in=official.values("pk")).count(),
        temporarily_transferred=covering.filter(kind=ExemptionKind.TEMPORARY_TRANSFER)
        .values("membership")
        .distinct()
        .count(),
        exempted=covering.filter(kind=ExemptionKind.EXEMPTED)
        .exclude(membership__in=covering.filter(kind=ExemptionKind.TEMPORARY_TRANSFER).values("membership"))
        .values("membership")
        .distinct()
        .count(),
    )


def _units_q(user: Any) -> Q:
    """Cases the user sees through their units: cells in their scope, and probationers moving into one of them
    (the receiving cell sees the case it must receive)."""
    from admission.models.probation import ProbationTransfer, TransferStatus

    moving_in = ProbationTransfer.objects.filter(
        status=TransferStatus.PENDING, to_cell__in=PartyOrg.objects.filter(permissions.scope_q(user, field="path"))
    ).values("probation__candidate_id")
    return permissions.scope_q(user, field="cell__path") | Q(pk__in=moving_in)


def candidate_list_for_user(*, user: Any) -> QuerySet[Candidate]:
    """Cases the user sees through their units, plus the user's own cases as a candidate."""
    own = Q(person__user=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return Candidate.objects.filter(_units_q(user) | own).select_related("person", "cell", "rule_set")


def candidate_seen_by_unit(*, user: Any, candidate: Candidate) -> bool:
    """True when the user sees the case through their units, not only as the candidate themself: the cell's
    internal notes (review notes) are for the party units, not for the person they are about."""
    return Candidate.objects.filter(_units_q(user), pk=candidate.pk).exists()


def candidate_get_for_unit(*, user: Any, pk: int | str) -> Candidate:
    """A case seen through the user's units: 404 for everyone else, the candidate themself included (the pages and
    endpoints that name helpers, approvers and votes; the candidate reads their case at /ho-so-cua-toi/)."""
    try:
        return Candidate.objects.filter(_units_q(user)).select_related("person", "cell", "rule_set").get(pk=pk)
    except (Candidate.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def candidate_get_for_user(*, user: Any, pk: int | str) -> Candidate:
    try:
        return candidate_list_for_user(user=user).get(pk=pk)
    except (Candidate.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


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


@dataclass(frozen=True)
class AdmissionOverview:
    """Where a case stands after its dossier: the chain as lived, votes, deadlines (overdue is a visible state),
    consents required and recorded, the ceremony."""

    chain: list[Any]
    votes: list[Any]
    deadlines: Any
    decision_overdue: bool
    ceremony_overdue: bool
    consents: list[Any]
    required_consents: list[str]
    missing_consents: list[str]
    ceremony: Any
    last_body: PartyOrg | None  # the deciding body, which may extend the decision deadline


def admission_overview(*, candidate: Candidate, on: date | None = None) -> AdmissionOverview:
    from admission.models import Ceremony, ConsentKind, Vote
    from admission.services import decisions

    on = on or permissions.today()
    chain = list(candidate.chain_steps.select_related("org", "done_by", "vote").order_by("order"))
    deadlines = decisions.admission_deadlines(candidate)
    resolution = decisions.cell_resolution(candidate)
    required = decisions.required_consents(candidate, resolution.done_on if resolution and resolution.done_on else on)
    return AdmissionOverview(
        chain=chain,
        votes=list(
            Vote.objects.filter(candidate=candidate).select_related("meeting__org").order_by("meeting__held_on")
        ),
        deadlines=deadlines,
        decision_overdue=bool(
            candidate.state == CandidateState.PROPOSED and deadlines.decision_due and on > deadlines.decision_due
        ),
        ceremony_overdue=bool(
            candidate.state == CandidateState.ADMITTED and deadlines.ceremony_due and on > deadlines.ceremony_due
        ),
        consents=list(candidate.consents.all()),
        required_consents=[str(ConsentKind(kind).label) for kind in sorted(required)],
        missing_consents=decisions.missing_consent_labels(candidate),
        ceremony=Ceremony.objects.filter(candidate=candidate).prefetch_related("mentors__person").first(),
        last_body=chain[-1].org if chain else None,
    )
