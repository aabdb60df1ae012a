"""Which records are chained, with which key fields, and the one hook that chains them.

Every save of a chained record goes through `post_save` (connected once in `AdmissionConfig.ready`), so the
services, the flows, the imports, the demo and the admin all write an entry in the same transaction as the record,
without each of them remembering to. A record gets a new entry whenever its key fields differ from its latest
entry; the verifier (`verify.py`) then expects each record to equal its latest entry. A bulk `QuerySet.update()`
sends no signal: chained records are saved one by one (the services do).

Records are chained from the moment they mean something: a step of the approval or recognition chain once it is
done, refused or sent back (a pending step is a plan, deleted when a case is proposed anew); a viewflow task once
it is done. The engine's tasks are named by their label ("viewflow.task") and read by attribute, so the domain
still never imports the workflow engine; without it installed, that source is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import Max, Q
from django.db.models.signals import post_save

from admission.audit.chain import canonical, chain_append, chain_extend, plain
from admission.core.bulk import rows_created_in_bulk


def _always(obj: Any) -> bool:
    return True


def _decided(obj: Any) -> bool:
    return obj.status != "pending"


@dataclass(frozen=True)
class Source:
    """One kind of chained record: its model (by label), its key fields and who acted."""

    kind: str
    label: str  # "<app_label>.<model_name>", lower case
    fields: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  # foreign keys to the user who acted, the first one set wins
    tracked: Callable[[Any], bool] = _always
    tracked_q: Q = field(default_factory=Q)
    data_of: Callable[[Any], dict[str, Any]] | None = None
    data_fields: tuple[str, ...] = ()  # with `data_of`: the model fields it reads

    @property
    def watched(self) -> frozenset[str]:
        """The fields whose change may change the entry (by name and by column): a partial save of none of them
        records nothing. Empty (watch every save) for a `data_of` source that does not name its fields."""
        names = self.data_fields if self.data_of is not None else self.fields
        return frozenset(names) | frozenset(f"{name}_id" for name in names)

    def model(self, registry: Any = None) -> type[models.Model]:
        return (registry or django_apps).get_model(self.label)

    def record(self, pk: Any) -> str:
        return f"{self.label}:{pk}"

    def data(self, obj: Any) -> dict[str, Any]:
        if self.data_of is not None:
            return plain(self.data_of(obj))
        values: dict[str, Any] = {}
        for name in self.fields:
            model_field = obj._meta.get_field(name)
            raw = getattr(obj, model_field.attname)
            if not isinstance(model_field, models.FileField) and raw is not None:
                raw = model_field.to_python(raw)  # what the database gives back, whatever was assigned
            values[name] = raw
        return plain(values)

    def actor(self, obj: Any) -> tuple[int | None, str]:
        for name in self.actors:
            user_id = getattr(obj, f"{name}_id", None)
            if user_id is None:
                continue
            cached = obj._state.fields_cache.get(name)
            if cached is not None:
                return user_id, cached.get_username()
            username = get_user_model()._default_manager.filter(pk=user_id).values_list("username", flat=True).first()
            return user_id, username or ""
        return None, ""


def _task_data(task: Any) -> dict[str, Any]:
    flow_task = type(task)._meta.get_field("flow_task")
    return {
        "process": task.process_id,
        "flow_task": flow_task.get_prep_value(task.flow_task),
        "status": task.status,
        "owner": task.owner_id,
        "finished": task.finished,
    }


def _task_done(task: Any) -> bool:
    return task.status == "DONE"


_SOURCES: dict[str, Source] = {}

DOMAIN_SOURCES = (
    Source(
        "state",
        "django_fsm_log.statelog",
        ("content_type", "object_id", "transition", "source_state", "state", "timestamp", "by", "description"),
        actors=("by",),
    ),
    Source(
        "meeting",
        "admission.meeting",
        (
            "org",
            "body",
            "purpose",
            "held_on",
            "members_total",
            "official_members",
            "probationary_members",
            "temporarily_transferred",
            "exempted",
            "exempted_present",
            "present",
            "roster",
            "recorded_by",
        ),
        actors=("recorded_by",),
    ),
    Source(
        "vote",
        "admission.vote",
        (
            "meeting",
            "candidate",
            "rule_set",
            "votes_for",
            "votes_against",
            "denominator",
            "needed",
            "passed",
            "recorded_by",
        ),
        actors=("recorded_by",),
    ),
    Source(
        "decision",
        "admission.chainsteprecord",
        (
            "candidate",
            "order",
            "kind",
            "org",
            "form",
            "status",
            "vote",
            "document_number",
            "document_date",
            "received_on",
            "note",
            "done_on",
            "done_by",
        ),
        actors=("done_by",),
        tracked=_decided,
        tracked_q=~Q(status="pending"),
    ),
    Source(
        "recognition",
        "admission.recognitionstep",
        (
            "probation",
            "round",
            "order",
            "kind",
            "org",
            "form",
            "status",
            "vote",
            "document_number",
            "document_date",
            "note",
            "late_reason",
            "done_on",
            "done_by",
        ),
        actors=("done_by",),
        tracked=_decided,
        tracked_q=~Q(status="pending"),
    ),
    Source(
        "ceremony",
        "admission.ceremony",
        ("candidate", "held_on", "place", "decision_read_by", "late_consent_ref", "membership", "recorded_by"),
        actors=("recorded_by",),
    ),
    Source(
        "removal",
        "admission.probationremoval",
        (
            "probation",
            "status",
            "reason_code",
            "reason",
            "proposed_on",
            "proposed_by_org",
            "vote",
            "decided_on",
            "decision_number",
            "decided_by_org",
            "decision_note",
            "proposed_by",
            "decided_by",
        ),
        actors=("decided_by", "proposed_by"),
    ),
    Source(
        "send_back",
        "admission.casesendback",
        ("candidate", "target", "from_state", "from_step", "chain_step", "acting_org", "reason", "sent_on", "sent_by"),
        actors=("sent_by",),
    ),
    Source(
        "replaced_paper",
        "admission.replacedpaper",
        ("candidate", "paper", "dated", "summary", "data", "scans", "reason", "replaced_on", "replaced_by"),
        actors=("replaced_by",),
    ),
    Source(
        "consent",
        "admission.consent",
        ("candidate", "kind", "reference", "granted_on", "granted_by", "scan", "recorded_by"),
        actors=("recorded_by",),
    ),
    Source(
        "delegation",
        "admission.delegation",
        (
            "from_user",
            "to_user",
            "org",
            "starts_on",
            "ends_on",
            "reason",
            "created_by",
            "created",
            "revoked_at",
            "revoked_by",
        ),
        actors=("revoked_by", "created_by"),
    ),
    # A change of the tree: who asked, for which date, why, and when it was applied (admission.restructuring).
    Source(
        "restructuring",
        "admission.restructuringoperation",
        (
            "kind",
            "org",
            "target",
            "new_name",
            "old_name",
            "effective_on",
            "reason",
            "decision_number",
            "owner_org",
            "status",
            "requested_by",
            "requested_at",
            "applied_at",
        ),
        actors=("requested_by",),
    ),
    # A step of a flow, once done: which step of which process, who did it and when (viewflow's Task).
    Source(
        "task",
        "viewflow.task",
        actors=("owner",),
        tracked=_task_done,
        tracked_q=Q(status="DONE"),
        data_of=_task_data,
        data_fields=("process", "flow_task", "status", "owner", "finished"),
    ),
)


def register(source: Source) -> None:
    _SOURCES[source.label] = source


def sources() -> list[Source]:
    return list(_SOURCES.values())


def source_for(model: type[models.Model]) -> Source | None:
    concrete = model._meta.concrete_model or model
    return _SOURCES.get(concrete._meta.label_lower)


Item = tuple[str, str, dict[str, Any], int | None, str]  # kind, record, data, actor id, actor name


@dataclass
class _Pending:
    marker: Callable[[], None]  # its on-commit callback tells whether the savepoint it was written in still stands
    item: Item
    compare: bool  # a save of an existing record: kept only if it differs from the record's latest entry
    tracked: bool


@dataclass
class _Deferred:
    """The entries of a `chain_deferred` block. A save of an existing record is compared with the record's latest
    entry when the block ends, for all of them in one read, as the saves one by one would have compared."""

    pending: list[_Pending] = field(default_factory=list)

    def alive(self) -> list[Item]:
        from admission.audit.models import HistoryEntry

        standing = {id(entry[1]) for entry in connection.run_on_commit}  # (savepoint ids, callback, robust)
        kept = [p for p in self.pending if id(p.marker) in standing]
        asked = sorted({p.item[1] for p in kept if p.compare})
        latest: dict[str, Any] = {}
        for start in range(0, len(asked), 500):
            chunk = asked[start : start + 500]
            heads = HistoryEntry.objects.filter(record__in=chunk).values("record").annotate(top=Max("seq"))
            latest.update(HistoryEntry.objects.filter(seq__in=heads.values("top")).values_list("record", "data"))
        items: list[Item] = []
        for p in kept:
            record, data = p.item[1], p.item[2]
            if p.compare:
                before = latest.get(record)
                if before is not None and canonical(before) == canonical(data):
                    continue
                if before is None and not p.tracked:
                    continue
            latest[record] = data
            items.append(p.item)
        return items


_DEFERRED: ContextVar[_Deferred | None] = ContextVar("chain_deferred", default=None)


@contextmanager
def chain_deferred() -> Iterator[None]:
    """Inside a transaction: the chained saves of this block are appended together when it ends, still inside the
    transaction, so the chain's lock is held from then to the commit instead of from the first save (the timer
    dispatchers run side by side instead of one after the other). An entry written in a savepoint that was rolled
    back is dropped, as Django drops that savepoint's on-commit callbacks; on an error nothing is appended."""
    if not connection.in_atomic_block:
        raise RuntimeError("chain_deferred() needs a transaction.")
    deferred = _Deferred()
    token = _DEFERRED.set(deferred)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    chain_extend(deferred.alive())


def record_saved(source: Source, obj: Any, *, created: bool) -> None:
    """Append an entry when the record is chained and its key fields differ from its latest entry."""
    from admission.audit.models import HistoryEntry

    data = source.data(obj)
    record = source.record(obj.pk)
    deferred = _DEFERRED.get()
    if deferred is not None:
        if created and not source.tracked(obj):
            return

        def marker() -> None:  # runs after the commit, as a no-op: it only marks the savepoint the entry belongs to
            return None

        transaction.on_commit(marker)
        actor_id, actor_name = source.actor(obj)
        item = (source.kind, record, plain(data), actor_id, actor_name)
        deferred.pending.append(_Pending(marker, item, compare=not created, tracked=created or source.tracked(obj)))
        return
    if not created:
        latest = HistoryEntry.objects.filter(record=record).order_by("-seq").values_list("data", flat=True).first()
        if latest is not None and canonical(latest) == canonical(data):
            return
        if latest is None and not source.tracked(obj):
            return
    elif not source.tracked(obj):
        return
    actor_id, actor_name = source.actor(obj)
    chain_append(kind=source.kind, record=record, data=data, actor_id=actor_id, actor_name=actor_name)


def _on_save(sender: type[models.Model], instance: Any, created: bool = False, **kwargs: Any) -> None:
    source = source_for(sender)
    if source is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and source.watched and not set(update_fields) & source.watched:
        return  # a partial save of fields the entry does not hold (a task's queue data): nothing to record
    if update_fields is not None:
        # A partial save wrote some fields; the instance's other fields may be older than the row: read the row.
        instance = sender._default_manager.get(pk=instance.pk)
    record_saved(source, instance, created=created)


def _on_bulk_create(sender: type[models.Model], objs: list[Any], **kwargs: Any) -> None:
    source = source_for(sender)
    if source is not None:
        for obj in objs:
            record_saved(source, obj, created=True)


def connect() -> None:
    """Register the domain's sources and chain every save of them (called once, from the app's ready())."""
    for source in DOMAIN_SOURCES:
        register(source)
    post_save.connect(_on_save, dispatch_uid="admission.audit.chain", weak=False)
    rows_created_in_bulk.connect(_on_bulk_create, dispatch_uid="admission.audit.chain.bulk", weak=False)
