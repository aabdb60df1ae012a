"""The statistics' read model follows every save, delete and bulk creation (`admission.core.bulk`) of the facts it
reflects, in the same transaction.

A service that records a nomination, a certificate, a cell resolution, a decision (its snapshot), a ceremony, a
recognition, a removal, a transfer or a sending back saves one of the models below; the receivers here rebuild the
rows of the people concerned (`admission.reports.stages.stages_rebuild`) before the service's transaction commits,
so a rolled-back service leaves no row behind, and a report never reads a fact without its row. Connected once,
from the app's ready(), like the history chain.

Only what the rows read triggers a rebuild: a partial save of a case that touches none of its counted fields, or a
chain step other than a cell resolution or a decision, changes nothing the report counts. A flow step
(`workflows.services.run_step`) runs in a `stages_batch`: its saves rebuild each person once, at its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from admission.core.bulk import rows_created_in_bulk
from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.decisions.models.snapshots import AdmissionSnapshot
from admission.party.hierarchy import StepKind
from admission.party.models.people import Membership
from admission.reports.stages import Sources, stages_rebuild
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.models.training import AwarenessCertificate

# The fields of a case its rows read (a save naming none of them leaves the rows as they are).
CASE_FIELDS = frozenset({"person", "cell", "state", "nominated_on", "sympathiser_meeting_on"})
COUNTED_STEPS = frozenset({StepKind.CELL_RESOLUTION, StepKind.DECISION})


def _person_of_case(case_id: int | None, cached: Any = None) -> set[int]:
    if cached is not None:
        return {cached.person_id}
    if case_id is None:
        return set()
    return set(Candidate.objects.filter(pk=case_id).values_list("person_id", flat=True))


def people_concerned(instance: Model) -> set[int]:
    """The people whose rows a save or delete of `instance` may change."""
    cache = instance._state.fields_cache
    if isinstance(instance, Candidate | AwarenessCertificate):
        return {instance.person_id}
    if isinstance(instance, ChainStepRecord):
        if instance.kind not in COUNTED_STEPS:
            return set()
        return _person_of_case(instance.candidate_id, cache.get("candidate"))
    if isinstance(instance, AdmissionSnapshot):
        return _person_of_case(instance.candidate_id, cache.get("candidate"))
    if isinstance(instance, Ceremony):
        people = _person_of_case(instance.candidate_id, cache.get("candidate"))
        member = cache.get("membership")
        if member is not None:
            return people | {member.person_id}
        return people | set(Membership.objects.filter(pk=instance.membership_id).values_list("person_id", flat=True))
    if isinstance(instance, Membership):
        # The case of its ceremony belongs to the same person; read it anyway (its funnel row says "official").
        cases = Ceremony.objects.filter(membership_id=instance.pk).values_list("candidate__person_id", flat=True)
        return {instance.person_id, *cases}
    return set()


_BATCH: ContextVar[set[int] | None] = ContextVar("stages_batch", default=None)


@contextmanager
def stages_batch() -> Iterator[None]:
    """Inside a transaction: the people whose facts the block changes are rebuilt once, when the block ends, still
    inside the transaction, instead of at each save (a flow step saves its step, the case and a snapshot: three
    rebuilds of the same person). Rebuilt from the facts as they stand then, so a savepoint rolled back inside the
    block costs a rebuild and changes nothing; when the block fails with the transaction broken, the transaction
    rolls back and there is nothing to rebuild. Outside a transaction, or inside another batch, saves rebuild as
    usual (the outer batch collects them)."""
    if _BATCH.get() is not None or not connection.in_atomic_block:
        yield
        return
    people: set[int] = set()
    token = _BATCH.set(people)
    try:
        yield
    finally:
        _BATCH.reset(token)
        if people and not connection.needs_rollback:
            stages_rebuild(people)


def _rebuild(people: set[int]) -> None:
    batch = _BATCH.get()
    if batch is not None and connection.in_atomic_block:
        batch.update(people)
    elif people:
        stages_rebuild(people)


def _saved(sender: type[Model], instance: Model, update_fields: Any = None, **kwargs: Any) -> None:
    if sender is Candidate and update_fields is not None and not set(update_fields) & CASE_FIELDS:
        return
    _rebuild(people_concerned(instance))


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    _rebuild(people_concerned(instance))


def _created_in_bulk(sender: type[Model], objs: list[Model], **kwargs: Any) -> None:
    """Rows inserted together (`admission.core.bulk.created_in_bulk`: a chain's steps to come) send no post_save.
    A new chain step counts only as a done cell resolution: no snapshot can name a decision step just inserted."""
    counted = [
        obj
        for obj in objs
        if not isinstance(obj, ChainStepRecord)
        or (obj.kind == StepKind.CELL_RESOLUTION and obj.status == StepStatus.DONE)
    ]
    _rebuild(set().union(*(people_concerned(obj) for obj in counted)))


def connect() -> None:
    """Rebuild the read model's rows on every save, delete and bulk creation of the facts (called once, from the
    app's ready())."""
    for model in Sources.current().facts():
        label = model._meta.label_lower
        post_save.connect(_saved, sender=model, dispatch_uid=f"reports.stages.saved.{label}", weak=False)
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"reports.stages.deleted.{label}", weak=False)
        rows_created_in_bulk.connect(
            _created_in_bulk, sender=model, dispatch_uid=f"reports.stages.bulk.{label}", weak=False
        )
