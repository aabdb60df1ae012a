"""Lookups the project adds to every model field, registered once when the app is ready (`AdmissionConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Field, ForeignObject, Lookup


class AnyOf(Lookup[Any]):
    """`field__anyof=[ids]`: on PostgreSQL `field = ANY(%s)` with the ids as one array parameter (an `__in` list
    of a province's thousand cells costs its driver ~25 ms per query to expand, and a report runs dozens of them);
    elsewhere a plain IN list. Registered on every field: the reports use it on cell and org ids."""

    lookup_name = "anyof"
    prepare_rhs = False  # a list of ids, passed as they are

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, ids)
        if not ids:
            return "1 = 0", tuple(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)


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
