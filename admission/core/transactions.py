"""A service's transaction, and the step's transaction it may join.

Every service is atomic on its own (`@atomic_service`). Called inside a step (`workflows.services.run_step`, which
opens `joining_step()` inside its transaction), a service needs no savepoint of its own: the step keeps no partial
work, and an error in any service ends the whole step, which rolls back as one. Three services in a cell's vote
made three savepoints, six round trips to the database, for nothing. Outside a step (a command, an import, a test
calling the service), the service keeps its savepoint, so a caller may still catch its error and go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar, cast

from django.db import transaction

F = TypeVar("F", bound=Callable[..., Any])

_IN_STEP: ContextVar[bool] = ContextVar("in_step_transaction", default=False)


@contextmanager
def joining_step() -> Iterator[None]:
    """Inside a step's transaction: the services called in the block join it without savepoints."""
    token = _IN_STEP.set(True)
    try:
        yield
    finally:
        _IN_STEP.reset(token)


def atomic_service(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with transaction.atomic(savepoint=not _IN_STEP.get()):
            return func(*args, **kwargs)

    return cast(F, wrapper)
