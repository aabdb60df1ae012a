"""The one way a service locks a case before changing it."""

from __future__ import annotations

from admission.core.request_cache import per_step
from admission.sourcing.models.candidates import Candidate


def case_lock(candidate: Candidate | int) -> Candidate:
    """The case, locked for the rest of the transaction, read afresh with its cell, person and rule set.

    Inside a flow step (`workflows.services.run_step`, whose step memory this uses) the locked case is read once:
    the lock holds until the step commits, so no one else can change it meanwhile, and any save of the case ends
    the shared copy (`admission.apps`), so a second service of the same step (the cell's vote, then its resolution)
    gets the case as the first one left it without locking and reading it again."""
    pk = candidate if isinstance(candidate, int) else candidate.pk
    return per_step(
        ("locked_case", pk),
        lambda: Candidate.objects.select_for_update().select_related("cell", "person", "rule_set").get(pk=pk),
    )
