"""One rendering's memo: the same org's ancestors, the same case's chain are read once while the forms of one
dossier (or one listing) are built, not once per form. Outside `memo()` nothing is remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any, TypeVar

from admission.party import hierarchy
from admission.party.models.orgs import PartyOrg

_MEMO: ContextVar[dict[Any, Any] | None] = ContextVar("documents_memo", default=None)
T = TypeVar("T")


@contextmanager
def memo() -> Iterator[None]:
    if _MEMO.get() is not None:  # already inside one: share it
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _remembered(key: Any, compute: Callable[[], T]) -> T:
    cache = _MEMO.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    result: T = cache[key]
    return result


def _parent_on(org: PartyOrg, day: date) -> PartyOrg | None:
    """`hierarchy.parent_on`, with each org's dated links read once per memo (the forms' dates all differ)."""
    links = _remembered(
        ("links", org.pk), lambda: list(org.parent_links.select_related("parent").order_by("-valid_from"))
    )
    return next((link.parent for link in links if link.covers(day)), None)


def ancestors_on(org: PartyOrg, day: date) -> list[PartyOrg]:
    """`hierarchy.ancestors_on`, remembered within a memo."""
    if _MEMO.get() is None:
        return hierarchy.ancestors_on(org, day)

    def compute() -> list[PartyOrg]:
        chain: list[PartyOrg] = []
        current = _parent_on(org, day)
        while current is not None:
            if current in chain or len(chain) > 20:
                return hierarchy.ancestors_on(org, day)  # a loop: let the hierarchy say so
            chain.append(current)
            current = _parent_on(current, day)
        return chain

    return list(_remembered(("ancestors", org.pk, day), compute))
