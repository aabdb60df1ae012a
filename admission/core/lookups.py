"""Lookups the project adds to every model field, registered once when the app is ready (`AdmissionConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Field, ForeignObject, Lookup


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


def register() -> None:
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)  # foreign keys keep lookups of their own
