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
from admission.party import hierarchy
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.party.models.restructuring import RestructuringOperation
from admission.probation.models import Probation, ProbationStatus, RecognitionStep
from admission.sourcing.models.candidates import Candidate, CandidateState
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


def move_members_and_cases(*, cell: PartyOrg, to: PartyOrg, on: date, reason: str) -> tuple[int, int]:
    """A merged cell's current members join `to` from `on` (the old membership ends, admission and official dates
    stay), and its open cases go with them. Returns (members, cases)."""
    moved_members = 0
    for old in Membership.objects.select_for_update().filter(cell=cell, left_cell_on__isnull=True):
        if old.joined_cell_on >= on:  # joined on the day itself: the same membership, in the new cell
            old.cell = to
            old._change_reason = reason  # type: ignore[attr-defined]
            old.save(update_fields=["cell"])
            moved_members += 1
            continue
        old.left_cell_on = on
        old._change_reason = reason  # type: ignore[attr-defined]
        old.save(update_fields=["left_cell_on"])
        new = Membership.objects.create(
            person=old.person,
            cell=to,
            admitted_on=old.admitted_on,
            official_on=old.official_on,
            joined_cell_on=on,
            party_card_no=old.party_card_no,
        )
        Probation.objects.filter(membership=old).update(membership=new)
        moved_members += 1
    moved_cases = 0
    for case in Candidate.objects.select_for_update().filter(cell=cell, state__in=CandidateState.open_states()):
        case.cell = to
        case._change_reason = reason
        case.save(update_fields=["cell"])
        moved_cases += 1
    return moved_members, moved_cases


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
            last_round = probation.steps.aggregate(m=Max("round"))["m"] or 0
            current_round: list[Any] = list(
                probation.steps.filter(round=last_round).select_related("org").order_by("order", "pk")
            )
            pending = [s for s in current_round if s.status == StepStatus.PENDING]
            if pending:
                done = [s for s in current_round if s.status == StepStatus.DONE]
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
            _log(case, operation, f"{text} ({operation.get_kind_display()}, {operation.effective_on:%d/%m/%Y})", by)
    return {"moved_steps": moved_steps, "cases_with_moved_steps": len(touched), "case_ids": touched}
