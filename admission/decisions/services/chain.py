"""A case's approval chain as its steps read it: once per flow step (the step memory), in order, with their orgs.

`chain_of` is the one read (`chain_locked` when a service is about to change a step); the questions the services,
the flow's nodes and the snapshot ask of the chain (the cell's resolution, the next pending step, the decision) are
answered from it. Inside `workflows.services.run_step` the read is shared: a step saved whole takes its place in it,
the chain a proposal writes is kept as written, and it is read again when a step is inserted or deleted some other
way, when a step is saved in part, or when the case is locked again (`decisions._lock`; `admission.apps`); elsewhere
each call reads the chain.
"""

from __future__ import annotations

from admission.core.request_cache import per_step, step_keep
from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.party import hierarchy
from admission.sourcing.models.candidates import Candidate


def _read(pk: int, *, lock: bool) -> list[ChainStepRecord]:
    rows = ChainStepRecord.objects.filter(candidate_id=pk).select_related("org").order_by("order", "pk")
    return list(rows.select_for_update(of=("self",)) if lock else rows)


def chain_of(candidate: Candidate) -> list[ChainStepRecord]:
    """The case's chain steps with their orgs, in order. Inside a step (`workflows.services.run_step`) they are read
    once and shared until a step of the chain is inserted or deleted, or the case is locked again; a step saved
    whole takes its place in the shared list (`admission.apps`). Elsewhere each call reads them."""
    return per_step(("chain", candidate.pk), lambda: _read(candidate.pk, lock=False))


def chain_locked(candidate: Candidate) -> list[ChainStepRecord]:
    """The chain read afresh, its rows locked for the rest of the transaction (a service about to change one of its
    steps); inside a step, the step memory's copy from then on."""
    chain = _read(candidate.pk, lock=True)
    step_keep(("chain", candidate.pk), chain)
    return chain


def cell_resolution(candidate: Candidate) -> ChainStepRecord | None:
    """The cell's latest resolution: a case sent back and proposed again counts its deadlines from the new one."""
    done = [
        s for s in chain_of(candidate) if s.kind == hierarchy.StepKind.CELL_RESOLUTION and s.status == StepStatus.DONE
    ]
    return max(done, key=lambda s: s.order) if done else None


def next_step(candidate: Candidate) -> ChainStepRecord | None:
    """The chain's first pending step, with its org."""
    return next((s for s in chain_of(candidate) if s.status == StepStatus.PENDING), None)


def decision_of(candidate: Candidate) -> ChainStepRecord | None:
    """The chain's admission decision, once done (the earliest, as the chain is ordered)."""
    return next(
        (s for s in chain_of(candidate) if s.kind == hierarchy.StepKind.DECISION and s.status == StepStatus.DONE),
        None,
    )
