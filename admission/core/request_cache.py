"""Reads kept for one request, and for one step's transaction.

A page or a step asks "which roles and delegations does this user hold today?" and "which orgs are in their
scope?" many times (the case page asked 8 and 11 times); a step's flow nodes read the same case three or four times
after the step's action. Two short-lived memories keep those answers:

* the **request memory** (`RequestMemoryMiddleware`): who acts for what, and which orgs lie in a user's scope, for
  the rest of the request. A save or delete of anything those answers are made of (a role, a delegation, an org, a
  transfer, a new case) ends the memory for the rest of that request: later questions are read afresh from the
  database, so a request that changes roles (or rolls such a change back) never sees a stale answer. It also keeps
  a cell's roster of a day (`party.selectors.cell_roster`: the vote form and the meeting record ask for it) and a
  person's latest certificate (`sourcing.eligibility.latest_certificate`: the dossier's checklist and the vote's
  eligibility ask), read afresh for the rest of the request once a membership, a guest period or a certificate is
  written (`request_close`);
* the **step memory** (`step_memory()`, opened by `workflows.services.run_step` inside its transaction, after the
  process lock, around the step's action and the flow's own nodes): the case as the nodes read it, replaced by the
  saved instance when the case is saved whole (the UPDATE locks its row until the step commits) and dropped when
  only some of its fields are; the case's approval chain (`decisions.chain_of`, or `chain_locked` when a service
  locks it), where a step saved whole takes its place, dropped when a step is inserted or deleted or the case is
  locked again; a new meeting's tally of voters and votes. A write made inside a savepoint of its own (which may
  still be rolled back alone) is never kept (`step_keep`).

Outside both (a management command, a test calling a service), nothing is kept and every call reads the database.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connection

T = TypeVar("T")


def _savepoints() -> tuple[str, ...]:
    """The savepoints open now (an atomic block without one, `savepoint=False`, cannot be rolled back alone)."""
    return tuple(sid for sid in connection.savepoint_ids if sid)


class _Memory:
    __slots__ = ("closed", "savepoints", "spoiled", "values")

    def __init__(self) -> None:
        self.values: dict[Hashable, Any] = {}
        self.spoiled = False
        self.closed: set[Any] = set()  # kinds of answers read afresh for the rest of the block (`request_close`)
        # The savepoints open when the memory opened: a write made inside a later one may still be rolled back
        # alone, so `step_keep` keeps only what was written at the memory's own level.
        self.savepoints = _savepoints()


_REQUEST: ContextVar[_Memory | None] = ContextVar("request_memory", default=None)
_STEP: ContextVar[_Memory | None] = ContextVar("step_memory", default=None)


@contextmanager
def _opened(var: ContextVar[_Memory | None]) -> Iterator[None]:
    token = var.set(_Memory())
    try:
        yield
    finally:
        var.reset(token)


def request_memory() -> Any:
    """Keep the permission reads of the block (a request) until something they depend on is written."""
    return _opened(_REQUEST)


def step_memory() -> Any:
    """Keep the case reads of the block (a step's flow nodes, inside its transaction)."""
    return _opened(_STEP)


def _remembered(var: ContextVar[_Memory | None], key: Hashable, compute: Callable[[], T]) -> T:
    memory = var.get()
    if memory is None or memory.spoiled or (isinstance(key, tuple) and key and key[0] in memory.closed):
        return compute()
    if key not in memory.values:
        memory.values[key] = compute()
    return memory.values[key]


def per_request(key: Hashable, compute: Callable[[], T]) -> T:
    return _remembered(_REQUEST, key, compute)


def per_step(key: Hashable, compute: Callable[[], T]) -> T:
    return _remembered(_STEP, key, compute)


def request_note(key: Hashable) -> None:
    """Remember a fact for the rest of the request (e.g. "this case was found in this user's scope")."""
    request_remember(key, True)


def request_remember(key: Hashable, value: Any) -> None:
    """Keep a value found on the way (e.g. the person a case is about) for the rest of the request."""
    memory = _REQUEST.get()
    if memory is not None and not memory.spoiled:
        memory.values[key] = value


def request_knows(key: Hashable) -> bool:
    memory = _REQUEST.get()
    return memory is not None and not memory.spoiled and memory.values.get(key) is True


def request_spoil() -> None:
    """Something the permission answers depend on was written: read afresh for the rest of the request."""
    memory = _REQUEST.get()
    if memory is not None:
        memory.values.clear()
        memory.spoiled = True


def request_forget(kind: str) -> None:
    """Drop the remembered answers whose key starts with `kind` (a tuple key's first part)."""
    memory = _REQUEST.get()
    if memory is not None:
        for key in [k for k in memory.values if isinstance(k, tuple) and k and k[0] == kind]:
            del memory.values[key]


def request_close(kind: str) -> None:
    """Something the answers of `kind` are made of was written: drop them, and read them afresh for the rest of the
    request (a write that a savepoint may still roll back must not leave a remembered answer behind)."""
    memory = _REQUEST.get()
    if memory is not None:
        request_forget(kind)
        memory.closed.add(kind)


def step_peek(key: Hashable) -> Any:
    """What the step memory holds under `key`, or None (nothing is read)."""
    memory = _STEP.get()
    return None if memory is None else memory.values.get(key)


def step_keep(key: Hashable, value: Any) -> None:
    """Keep `value` under `key` in the step memory, when one is open (what was just written, as it now stands)."""
    memory = _STEP.get()
    if memory is None:
        return
    if _savepoints() == memory.savepoints:
        memory.values[key] = value
    else:  # written inside a savepoint of its own: if that is rolled back, the row is not what was written
        memory.values.pop(key, None)


def step_forget(key: Hashable) -> None:
    memory = _STEP.get()
    if memory is not None:
        memory.values.pop(key, None)


class RequestMemoryMiddleware:
    """Opens the request memory around the rest of the middleware and the view."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        with request_memory():
            return self.get_response(request)
