"""The admission snapshot: the case as it stood on its decision date, written once (see admission/models/snapshots.py).

`snapshot_take` is called in the transaction that records the admission decision (`decisions.chain_step_complete`)
and by the spreadsheet import for cases imported as admitted or later. The org path is read from the dated
`OrgParentLink` rows, so a decision recorded after a restructuring that took effect the day after the decision still
lands under the org of its day.

`org_path_on` is a pure function over the links so that bulk writers (the import, the benchmark generator) can load
the links once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from admission.core.transactions import atomic_service
from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.models.snapshots import AdmissionSnapshot
from admission.decisions.services.chain import chain_of, decision_of
from admission.party.hierarchy import StepKind
from admission.party.models.orgs import OrgKind, OrgParentLink, PartyOrg
from admission.rules import compute as rules
from admission.rules.models.rulesets import AgeCounting
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.models.training import AwarenessCertificate

# (parent id, valid from, valid to) of one org's parent links.
Link = tuple[int, date | None, date | None]
GRASSROOTS_KINDS = frozenset({OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL})
MAX_DEPTH = 20


def _covers(start: date | None, end: date | None, day: date) -> bool:
    return (start is None or start <= day) and (end is None or day < end)


def parent_on(links: Sequence[Link], day: date) -> int | None:
    """The parent of the link covering `day`. With no such link (a case imported with a date older than the tree
    recorded here, or inconsistent dates) the nearest link in time, the closest thing known; None for a root."""
    for parent, start, end in links:
        if _covers(start, end, day):
            return parent
    later = [link for link in links if link[1] is not None and day < link[1]]
    if later:
        return min(later, key=lambda link: link[1] or day)[0]
    earlier = [link for link in links if link[2] is not None and link[2] <= day]
    if earlier:
        return max(earlier, key=lambda link: link[2] or day)[0]
    return None


def org_path_on(org_id: int, day: date, links: Callable[[int], Sequence[Link]]) -> list[int]:
    """The org's ancestry on `day`, root first and the org itself last (the ids of a `PartyOrg.path`)."""
    chain = [org_id]
    current = parent_on(links(org_id), day)
    while current is not None and current not in chain and len(chain) < MAX_DEPTH:
        chain.append(current)
        current = parent_on(links(current), day)
    return list(reversed(chain))


def path_text(ids: Iterable[int]) -> str:
    return "/" + "".join(f"{pk}/" for pk in ids)


def links_loader(preload: Iterable[int] = ()) -> Callable[[int], Sequence[Link]]:
    """Parent links by org, read from the database on first use (the `preload` ids in one query)."""
    cache: dict[int, list[Link]] = defaultdict(list)
    loaded: set[int] = set()

    def fetch(ids: Iterable[int]) -> None:
        wanted = set(ids) - loaded
        if not wanted:
            return
        for org_id, parent_id, start, end in OrgParentLink.objects.filter(org_id__in=wanted).values_list(
            "org_id", "parent_id", "valid_from", "valid_to"
        ):
            cache[org_id].append((parent_id, start, end))
        loaded.update(wanted)

    fetch(preload)

    def get(org_id: int) -> Sequence[Link]:
        fetch([org_id])
        return cache[org_id]

    return get


def ancestors_by_kind(path: Sequence[int], kinds: Mapping[int, str]) -> tuple[int | None, int | None]:
    """(grassroots organisation, commune/ward committee) nearest the cell on the path, the cell included."""
    grassroots = next((pk for pk in reversed(path) if kinds.get(pk) in GRASSROOTS_KINDS), None)
    commune = next((pk for pk in reversed(path) if kinds.get(pk) == OrgKind.COMMUNE_COMMITTEE), None)
    return grassroots, commune


def age_months_on(date_of_birth: date, day: date) -> int:
    """Completed months of age on `day` (strictly by day: whole years are `// 12`)."""
    return rules.age_in_months(date_of_birth, day, counting=AgeCounting.STRICT_BY_DAY)


# A step of the chain as the durations read it: (order, kind, org id, status, done on).
StepRow = tuple[int, str, int, str, date | None]


def step_durations(*, steps: Sequence[StepRow], certificates: Iterable[date], decided_on: date) -> dict[str, Any]:
    """The dates the report's processing times need, from the case's chain steps and its holder's certificate
    dates: the last cell resolution up to the decision (a case sent back proposes anew), the certificate held on
    that day, and each later step with the step before it and what its deadline counts from (the decision: the
    cell's resolution, 294-QĐ/TW; a committee's step: the step before it). A pure function: the migration that
    fills the snapshots taken before these fields existed uses it too."""
    done = sorted((s for s in steps if s[3] == StepStatus.DONE and s[4] is not None), key=lambda s: s[0])
    resolutions = [s for s in done if s[1] == StepKind.CELL_RESOLUTION and s[4] is not None and s[4] <= decided_on]
    if not resolutions:
        return {"resolution_on": None, "certified_on": _latest(certificates, decided_on), "steps": []}
    resolution = resolutions[-1]
    resolution_on: date = resolution[4]  # type: ignore[assignment]
    chain: list[dict[str, Any]] = []
    previous = resolution_on
    for order, kind, org_id, _status, day in done:
        if order <= resolution[0] or day is None:
            continue
        due_from = resolution_on if kind == StepKind.DECISION else previous
        chain.append(
            {
                "kind": kind,
                "body": org_id,
                "start": previous.isoformat(),
                "end": day.isoformat(),
                "due_from": due_from.isoformat(),
            }
        )
        previous = day
        if kind == StepKind.DECISION:
            break
    return {"resolution_on": resolution_on, "certified_on": _latest(certificates, resolution_on), "steps": chain}


def _latest(days: Iterable[date], on: date) -> date | None:
    held = [day for day in days if day <= on]
    return max(held) if held else None


def snapshot_build(
    *,
    candidate: Candidate,
    decided_on: date,
    decision: ChainStepRecord | None,
    links: Callable[[int], Sequence[Link]],
    kinds: Mapping[int, str] | None = None,
    steps: Sequence[StepRow] | None = None,
    certificates: Iterable[date] | None = None,
) -> AdmissionSnapshot:
    """The unsaved snapshot (bulk writers save many at once; `snapshot_take` saves one). Bulk writers pass the case's
    `steps` and its holder's `certificates` (issue dates) read in bulk; otherwise they are read here."""
    person = candidate.person
    if decided_on < person.date_of_birth:
        raise ValidationError(_("The decision date cannot be before the date of birth."))
    path = org_path_on(candidate.cell_id, decided_on, links)
    if kinds is None:
        kinds = dict(PartyOrg.objects.filter(pk__in=path).values_list("pk", "kind"))
    grassroots, commune = ancestors_by_kind(path, kinds)
    if steps is None:
        steps = list(
            ChainStepRecord.objects.filter(candidate_id=candidate.pk).values_list(
                "order", "kind", "org_id", "status", "done_on"
            )
        )
    if certificates is None:
        certificates = AwarenessCertificate.objects.filter(person_id=person.pk).values_list("issued_on", flat=True)
    durations = step_durations(steps=steps, certificates=certificates, decided_on=decided_on)
    return AdmissionSnapshot(
        rule_set_id=candidate.rule_set_id,
        nominated_on=candidate.nominated_on,
        listed_on=candidate.sympathiser_meeting_on,
        certified_on=durations["certified_on"],
        resolution_on=durations["resolution_on"],
        steps=durations["steps"],
        candidate=candidate,
        decision=decision,
        decided_on=decided_on,
        cell_id=candidate.cell_id,
        path=path_text(path),
        grassroots_id=grassroots,
        commune_id=commune,
        date_of_birth=person.date_of_birth,
        age_months=age_months_on(person.date_of_birth, decided_on),
        sex=person.sex,
        ethnicity=person.ethnicity,
        religion=person.religion,
        education=person.education,
        professional_level=person.professional_level,
        occupation=person.occupation,
        employer_sector=person.employer_sector,
        youth_union_member=person.youth_union_member,
        trade_union_member=person.trade_union_member,
        is_readmission=candidate.is_readmission,
    )


@atomic_service
def snapshot_take(
    *, candidate: Candidate, decided_on: date, decision: ChainStepRecord | None = None
) -> AdmissionSnapshot:
    """Record who the person was and where the case belonged on the admission decision's date; once per case (the
    caller may give the decision step it has just recorded, and the case read with its person and cell)."""
    if AdmissionSnapshot.objects.filter(candidate_id=candidate.pk).exists():
        raise ValidationError(_("The admission of this case has already been recorded for the statistics."))
    cached = candidate._state.fields_cache
    if "person" not in cached or "cell" not in cached:
        candidate = Candidate.objects.select_related("person", "cell").get(pk=candidate.pk)
    chain = chain_of(candidate)
    snapshot = snapshot_build(
        candidate=candidate,
        decided_on=decided_on,
        decision=decision or decision_of(candidate),
        links=links_loader([*candidate.cell.ancestor_ids(), candidate.cell_id]),
        steps=[(s.order, s.kind, s.org_id, s.status, s.done_on) for s in chain],
    )
    snapshot.full_clean(exclude=["candidate", "decision", "cell", "grassroots", "commune", "rule_set"])
    snapshot.save()
    return snapshot
