"""The hash chain: canonical content, the hash, and appending an entry in the writer's transaction.

An entry's hash is SHA-256 over the previous entry's hash and the canonical JSON of its content (the record's label
and key, who, when, the kind, the record's key fields). Canonical JSON: sorted keys, no spaces, UTF-8, dates and
times as ISO text in UTC, so the same content always gives the same bytes on SQLite and PostgreSQL. Changing any
recorded value changes that entry's hash; removing or inserting an entry breaks the next entry's link; rewriting
the whole tail changes the head, which is printed on every dossier and logged daily (`history_verify --log-head`),
so a copy kept elsewhere shows it.

Appending takes one lock for the whole chain (a transaction-scoped advisory lock on PostgreSQL; SQLite serialises
writers already), so two transactions never both extend the same head; the unique `seq` and `hash` are the
backstop. The lock is held until the writer's transaction ends: writes that are chained are serialised.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise

from admission.audit.models import GENESIS, HistoryEntry

# An arbitrary fixed key for pg_advisory_xact_lock: "the history chain".
_LOCK_KEY = 7_201_302_131


def plain(value: Any) -> Any:
    """A JSON value for a model value: dates and times as ISO text (times in UTC), files by name, lazy text and
    choices as plain strings."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, decimal.Decimal | float):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Content:
    """What an entry says, apart from its place in the chain."""

    kind: str
    record: str
    actor_id: int | None
    actor_name: str
    recorded_at: datetime.datetime
    data: dict[str, Any]

    def hash_with(self, prev_hash: str) -> str:
        body = canonical(
            {
                "prev": prev_hash,
                "kind": self.kind,
                "record": self.record,
                "actor": self.actor_id,
                "actor_name": self.actor_name,
                "at": plain(self.recorded_at),
                "data": self.data,
            }
        )
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


def content_of(entry: HistoryEntry) -> Content:
    return Content(entry.kind, entry.record, entry.actor_id, entry.actor_name, entry.recorded_at, entry.data)


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def chain_append(
    *,
    kind: str,
    record: str,
    data: dict[str, Any],
    actor_id: int | None = None,
    actor_name: str = "",
    entry_model: Any = HistoryEntry,
) -> HistoryEntry:
    """Append one entry after the current head, inside the caller's transaction (its own when there is none).
    `entry_model` is the migration's historical model when the backfill runs inside a migration."""
    (entry,) = chain_extend([(kind, record, data, actor_id, actor_name)], entry_model=entry_model)
    return entry


def chain_extend(
    items: list[tuple[str, str, dict[str, Any], int | None, str]], *, entry_model: Any = HistoryEntry
) -> list[HistoryEntry]:
    """Append entries `(kind, record, data, actor id, actor name)` after the current head, in order, under one lock
    and one insert (the timer's sweep records thousands of reminders at once); same hashes as one by one."""
    if not items:
        return []
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = entry_model._default_manager.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        at = timezone.now()
        entries = []
        for kind, record, data, actor_id, actor_name in items:
            content = Content(kind, record, actor_id, actor_name[:150], at, plain(data))
            entry_hash = content.hash_with(prev_hash)
            entries.append(
                entry_model(
                    seq=seq,
                    recorded_at=at,
                    kind=kind,
                    record=record,
                    actor_id=actor_id,
                    actor_name=content.actor_name,
                    data=content.data,
                    prev_hash=prev_hash,
                    hash=entry_hash,
                )
            )
            seq, prev_hash = seq + 1, entry_hash
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            entry_model._default_manager.bulk_create(entries, batch_size=1000)
    return entries


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    recorded_at: datetime.datetime | None

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"


def chain_head() -> Head:
    """The latest entry (number 0 and the genesis hash while the chain is empty)."""
    last = HistoryEntry.objects.order_by("-seq").values_list("seq", "hash", "recorded_at").first()
    return Head(*last) if last else Head(0, GENESIS, None)
