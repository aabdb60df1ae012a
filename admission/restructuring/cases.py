"""What a restructuring does to the records that wait at the old bodies: the members and open cases of a merged
cell go to the successor cell, and the waiting steps of open cases (admission 7–9-KNĐ, recognition 14–16-KNĐ, a
proposed course attendance) re-resolve from the tree as it now stands. Done steps are never touched; a moved step
keeps the body it first belonged to (`moved_from`) and the case's history names both bodies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import zip_longest
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.models.meetings import Meeting
from admission.dossier.models import Introduction
from admission.party import hierarchy
from admission.party.models.guests import CellGuest
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.party.models.restructuring import RestructuringOperation
from admission.probation.models import Probation, ProbationStatus, RecognitionStep
from admission.probation.services.deadlines import current_round
from admission.rules.reference import vn_date
from admission.sourcing.models.candidates import Candidate, CandidateState, Mentor
from admission.sourcing.models.training import Enrollment, EnrollmentState


@dataclass
class Affected:
    """What an operation touches, for the preview and for the record of what moved."""

    cases: list[Candidate] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    waiting_steps: list[Any] = field(default_factory=list)  # pending chain or recognition steps at the org's subtree


def _open_cases() -> Any:
    return Candidate.objects.filter(state__in=CandidateState.open_states()).select_related("person", "cell")


def affected(operation: RestructuringOperation, *, on: date) -> Affected:
    """The open cases and members the operation concerns: those of the org's subtree, and the cases waiting at a
    body of that subtree (the org itself when it is a committee)."""
    org = operation.org
    subtree = Q(cell__path__startswith=org.path)
    steps_here = Q(org__path__startswith=org.path, status=StepStatus.PENDING)
    waiting: list[Any] = list(ChainStepRecord.objects.filter(steps_here).select_related("org", "candidate__person"))
    waiting += list(RecognitionStep.objects.filter(steps_here).select_related("org", "probation__candidate__person"))
    waiting_cases = {s.candidate_id if isinstance(s, ChainStepRecord) else s.probation.candidate_id for s in waiting}
    cases = list(_open_cases().filter(subtree | Q(pk__in=waiting_cases)).order_by("cell__path", "person__full_name"))
    members = list(
        Membership.objects.active_on(on).filter(cell__path__startswith=org.path).select_related("person", "cell")
    )
    return Affected(cases=cases, members=members, waiting_steps=waiting)


def latest_record_on(org: PartyOrg) -> date | None:
    """The date of the latest record already made in the org's subtree: a meeting held, a chain step done, a member
    joining a cell. A restructuring dated before it would end roles and memberships under those records."""
    subtree = org.path
    days = [
        Meeting.objects.filter(org__path__startswith=subtree).aggregate(m=Max("held_on"))["m"],
        ChainStepRecord.objects.filter(org__path__startswith=subtree, status=StepStatus.DONE).aggregate(
            m=Max("done_on")
        )["m"],
        Membership.objects.filter(cell__path__startswith=subtree).aggregate(m=Max("joined_cell_on"))["m"],
    ]
    found = [day for day in days if day is not None]
    return max(found) if found else None


def move_members_and_cases(*, cell: PartyOrg, to: PartyOrg, on: date, reason: str) -> tuple[int, int]:
    """A merged cell's current members join `to` from `on` (the old membership ends, admission and official dates
    stay), and its open cases go with them. Returns (members, cases)."""
    moved_members = 0
    moved_people: list[Membership] = []
    for old in Membership.objects.select_for_update().filter(cell=cell, left_cell_on__isnull=True):
        if old.joined_cell_on >= on:  # joined on the day itself: the same membership, in the new cell
            old.cell = to
            old._change_reason = reason  # type: ignore[attr-defined]
            old.save(update_fields=["cell"])
            moved_people.append(old)
            moved_members += 1
            continue
        old.left_cell_on = on
        old._change_reason = reason  # type: ignore[attr-defined]
        old.save(update_fields=["left_cell_on"])
        new = Membership(
            person=old.person,
            cell=to,
            admitted_on=old.admitted_on,
            official_on=old.official_on,
            joined_cell_on=on,
            party_card_no=old.party_card_no,
        )
        new.full_clean()
        new._change_reason = reason  # type: ignore[attr-defined]
        new.save()
        _repoint_member(old, new, on=on, reason=reason)
        moved_people.append(new)
        moved_members += 1
    _move_guests(cell=cell, to=to, members=moved_people, on=on, reason=reason)
    moved_cases = 0
    for case in Candidate.objects.select_for_update().filter(cell=cell, state__in=CandidateState.open_states()):
        case.cell = to
        case._change_reason = reason
        case.save(update_fields=["cell"])
        moved_cases += 1
    return moved_members, moved_cases


def _repoint_member(old: Membership, new: Membership, *, on: date, reason: str) -> None:
    """What the member still does as a member goes with the new membership: the probation, the introductions of open
    cases not replaced, the open mentoring and the guest periods not over by `on` (each saved, with its history)."""
    for probation in Probation.objects.select_for_update().filter(membership=old):
        probation.membership = new
        probation._change_reason = reason  # type: ignore[attr-defined]
        probation.save(update_fields=["membership"])
    introductions = Introduction.objects.select_for_update().filter(
        introducer=old, replaced_by__isnull=True, candidate__state__in=CandidateState.open_states()
    )
    for introduction in introductions:
        introduction.introducer = new
        introduction._change_reason = reason  # type: ignore[attr-defined]
        introduction.save(update_fields=["introducer"])
    for mentor in Mentor.objects.select_for_update().filter(member=old, ended_on__isnull=True):
        mentor.member = new
        mentor._change_reason = reason  # type: ignore[attr-defined]
        mentor.save(update_fields=["member"])
    for guest in CellGuest.objects.select_for_update().filter(membership=old).exclude(ends_on__lte=on):
        _guest_from(guest, on=on, reason=reason, membership=new)


def _guest_from(
    guest: CellGuest, *, on: date, reason: str, membership: Membership | None = None, host: PartyOrg | None = None
) -> None:
    """The guest period goes on from `on` with the new membership or host cell: re-pointed when it starts that day or
    later, else ended on `on` and continued by a new period (the meetings before `on` keep their roster). A period
    that would make the member a guest of their own cell ends on `on`."""
    membership = membership or guest.membership
    host = host or guest.host_cell
    if membership.cell_id == host.pk:
        guest._change_reason = reason  # type: ignore[attr-defined]
        if guest.starts_on >= on:
            guest.delete()  # a plan that the merge makes moot: the member is now in that cell
            return
        guest.ends_on = on
        guest.save(update_fields=["ends_on"])
        return
    if guest.starts_on >= on:
        guest.membership, guest.host_cell = membership, host
        guest._change_reason = reason  # type: ignore[attr-defined]
        guest.save(update_fields=["membership", "host_cell"])
        return
    ends_on = guest.ends_on
    guest.ends_on = on
    guest._change_reason = reason  # type: ignore[attr-defined]
    guest.save(update_fields=["ends_on"])
    follow_on = CellGuest(
        membership=membership,
        host_cell=host,
        starts_on=on,
        ends_on=ends_on,
        reason=guest.reason,
        recorded_by=guest.recorded_by,
    )
    follow_on.full_clean()
    follow_on._change_reason = reason  # type: ignore[attr-defined]
    follow_on.save()


def _move_guests(*, cell: PartyOrg, to: PartyOrg, members: list[Membership], on: date, reason: str) -> None:
    """The guests the merged cell hosted take part in the successor's meetings; a moved member who was a guest of
    the successor is one of its members now."""
    for guest in CellGuest.objects.select_for_update().filter(host_cell=cell).exclude(ends_on__lte=on):
        _guest_from(guest, on=on, reason=reason, host=to)
    ids = [m.pk for m in members]
    for guest in CellGuest.objects.select_for_update().filter(membership_id__in=ids, host_cell=to):
        if guest.ends_on is None or guest.ends_on > on:
            _guest_from(guest, on=on, reason=reason)


def _successor(org: PartyOrg) -> PartyOrg:
    for _hop in range(20):
        successor = org.merged_into
        if successor is None:
            break
        org = successor
    return org


def _rechain(
    pending: list[Any], done: list[Any], cell: PartyOrg, on: date, purpose: str, operation: RestructuringOperation
) -> list[tuple[PartyOrg, PartyOrg]]:
    """Make the waiting steps of one chain those of the tree on `on`: the chain resolved anew, less the bodies that
    already did their step in this round (or, when the tree gives no chain, each old body's successor). Returns
    the (old body, new body) of each step whose body changed."""
    try:
        done_keys = {(s.org_id, s.kind) for s in done}
        wanted = [
            (s.org, str(s.kind), s.form, s.vote_body or "", s.deciding_body or "")
            for s in hierarchy.approval_chain(cell, on, purpose=purpose)[1:]
            if (s.org.pk, str(s.kind)) not in done_keys
        ]
    except hierarchy.ChainError:
        wanted = []
    if not wanted:
        wanted = [(_successor(s.org), s.kind, s.form, s.vote_body, s.deciding_body) for s in pending]
    current = [(s.org, s.kind, s.form, s.vote_body, s.deciding_body) for s in pending]
    if [(w[0].pk, *w[1:]) for w in wanted] == [(c[0].pk, *c[1:]) for c in current]:
        return []
    changes: list[tuple[PartyOrg, PartyOrg]] = []
    model = type(pending[0])
    next_order = max(s.order for s in [*pending, *done]) + 1
    template = pending[0]
    for row, want in zip_longest(pending, wanted):
        if want is None:
            row.delete()  # a waiting step is a plan: the tree no longer has that body in the chain
            continue
        org, kind, form, vote_body, deciding_body = want
        if row is None:
            row = model(**{f.attname: getattr(template, f.attname) for f in _copied(model)})
            row.order = next_order
            next_order += 1
        old = row.org if row.pk else None
        if old is not None and old.pk != org.pk:
            row.moved_from_id = row.moved_from_id or old.pk
            changes.append((old, org))
        row.org, row.kind, row.form, row.vote_body, row.deciding_body = org, kind, form, vote_body, deciding_body
        row.moved_by = operation
        row._change_reason = operation.reason
        row.save()
    return changes


def _copied(model: Any) -> list[Any]:
    keep = {"candidate", "probation", "round", "status"}
    return [f for f in model._meta.concrete_fields if f.name in keep]


def _log(case: Candidate, operation: RestructuringOperation, text: str, by: Any) -> None:
    """One line in the case's history (the same log as its state changes), naming both bodies."""
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(Candidate),
        object_id=case.pk,
        transition="restructure",
        source_state=case.state,
        state=case.state,
        by=by,
        description=text[:2000],
    )


def follow(operation: RestructuringOperation, *, cases: list[Candidate], on: date, by: Any) -> dict[str, Any]:
    """After the tree changed: re-resolve the waiting steps of each open case, and the approving committee of a
    proposed course attendance. Returns what moved."""
    moved_steps = 0
    touched: list[int] = []
    for case in Candidate.objects.filter(pk__in=[c.pk for c in cases]).select_related("cell"):
        changes: list[tuple[PartyOrg, PartyOrg]] = []
        if case.state == CandidateState.PROPOSED:
            steps = list(case.chain_steps.select_for_update(of=("self",)).select_related("org").order_by("order", "pk"))
            start = max((i for i, s in enumerate(steps) if s.kind == hierarchy.StepKind.CELL_RESOLUTION), default=0)
            current = steps[start:]
            pending = [s for s in current if s.status == StepStatus.PENDING]
            if pending:
                done = [s for s in current if s.status == StepStatus.DONE]
                changes += _rechain(pending, done, case.cell, on, hierarchy.Purpose.ADMISSION, operation)
        probation = Probation.objects.filter(candidate=case, status__in=ProbationStatus.open_states()).first()
        if probation is not None:
            this_round: list[Any] = list(
                probation.steps.filter(round=current_round(probation)).select_related("org").order_by("order", "pk")
            )
            pending = [s for s in this_round if s.status == StepStatus.PENDING]
            if pending:
                done = [s for s in this_round if s.status == StepStatus.DONE]
                changes += _rechain(pending, done, case.cell, on, hierarchy.Purpose.RECOGNITION, operation)
        for enrollment in Enrollment.objects.filter(candidate=case, state=EnrollmentState.PROPOSED):
            try:
                approver = hierarchy.training_approver(case.cell, on)
            except hierarchy.ChainError:
                approver = _successor(enrollment.approving_org)
            if approver.pk != enrollment.approving_org_id:
                changes.append((enrollment.approving_org, approver))
                enrollment.approving_org = approver
                enrollment.save(update_fields=["approving_org"])
        if changes:
            moved_steps += len(changes)
            touched.append(case.pk)
            text = "; ".join(
                _("Waiting step moved from %(old)s to %(new)s") % {"old": old.name, "new": new.name}
                for old, new in changes
            )
            _log(case, operation, f"{text} ({operation.get_kind_display()}, {vn_date(operation.effective_on)})", by)
    return {"moved_steps": moved_steps, "cases_with_moved_steps": len(touched), "case_ids": touched}
