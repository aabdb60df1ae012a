"""Lookups the project adds to every model field, registered once when the app is ready (`AdmissionConfig.ready`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import CharField, Field, ForeignObject, Lookup


class IdList:
    """A fixed list of ids for `__anyof`, written out once. Passed as a plain list, a thousand ids cost the ORM a
    walk over every id each time a query is built (resolving and hashing each value, ~1 ms a query): a report
    that names its cells in thirty queries builds them once."""

    __slots__ = ("ids", "text")

    def __init__(self, ids: Iterable[int]) -> None:
        self.ids: tuple[int, ...] = tuple(sorted({int(pk) for pk in ids}))
        self.text = "{" + ",".join(map(str, self.ids)) + "}"  # the PostgreSQL array's text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IdList) and other.ids == self.ids

    def __hash__(self) -> int:
        return hash(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"IdList({len(self.ids)} ids)"


class AnyOf(Lookup[Any]):
    """`field__anyof=[ids]`: on PostgreSQL `field = ANY(%s::bigint[])` with the ids as one array parameter (an
    `__in` list of a province's thousand cells costs its driver ~25 ms per query to expand, and a report runs
    dozens of them), written as the array's text: the driver adapting a list of a thousand ints looked at each
    one to choose the array's type, about 1 ms a query. Elsewhere a plain IN list. Takes a list of ids or an
    `IdList`. Registered on every field: the reports and the read model's writer use it on ids (cells, orgs,
    people, cases)."""

    lookup_name = "anyof"
    prepare_rhs = False  # a list of ids, passed as they are

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs if isinstance(self.rhs, IdList) else IdList(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, ids.text)
        if not ids.ids:
            return "1 = 0", tuple(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids.ids))})", (*lhs_params, *ids.ids)


class HasOrg(Lookup[Any]):
    """`path__hasorg=pk`: an org path in the format of `PartyOrg.path` ("/1/5/9/", ids root first) names the org
    `pk`; the same rows as `path LIKE '%/pk/%'`. On PostgreSQL it is `string_to_array(path, '/') @> ARRAY[pk]`, which
    a GIN index on that expression serves (the admission snapshots' `adm_snapshot_path_orgs`): "admissions under
    this org as the tree stood" then reads that org's rows, not the period's rows of every province."""

    lookup_name = "hasorg"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        org = int(self.rhs)
        if connection.vendor == "postgresql":
            return f"string_to_array({lhs}, '/') @> ARRAY[%s]::text[]", (*lhs_params, str(org))
        return f"{lhs} LIKE %s", (*lhs_params, f"%/{org}/%")


def register() -> None:
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)  # foreign keys keep lookups of their own
    CharField.register_lookup(HasOrg)
