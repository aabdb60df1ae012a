"""Inserting many new rows of a history-tracked model at once, without losing what listens to their creation."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.dispatch import Signal

# Sent after `created_in_bulk` inserts rows (`sender` the model, `objs` the new rows with their ids): the history
# chain appends their entries as single saves would have.
rows_created_in_bulk = Signal()


def created_in_bulk(model: type[models.Model], objs: list[Any], *, by: Any = None) -> list[Any]:
    """Insert new rows of a model kept by simple-history: one insert for the rows, one for their historical rows,
    then `rows_created_in_bulk`. Only for rows that nothing else needs to hear about one by one (post_save is not
    sent)."""
    if not objs:
        return []
    from simple_history.utils import bulk_create_with_history

    created = bulk_create_with_history(objs, model, default_user=by if getattr(by, "pk", None) else None)
    rows_created_in_bulk.send(sender=model, objs=created)
    return created
