"""Chain the records written before the chain existed (run once by the migration that creates the chain).

Each record that should be chained and has no entry gets one, kind by kind, oldest first, with its key fields as
they stand at the upgrade (what the verifier compares later). From then on every save is chained as it happens."""

from __future__ import annotations

from typing import Any

from admission.audit.chain import chain_append
from admission.audit.sources import DOMAIN_SOURCES


def backfill(registry: Any) -> int:
    """Append an entry for every chained record of `registry` (the migration's apps) that has none."""
    entry_model = registry.get_model("admission", "HistoryEntry")
    written = 0
    for source in DOMAIN_SOURCES:
        try:
            model = source.model(registry)
        except LookupError:
            continue
        recorded = set(
            entry_model._default_manager.filter(record__startswith=f"{source.label}:").values_list("record", flat=True)
        )
        for obj in model._default_manager.filter(source.tracked_q).order_by("pk").iterator(chunk_size=2000):
            record = source.record(obj.pk)
            if record in recorded:
                continue
            actor_id, actor_name = source.actor(obj)
            chain_append(
                kind=source.kind,
                record=record,
                data=source.data(obj),
                actor_id=actor_id,
                actor_name=actor_name,
                entry_model=entry_model,
            )
            written += 1
    return written
